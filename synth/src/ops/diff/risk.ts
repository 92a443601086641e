// Classifies rendered changes a reviewer must look at first (image, replicas, RBAC, AWS, network, Argo CD and
// others).
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
  'aws',
  'service-type',
  'ingress',
  'argocd-sync-policy',
  'argocd-project',
] as const;

/** One kind of risky change. */
export type Risk = (typeof RISKS)[number];

/** The type of a rendered object: its `apiVersion` (which names the API group) and `kind`. */
export interface ObjectType {
  readonly apiVersion: string;
  readonly kind: string;
}

/** Kubernetes RBAC, the only group whose changes are `rbac` (ACK's IAM `Role` shares the kind name only). */
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
/** AWS Controllers for Kubernetes: every kind of these groups is an AWS resource the controllers change. */
const ACK_GROUP = /\.services\.k8s\.aws$/;
const ACK_ANNOTATION =
  /^metadata\.annotations\."services\.k8s\.aws\/(deletion-policy|region|adoption-policy|adoption-fields)"$/;
/** Per ACK kind, the fields whose change alters who may do what, or what happens to the data. */
const ACK_FIELDS: Readonly<Record<string, RegExp>> = {
  // The role's trust, its permissions, the boundary that caps them, and which IAM role it is.
  'iam.services.k8s.aws/Role':
    /^spec\.(assumeRolePolicyDocument|inlinePolicies|policies|permissionsBoundary|name|maxSessionDuration|path)(\.|\[|$)/,
  // Deletion protection, the table's key and name (neither changes in place), encryption and backups.
  'dynamodb.services.k8s.aws/Table':
    /^spec\.(deletionProtectionEnabled|keySchema|attributeDefinitions|tableName|sseSpecification|continuousBackups)(\.|\[|$)/,
  // Which role the pods of which service account in which cluster get.
  'eks.services.k8s.aws/PodIdentityAssociation':
    /^spec\.(roleARN|namespace|serviceAccount|clusterName|targetRoleARN)(\.|\[|$)/,
};
const CONTAINER = /(^|\.)(initContainers|containers|ephemeralContainers)\[[^\]]*\]/;

/** The API group of an `apiVersion` (`''` for the core group `v1`). */
export function apiGroupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
}

/** The risk of an ACK object's field: its deletion policy, or a field of `ACK_FIELDS`; the whole object when added or removed. */
function ackRisk(group: string, kind: string, path: string): Risk | undefined {
  if (!ACK_GROUP.test(group)) return undefined;
  if (path === 'metadata' || ACK_ANNOTATION.test(path)) return 'aws';
  return ACK_FIELDS[`${group}/${kind}`]?.test(path) ? 'aws' : undefined;
}

/** The risk of one changed field of an object of a type, if any (`path` `metadata` stands for the whole object). */
export function fieldRisk(type: ObjectType, path: string): Risk | undefined {
  const { kind } = type;
  const group = apiGroupOf(type.apiVersion);
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
  if (group === RBAC_GROUP && RBAC_KINDS.has(kind)) return 'rbac';
  // The IAM role the pods assume (IRSA): an AWS permission, not Kubernetes RBAC.
  if (kind === 'ServiceAccount' && /eks\.amazonaws\.com\/role-arn/.test(path)) return 'aws';
  const ack = ackRisk(group, kind, path);
  if (ack) return ack;
  if (kind === 'Service' && path === 'spec.type') return 'service-type';
  if (kind === 'Ingress') return 'ingress';
  if (kind === 'Application' && /^spec\.syncPolicy(\.|$)/.test(path)) return 'argocd-sync-policy';
  if (kind === 'Application' && path === 'spec.project') return 'argocd-project';
  if (kind === 'AppProject') return 'argocd-project';
  return undefined;
}

/**
 * Every risk of an object's change, in RISKS order. A removed object is always risky; an added or removed
 * object is risky by its type (a new RBAC Role, NetworkPolicy, Ingress, Application or AppProject, any ACK
 * object such as a Table, IAM Role or PodIdentityAssociation; a Service that is not ClusterIP).
 */
export function risksOf(
  type: ObjectType,
  change: 'added' | 'removed' | 'changed',
  fields: readonly FieldChange[],
  added?: { readonly spec?: { readonly type?: unknown } },
): Risk[] {
  const found = new Set<Risk>();
  if (change === 'removed') found.add('removed');
  if (change !== 'changed') {
    const risk = fieldRisk(type, 'metadata');
    if (risk) found.add(risk);
  }
  if (change === 'added') {
    const serviceType = added?.spec?.type;
    if (type.kind === 'Service' && serviceType !== undefined && serviceType !== 'ClusterIP') {
      found.add('service-type');
    }
    if (type.kind === 'Application') found.add('argocd-sync-policy');
  }
  if (change === 'changed') {
    for (const field of fields) {
      const risk = fieldRisk(type, field.path);
      if (risk) found.add(risk);
    }
  }
  return RISKS.filter((r) => found.has(r));
}

/** Position of an object's first risk in RISKS (objects without one sort last). */
export function riskRank(risks: readonly Risk[]): number {
  return risks.length === 0 ? RISKS.length : RISKS.indexOf(risks[0] as Risk);
}
