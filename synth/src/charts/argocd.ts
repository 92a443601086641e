import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  ARGOCD_NAMESPACE,
  type ClusterEntry,
  destinationOf,
  type EnvironmentConfig,
  type RepoSettings,
} from '../config';
import { ArgoAppProject, type GroupKind } from '../constructs/argo-app-project';
import { ArgoApplication } from '../constructs/argo-application';
import type { ArgoDestination } from '../constructs/argo-destination';
import { destinationKey } from '../constructs/argo-destination';
import { addAddonApplications } from './addons';
import { sortKinds, splitByScope } from './argocd-kinds';

/** One environment and the kinds its chart rendered (they decide what the project allows). */
export interface RenderedEnvironment {
  readonly environment: EnvironmentConfig;
  readonly kinds: readonly GroupKind[];
}

/** Header source of `dist/argocd/` files: every environment file plus the repository setting. */
export const ARGOCD_SOURCE = 'environments/ and argocd/repo.yaml';

/** Props of the Argo CD chart. */
export interface ArgocdChartProps {
  /** Every environment with the kinds its chart rendered. */
  readonly environments: readonly RenderedEnvironment[];
  /** Repository and revision Argo CD deploys from. */
  readonly repo: RepoSettings;
  /** Service name: the AppProject name and the Application name prefix. @default 'guestlist' */
  readonly service?: string;
}

/** The Argo CD destination of an environment: its cluster entry's cluster (server or name) and its namespace. */
export function environmentDestination(env: EnvironmentConfig): ArgoDestination {
  if (env.clusterEntry === undefined)
    throw new Error(`${env.source}: cluster entry "${env.cluster}" not loaded`);
  const d = destinationOf(env.clusterEntry);
  return d.server !== undefined
    ? { server: d.server, namespace: env.namespace }
    : { name: d.name, namespace: env.namespace };
}

/** The namespaces every environment of `service` lives in, as an Argo CD destination glob: `guestlist-*`. */
export function namespacePattern(service: string): string {
  return `${service}-*`;
}

/**
 * The project's destinations: one per distinct cluster the environments use (by `server` or `name`, sorted),
 * each with the namespace pattern `<service>-*`. Adding or removing an environment on a cluster already in
 * use leaves them unchanged; a new cluster adds one. Throws, naming the file, if an environment's namespace
 * lies outside the pattern (the schema already refuses that; this guards other callers).
 */
export function projectDestinations(
  environments: readonly EnvironmentConfig[],
  service: string,
): ArgoDestination[] {
  const namespace = namespacePattern(service);
  const clusters = new Map<string, ArgoDestination>();
  for (const env of environments) {
    const d = environmentDestination(env);
    if (!d.namespace.startsWith(`${service}-`) || d.namespace.length <= service.length + 1) {
      throw new Error(
        `${env.source}: namespace "${d.namespace}" is outside ${namespace}, the namespaces the ${service} project may deploy to`,
      );
    }
    const cluster: ArgoDestination =
      d.server !== undefined ? { server: d.server, namespace } : { name: d.name, namespace };
    clusters.set(destinationKey(cluster), cluster);
  }
  return [...clusters.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
}

/**
 * The service's AppProject and one Application per environment, rendered into `dist/argocd/`. The project
 * allows exactly this repository, the namespaces `<service>-*` on each cluster the environments use, and
 * exactly the kinds the environment charts render: adding or removing an environment changes it only when
 * a cluster or a kind appears or disappears. The root app syncs only the Applications (`ROOT_APP_INCLUDE`);
 * the project file is applied by an administrator, so no merge alone widens what the environments may
 * deploy. Each Application has exactly its own environment's destination, and no two share one.
 */
export class ArgocdChart extends Chart {
  constructor(scope: Construct, id: string, props: ArgocdChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const service = props.service ?? 'guestlist';
    const { repo } = props;

    const seen = new Map<string, string>();
    const kinds: GroupKind[] = [];
    for (const { environment: env, kinds: envKinds } of props.environments) {
      // loadEnvironments reports duplicates with their position; this guards other callers of the chart.
      const key = destinationKey(environmentDestination(env));
      const other = seen.get(key);
      if (other !== undefined) {
        throw new Error(
          `${env.source}: destination (${key}) is also used by ${other}; each environment needs its own`,
        );
      }
      seen.set(key, env.source);
      // Per environment, so an error names the folder that renders the offending kind.
      splitByScope(envKinds, `${repo.distPath}/${env.name}`);
      kinds.push(...envKinds);
    }
    const { cluster, namespaced } = splitByScope(sortKinds(kinds), repo.distPath);

    new ArgoAppProject(this, 'project', {
      name: service,
      namespace: ARGOCD_NAMESPACE,
      description: `${service}: one Application per environments/<env>.yaml (generated by synth)`,
      sourceRepos: [repo.repoURL],
      destinations: projectDestinations(
        props.environments.map((e) => e.environment),
        service,
      ),
      clusterResources: cluster,
      namespaceResources: namespaced,
      warnOrphans: true,
      // No sync wave: the root app syncs only application-*.yaml; an administrator applies this project.
    });

    // The add-ons of each cluster an environment runs on (a cluster with no environment needs none).
    const clusters = new Map<string, ClusterEntry>();
    for (const { environment: env } of props.environments) {
      if (env.clusterEntry) clusters.set(env.clusterEntry.name, env.clusterEntry);
    }
    addAddonApplications(this, [...clusters.values()]);

    for (const { environment: env } of props.environments) {
      new ArgoApplication(this, `app-${env.name}`, {
        name: `${service}-${env.name}`,
        namespace: ARGOCD_NAMESPACE,
        project: service,
        repoURL: repo.repoURL,
        targetRevision: repo.targetRevision,
        path: `${repo.distPath}/${env.name}`,
        destination: environmentDestination(env),
        sync: env.sync,
        labels: {
          'app.kubernetes.io/part-of': service,
          'app.kubernetes.io/instance': `${service}-${env.name}`,
        },
      });
    }
  }
}
