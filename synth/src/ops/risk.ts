import type { FieldChange } from './object-diff';

/** Kinds of change a reviewer must look at first, in the order they are listed. */
export const RISKS = [
  'removed',
  'image',
  'replicas',
  'resources',
  'security-context',
  'network-policy',
  'rbac',
  'service-type',
  'ingress',
  'argocd-sync-policy',
  'argocd-project',
] as const;

/** One kind of risky change. */
export type Risk = (typeof RISKS)[number];

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const CONTAINER = /(^|\.)(initContainers|containers|ephemeralContainers)\[[^\]]*\]/;

/** The risk of one changed field of an object of a kind, if any. */
export function fieldRisk(kind: string, path: string): Risk | undefined {
  // Labels carry no behaviour of these kinds (release labels such as app.kubernetes.io/version change on every
  // bump); Pod Security labels on a Namespace are the exception, checked below.
  if (path.startsWith('metadata.labels') && kind !== 'Namespace') return undefined;
  if (CONTAINER.test(path) && /\]\.image$/.test(path)) return 'image';
  if (kind === 'HorizontalPodAutoscaler' && /^spec\.(minReplicas|maxReplicas)$/.test(path)) return 'replicas';
  if (/^spec\.replicas$/.test(path)) return 'replicas';
  if (CONTAINER.test(path) && /\]\.resources(\.|$)/.test(path)) return 'resources';
  if (/(^|\.)securityContext(\.|$)/.test(path)) return 'security-context';
  if (kind === 'Namespace' && /^metadata\.labels\."pod-security\.kubernetes\.io\//.test(path)) {
    return 'security-context';
  }
  if (kind === 'NetworkPolicy') return 'network-policy';
  if (RBAC_KINDS.has(kind)) return 'rbac';
  if (kind === 'ServiceAccount' && /eks\.amazonaws\.com\/role-arn/.test(path)) return 'rbac';
  if (kind === 'Service' && path === 'spec.type') return 'service-type';
  if (kind === 'Ingress') return 'ingress';
  if (kind === 'Application' && /^spec\.syncPolicy(\.|$)/.test(path)) return 'argocd-sync-policy';
  if (kind === 'Application' && path === 'spec.project') return 'argocd-project';
  if (kind === 'AppProject') return 'argocd-project';
  return undefined;
}

/**
 * Every risk of an object's change, in RISKS order. A removed object is always risky; an added or removed
 * object is risky by its kind (a new Role, NetworkPolicy, Ingress, Application or AppProject; a Service that is not ClusterIP).
 */
export function risksOf(
  kind: string,
  change: 'added' | 'removed' | 'changed',
  fields: readonly FieldChange[],
  added?: { readonly spec?: { readonly type?: unknown } },
): Risk[] {
  const found = new Set<Risk>();
  if (change === 'removed') found.add('removed');
  if (change !== 'changed') {
    const risk = fieldRisk(kind, 'metadata');
    if (risk) found.add(risk);
  }
  if (change === 'added') {
    const type = added?.spec?.type;
    if (kind === 'Service' && type !== undefined && type !== 'ClusterIP') found.add('service-type');
    if (kind === 'Application') found.add('argocd-sync-policy');
  }
  if (change === 'changed') {
    for (const field of fields) {
      const risk = fieldRisk(kind, field.path);
      if (risk) found.add(risk);
    }
  }
  return RISKS.filter((r) => found.has(r));
}

/** Position of an object's first risk in RISKS (objects without one sort last). */
export function riskRank(risks: readonly Risk[]): number {
  return risks.length === 0 ? RISKS.length : RISKS.indexOf(risks[0] as Risk);
}
