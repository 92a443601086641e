// The Argo CD chart of `dist/argocd/`: one Application and one AppProject per environment (and per environment
// whose ACK objects live on a hub, one more for them), each project allowing only its own destination, namespace
// and rendered kinds.
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
import { SERVICE_NAME } from './guestlist';
import { hubFolder, hubNamespace } from './guestlist-hub';

/** One environment and the kinds its chart rendered (they decide what the project allows). */
export interface RenderedEnvironment {
  readonly environment: EnvironmentConfig;
  readonly kinds: readonly GroupKind[];
  /** The kinds of its ACK objects on its hub (`dist/<env>-aws/`), when its cluster entry's ACK is a hub's. */
  readonly hubKinds?: readonly GroupKind[];
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

/** Where an environment's ACK objects go on its hub: the hub's cluster, the namespace `<namespace>-aws`. */
export function hubDestination(env: EnvironmentConfig): ArgoDestination {
  if (env.ackHub === undefined) throw new Error(`${env.source}: its cluster entry's ACK is not a hub's`);
  const d = destinationOf(env.ackHub);
  const namespace = hubNamespace(env);
  return d.server !== undefined ? { server: d.server, namespace } : { name: d.name, namespace };
}

/** The AppProject of one environment: `<service>-<env>`, the same name as its Application. */
export function projectName(service: string, env: string): string {
  return `${service}-${env}`;
}

/**
 * One AppProject and one Application per environment, rendered into `dist/argocd/`, plus the add-ons of the
 * clusters they run on. Each environment's project allows exactly this repository, exactly its destination (its
 * cluster and its namespace, no pattern), its own Namespace object by name (Argo CD 3.3+ reads `name` in
 * clusterResourceWhitelist; Argo CD checks destinations only for namespaced objects, so without the name an app
 * could adopt, relabel or prune any namespace, another environment's too), and exactly the kinds its chart renders.
 * The root app syncs only the Applications (`ROOT_APP_INCLUDE`); the projects are applied by an administrator, so
 * no merge alone widens what an environment may deploy. No two environments share a destination.
 */
export class ArgocdChart extends Chart {
  constructor(scope: Construct, id: string, props: ArgocdChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const service = props.service ?? 'guestlist';
    const { repo } = props;

    // The managed Argo CD of EKS Capabilities reads Applications from one namespace listed in their project.
    const managed = props.environments.some(
      (e) => e.environment.clusterEntry?.argocd.kind === 'eks-capability',
    );
    const seen = new Map<string, string>();
    for (const { environment: env, kinds: envKinds, hubKinds } of props.environments) {
      // loadEnvironments reports duplicates with their position; this guards other callers of the chart.
      const destination = environmentDestination(env);
      const key = destinationKey(destination);
      const other = seen.get(key);
      if (other !== undefined) {
        throw new Error(
          `${env.source}: destination (${key}) is also used by ${other}; each environment needs its own`,
        );
      }
      seen.set(key, env.source);
      if (!env.namespace.startsWith(`${service}-`)) {
        throw new Error(`${env.source}: namespace "${env.namespace}" is outside ${service}-*`);
      }
      const { cluster, namespaced } = splitByScope(sortKinds(envKinds), `${repo.distPath}/${env.name}`);
      const project = projectName(service, env.name);
      new ArgoAppProject(this, `project-${env.name}`, {
        name: project,
        namespace: ARGOCD_NAMESPACE,
        description: `${service} ${env.name}: environments/${env.name}.yaml, its namespace only (generated by synth)`,
        sourceRepos: [repo.repoURL],
        destinations: [destination],
        // The only cluster-scoped kind is Namespace (splitByScope), and only this environment's.
        clusterResources: cluster.map((k) => ({ ...k, name: env.namespace })),
        namespaceResources: namespaced,
        ...(managed && { sourceNamespaces: [ARGOCD_NAMESPACE] }),
        warnOrphans: true,
      });
      new ArgoApplication(this, `app-${env.name}`, {
        name: `${service}-${env.name}`,
        namespace: ARGOCD_NAMESPACE,
        project,
        repoURL: repo.repoURL,
        targetRevision: repo.targetRevision,
        path: `${repo.distPath}/${env.name}`,
        destination,
        sync: env.sync,
        labels: {
          'app.kubernetes.io/part-of': service,
          'app.kubernetes.io/instance': `${service}-${env.name}`,
        },
      });
      if (hubKinds !== undefined) {
        // Its ACK objects on the hub: an Application and a project of their own, scoped the same way (exactly
        // the hub's cluster and the one namespace <namespace>-aws, that Namespace by name, the kinds rendered).
        const folder = hubFolder(env);
        const onHub = hubDestination(env);
        const hubKey = destinationKey(onHub);
        const clash = seen.get(hubKey);
        if (clash !== undefined) {
          throw new Error(`${env.source}: hub destination (${hubKey}) is also used by ${clash}`);
        }
        seen.set(hubKey, env.source);
        const split = splitByScope(sortKinds(hubKinds), `${repo.distPath}/${folder}`);
        const hubProject = projectName(service, folder);
        new ArgoAppProject(this, `project-${folder}`, {
          name: hubProject,
          namespace: ARGOCD_NAMESPACE,
          description: `${service} ${env.name}: its AWS resources (ACK) on hub cluster ${env.ackHub?.name}, namespace ${onHub.namespace} only (generated by synth)`,
          sourceRepos: [repo.repoURL],
          destinations: [onHub],
          clusterResources: split.cluster.map((k) => ({ ...k, name: onHub.namespace })),
          namespaceResources: split.namespaced,
          ...(managed && { sourceNamespaces: [ARGOCD_NAMESPACE] }),
          warnOrphans: true,
        });
        new ArgoApplication(this, `app-${folder}`, {
          name: `${service}-${folder}`,
          namespace: ARGOCD_NAMESPACE,
          project: hubProject,
          repoURL: repo.repoURL,
          targetRevision: repo.targetRevision,
          path: `${repo.distPath}/${folder}`,
          destination: onHub,
          sync: env.sync,
          labels: {
            'app.kubernetes.io/part-of': service,
            'app.kubernetes.io/instance': `${service}-${env.name}`,
          },
        });
      }
    }

    // The add-ons of each cluster an environment runs on (a cluster with no environment needs none).
    const clusters = new Map<string, ClusterEntry>();
    // A hub runs the ACK controllers of the environments whose entries name it, whether or not any runs there.
    for (const { environment: env } of props.environments) {
      if (env.clusterEntry) clusters.set(env.clusterEntry.name, env.clusterEntry);
      if (env.ackHub) clusters.set(env.ackHub.name, env.ackHub);
    }
    addAddonApplications(this, [...clusters.values()], {
      repo,
      serviceAccount: SERVICE_NAME,
      onHubs: props.environments.map((r) => r.environment).filter((e) => e.ackHub !== undefined),
    });
  }
}
