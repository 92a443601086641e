/**
 * The account mapping of a hub whose ACK is the managed capability of EKS Capabilities: one cluster-scoped
 * `IAMRoleSelector` (`services.k8s.aws/v1alpha1`) per environment on that hub in another account, mapping exactly
 * its hub namespace `<namespace>-aws` to `arn:aws:iam::<spoke account>:role/ack-hub-access`. The managed ACK reads
 * no CARM account map; AWS documents cross-account only through IAMRoleSelector ("Configure ACK permissions",
 * docs.aws.amazon.com/eks/latest/userguide/ack-permissions.html, section "Multi-account management"), in the shape
 * its pages show: `spec.arn` and `spec.namespaceSelector.names`. The capability role assumes the mapped role.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterEntry, EnvironmentConfig } from '../config';
import type { GroupKind } from '../constructs/argo-app-project';
import { crossAccount, hubAccessRoleArn, hubNamespace, managedAckHub } from './guestlist-hub';

/** API version and kind of the selector (the CRD `iamroleselectors.services.k8s.aws`, cluster-scoped). */
export const IAM_ROLE_SELECTOR = {
  apiVersion: 'services.k8s.aws/v1alpha1',
  kind: 'IAMRoleSelector',
} as const;

/** One selector: its name (the hub namespace it maps), the namespace, the role. */
export interface RoleSelector {
  readonly name: string;
  readonly namespace: string;
  readonly arn: string;
}

/**
 * The selectors of one hub, sorted by name: one per environment hosted there whose account is not the hub's (in
 * the hub's own account the capability role acts itself, as the controllers do under CARM). Empty for a hub
 * running the self-managed controllers, which read CARM's account map instead (ack-hub-map.ts).
 */
export function roleSelectorsOf(hub: ClusterEntry, onHubs: readonly EnvironmentConfig[]): RoleSelector[] {
  if (!managedAckHub(hub)) return [];
  return onHubs
    .filter((env) => env.ackHub?.name === hub.name && env.clusterEntry && crossAccount(env.clusterEntry, hub))
    .map((env) => ({
      name: hubNamespace(env),
      namespace: hubNamespace(env),
      arn: hubAccessRoleArn(env.clusterEntry as ClusterEntry),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The file of a selector in dist/argocd/. */
export function roleSelectorFile(selector: Pick<RoleSelector, 'name'>): string {
  return `iamroleselector-${selector.name}.yaml`;
}

/** The `source.directory.include` glob of a hub's selector files. */
export function roleSelectorInclude(selectors: readonly RoleSelector[]): string {
  const files = selectors.map(roleSelectorFile);
  return files.length === 1 ? (files[0] as string) : `{${files.join(',')}}`;
}

/** The project whitelist entries of the selectors: the kind, by exact name, one each (never the whole kind). */
export function roleSelectorKinds(selectors: readonly RoleSelector[]): GroupKind[] {
  return selectors.map((s) => ({ group: 'services.k8s.aws', kind: IAM_ROLE_SELECTOR.kind, name: s.name }));
}

/**
 * Renders the selectors into `scope`. No namespace and no deletion-policy annotation: the selector is
 * cluster-scoped configuration of the capability, not an AWS resource (its deletion deletes nothing in AWS).
 */
export function addRoleSelectors(scope: Construct, selectors: readonly RoleSelector[]): void {
  for (const s of selectors) {
    new ApiObject(scope, `iamroleselector-${s.name}`, {
      ...IAM_ROLE_SELECTOR,
      metadata: { name: s.name },
      spec: { arn: s.arn, namespaceSelector: { names: [s.namespace] } },
    });
  }
}
