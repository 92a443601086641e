/**
 * The add-ons of every cluster the environments run on, as Argo CD Applications in `dist/argocd/` (synced by the
 * root app like the environments' Applications), plus their own AppProject `platform-addons` (applied by an
 * administrator, like the environments' projects). An add-on a cluster entry pins at a chart version is installed
 * on that cluster at that version; `provided` or `eks-capability` installs nothing.
 */
import type { Construct } from 'constructs';
import {
  ACK_CONTROLLERS,
  ADDON_NAMES,
  ARGOCD_NAMESPACE,
  ackOnCluster,
  type ClusterEntry,
  destinationOf,
  type EnvironmentConfig,
  type RepoSettings,
} from '../config';
import { ArgoAppProject, type GroupKind } from '../constructs/argo-app-project';
import { ArgoApplication } from '../constructs/argo-application';
import type { ArgoDestination } from '../constructs/argo-destination';
import { ArgoHelmApplication } from '../constructs/argo-helm-application';
import { ackAccountMapFile, addAckAccountMap } from './ack-hub-map';
import {
  addRoleSelectors,
  type RoleSelector,
  roleSelectorInclude,
  roleSelectorKinds,
  roleSelectorsOf,
} from './ack-role-selectors';
import { ACK_CHARTS, ACK_NAMESPACE, ADDON_CHARTS, type AddonChart } from './addon-catalogue';
import { managedAckHub } from './guestlist-hub';
import { addIamRoleAdmission, iamRolePolicyFiles } from './iam-role-admission';

/** The project every add-on Application belongs to: never the environments' projects. */
export const ADDONS_PROJECT = 'platform-addons';

/** Add-ons sync before the environments' Applications (whose ACK objects need the ACK CRDs). */
export const ADDONS_SYNC_WAVE = -10;

/**
 * Cluster-scoped kinds the add-on charts install (read from their templates): CRDs, their RBAC, admission
 * webhooks, metrics-server's APIService, the ALB controller's IngressClass and IngressClassParams. A chart
 * upgrade that adds a kind fails its sync with "not permitted in project" until it is listed here.
 */
const CLUSTER_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'Namespace' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { group: 'elbv2.k8s.aws', kind: 'IngressClassParams' },
  { group: 'networking.k8s.io', kind: 'IngressClass' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
];

/** Namespaced kinds the add-on charts install into their own namespaces. */
const NAMESPACED_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'Secret' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'DaemonSet' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'batch', kind: 'Job' },
  { group: 'monitoring.coreos.com', kind: 'Alertmanager' },
  { group: 'monitoring.coreos.com', kind: 'Prometheus' },
  { group: 'monitoring.coreos.com', kind: 'PrometheusRule' },
  { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

/** One add-on installed on one cluster: the chart and the version the cluster entry pins. */
export interface InstalledAddon {
  readonly cluster: ClusterEntry;
  readonly chart: AddonChart;
  readonly version: string;
}

/** Every add-on the entries install themselves (chart versions), in a stable order: by cluster, then add-on. */
export function installedAddons(clusters: readonly ClusterEntry[]): InstalledAddon[] {
  const out: InstalledAddon[] = [];
  for (const cluster of [...clusters].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const ack = ackOnCluster(cluster);
    if (ack !== undefined && ack !== 'eks-capability') {
      for (const c of ACK_CONTROLLERS) out.push({ cluster, chart: ACK_CHARTS[c], version: ack[c] });
    }
    for (const name of ADDON_NAMES) {
      const version = cluster.addons[name];
      if (version !== undefined && version !== 'provided') {
        out.push({ cluster, chart: ADDON_CHARTS[name], version });
      }
    }
  }
  return out;
}

function destination(cluster: ClusterEntry, namespace: string): ArgoDestination {
  const d = destinationOf(cluster);
  return d.server !== undefined ? { server: d.server, namespace } : { name: d.name, namespace };
}

/** What the add-on Applications need besides the clusters. */
export interface AddonOptions {
  /** This repository: the admission policies are synced from `dist/argocd/` by an Application of their own. */
  readonly repo: RepoSettings;
  /** The service account the environments' pods run as (the admission policy checks trust documents for it). */
  readonly serviceAccount: string;
  /** Environments whose ACK objects live on a hub (their `ackHub`). @default - none */
  readonly onHubs?: readonly EnvironmentConfig[];
}

/**
 * Renders the add-on Applications and their project into `scope`, and, on each cluster whose environments' Role
 * objects an ACK IAM controller turns into IAM roles, the admission policy for those objects with an Application
 * that syncs it. Nothing when no entry installs anything.
 */
export function addAddonApplications(
  scope: Construct,
  clusters: readonly ClusterEntry[],
  options: AddonOptions,
): void {
  const addons = installedAddons(clusters);
  const guarded = [...clusters]
    .filter((c) => ackOnCluster(c) !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const onHubs = options.onHubs ?? [];
  const hostedOn = (hub: ClusterEntry) => onHubs.filter((e) => e.ackHub?.name === hub.name);
  if (addons.length === 0 && guarded.length === 0) return;
  const destinations = new Map<string, ArgoDestination>();
  for (const { cluster, chart, version } of addons) {
    const d = destination(cluster, chart.namespace);
    destinations.set(JSON.stringify(d), d);
    new ArgoHelmApplication(scope, `addon-${cluster.name}-${chart.id}`, {
      name: `addon-${cluster.name}-${chart.id}`,
      namespace: ARGOCD_NAMESPACE,
      project: ADDONS_PROJECT,
      repoURL: chart.repoURL,
      chart: chart.chart,
      version,
      releaseName: chart.releaseName,
      values: chart.values(cluster),
      destination: d,
      syncWave: ADDONS_SYNC_WAVE,
      labels: { 'app.kubernetes.io/part-of': ADDONS_PROJECT, 'guestlist.example.com/cluster': cluster.name },
    });
  }
  /**
   * An add-on Application that syncs some of synth's own files in dist/argocd/ (`include`) to one cluster: the
   * admission policies, CARM's account map, the role selectors. Its destination joins the project's list.
   */
  const ownFilesApp = (cluster: ClusterEntry, what: string, namespace: string, include: string) => {
    const d = destination(cluster, namespace);
    destinations.set(JSON.stringify(d), d);
    new ArgoApplication(scope, `addon-${cluster.name}-${what}`, {
      name: `addon-${cluster.name}-${what}`,
      namespace: ARGOCD_NAMESPACE,
      project: ADDONS_PROJECT,
      repoURL: options.repo.repoURL,
      targetRevision: options.repo.targetRevision,
      path: `${options.repo.distPath}/argocd`,
      include,
      destination: d,
      sync: { automated: true, prune: true, selfHeal: true },
      labels: { 'app.kubernetes.io/part-of': ADDONS_PROJECT, 'guestlist.example.com/cluster': cluster.name },
    });
  };
  for (const cluster of guarded) {
    addIamRoleAdmission(scope, {
      cluster,
      serviceAccount: options.serviceAccount,
      hosted: hostedOn(cluster),
    });
    // Cluster-scoped objects only; the destination namespace is one the project allows anyway.
    ownFilesApp(cluster, 'iam-role-admission', 'kube-system', iamRolePolicyFiles(cluster));
  }
  // CARM: each self-managed hub's controllers find the role to assume in another account in the ConfigMap
  // ack-role-account-map of their own namespace. One map for every such hub (the same file), so no two hubs'
  // files clash; a hub can use only the roles whose trust names its controllers.
  const hubs = guarded.filter((hub) => hostedOn(hub).length > 0);
  if (addAckAccountMap(scope, onHubs)) {
    for (const hub of hubs.filter((h) => !managedAckHub(h))) {
      ownFilesApp(hub, 'ack-account-map', ACK_NAMESPACE, ackAccountMapFile());
    }
  }
  // The managed ACK of a hub reads IAMRoleSelector objects instead: one per hosted environment in another
  // account, synced by an Application of its own; the project may manage those selectors by name, no other.
  const selectors: RoleSelector[] = [];
  for (const hub of hubs) {
    const mine = roleSelectorsOf(hub, onHubs);
    if (mine.length === 0) continue;
    selectors.push(...mine);
    addRoleSelectors(scope, mine);
    // Cluster-scoped objects only; the destination namespace is one the project allows anyway.
    ownFilesApp(hub, 'ack-role-selectors', 'kube-system', roleSelectorInclude(mine));
  }
  new ArgoAppProject(scope, 'addons-project', {
    name: ADDONS_PROJECT,
    namespace: ARGOCD_NAMESPACE,
    description:
      'Cluster add-ons from their upstream charts at the versions the cluster entries pin, and the admission policies synth renders (generated by synth)',
    sourceRepos: [
      ...new Set([
        ...addons.map((a) => a.chart.repoURL),
        ...(guarded.length > 0 ? [options.repo.repoURL] : []),
      ]),
    ].sort(),
    destinations: [...destinations.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, d]) => d),
    clusterResources: [...CLUSTER_KINDS, ...roleSelectorKinds(selectors)],
    namespaceResources: NAMESPACED_KINDS,
    // The managed Argo CD of EKS Capabilities admits an Application only from a namespace its project lists,
    // as the environments' projects do (argocd.ts).
    ...(clusters.some((c) => c.argocd.kind === 'eks-capability') && { sourceNamespaces: [ARGOCD_NAMESPACE] }),
  });
}
