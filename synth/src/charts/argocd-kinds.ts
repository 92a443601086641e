// The kinds a chart renders, grouped and sorted for Argo CD projects, and split into namespaced and
// cluster-scoped (of which only Namespace may pass).
import type { GroupKind } from '../constructs/argo-app-project';

// Cluster-scoped kinds of the Kubernetes API (and the few common add-ons) a chart might render; every
// other kind is namespaced. Only Namespace may pass (see splitByScope).
const CLUSTER_SCOPED = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass',
  'certificates.k8s.io/CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
]);

/** The only cluster-scoped kind a service project may manage. */
export const NAMESPACE_KIND: GroupKind = { group: '', kind: 'Namespace' };

/** The API group of an apiVersion: `apps/v1` is `apps`, `v1` is the core group `''`. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Whether a kind is cluster-scoped (not namespaced). */
export function isClusterScoped(gk: GroupKind): boolean {
  return CLUSTER_SCOPED.has(`${gk.group}/${gk.kind}`);
}

/** Distinct (group, kind) pairs of rendered objects, sorted by group then kind. */
export function kindsOf(
  objects: readonly { readonly apiVersion: string; readonly kind: string }[],
): GroupKind[] {
  return sortKinds(objects.map((o) => ({ group: apiGroup(o.apiVersion), kind: o.kind })));
}

/** Distinct kinds, sorted by group then kind (deterministic output). */
export function sortKinds(kinds: Iterable<GroupKind>): GroupKind[] {
  const byKey = new Map<string, GroupKind>();
  for (const k of kinds) byKey.set(`${k.group}/${k.kind}`, { group: k.group, kind: k.kind });
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
}

/**
 * Splits rendered kinds into the project's two whitelists. Throws when a chart renders a cluster-scoped
 * kind other than Namespace: a service must not change the cluster outside its namespace.
 */
export function splitByScope(
  kinds: readonly GroupKind[],
  where: string,
): { cluster: GroupKind[]; namespaced: GroupKind[] } {
  const cluster = kinds.filter(isClusterScoped);
  for (const k of cluster) {
    if (k.group !== NAMESPACE_KIND.group || k.kind !== NAMESPACE_KIND.kind) {
      const name = k.group === '' ? k.kind : `${k.kind}.${k.group}`;
      throw new Error(
        `${where}: renders cluster-scoped kind ${name}; a service project allows only Namespace`,
      );
    }
  }
  return { cluster, namespaced: kinds.filter((k) => !isClusterScoped(k)) };
}
