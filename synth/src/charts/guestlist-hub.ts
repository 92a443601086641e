// The chart of an environment's ACK objects when its cluster entry manages them from a hub (`addons.ack: { hub }`),
// rendered into `dist/<env>-aws/` and synced to the hub: a namespace there that tells the hub's ACK controllers
// which account and region to act in, and the environment's tables, role and Pod Identity association.
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { ackOnCluster, type ClusterEntry, type EnvironmentConfig, HUB_SUFFIX } from '../config';
import { syncWaveAnnotation } from '../constructs/ack';
import { RestrictedNamespace } from '../constructs/restricted-namespace';
import { partitionOf } from './aws-resources';
import { PROTECTED_ANNOTATION, SERVICE_NAME } from './guestlist';
import { addAwsResources, SYNC_WAVES } from './guestlist-aws';

/**
 * Namespace annotations the ACK runtime reads (aws-controllers-k8s/runtime `apis/core/v1alpha1/annotations.go`,
 * `pkg/runtime/cache/namespace.go`): the account whose role (from the CARM map) the controllers assume for every
 * object in the namespace, and the region of objects that name none. The managed ACK of EKS Capabilities reads
 * only the region one (AWS's "ACK concepts" shows `default-region` on a namespace; cross-account is an
 * IAMRoleSelector there, and ACK's "Granular IAM Roles" guide says IAMRoleSelector disables CARM and to remove the
 * owner-account-id annotations when moving to it).
 */
export const CARM_ANNOTATIONS = {
  ownerAccountId: 'services.k8s.aws/owner-account-id',
  defaultRegion: 'services.k8s.aws/default-region',
} as const;

/**
 * The role in a spoke account that a hub's ACK controllers assume (CARM maps the account to it). Not `guestlist-*`:
 * the IAM controller manages only those, so it can never rewrite the role it acts through.
 */
export const HUB_ACCESS_ROLE = 'ack-hub-access';

/**
 * The role of the managed ACK capability in the hub's account (the capability role, trusted by
 * `capabilities.eks.amazonaws.com`). AWS lets you name it; synth names it so the spoke's `ack-hub-access` trust
 * can name its principal (`argocd/ack/iam/hub-access-trust-capability.json`, docs/aws-resources.md).
 */
export const ACK_CAPABILITY_ROLE = 'ack-capability';

/** ARN of the managed ACK's capability role of a hub. */
export function capabilityRoleArn(hub: Pick<ClusterEntry, 'accountId' | 'region'>): string {
  return `arn:${partitionOf(hub.region)}:iam::${hub.accountId}:role/${ACK_CAPABILITY_ROLE}`;
}

/** Whether the hub's ACK is the managed capability (IAMRoleSelector), not the self-managed controllers (CARM). */
export function managedAckHub(hub: ClusterEntry): boolean {
  return ackOnCluster(hub) === 'eks-capability';
}

/** The namespace on the hub that holds an environment's ACK objects: `<namespace>-aws`. */
export function hubNamespace(env: Pick<EnvironmentConfig, 'namespace'>): string {
  return `${env.namespace}${HUB_SUFFIX}`;
}

/** The output folder below `dist/` of an environment's ACK objects on its hub: `<env>-aws`. */
export function hubFolder(env: Pick<EnvironmentConfig, 'name'>): string {
  return `${env.name}${HUB_SUFFIX}`;
}

/** ARN of the role a hub's controllers assume in the spoke's account. */
export function hubAccessRoleArn(spoke: Pick<ClusterEntry, 'accountId' | 'region'>): string {
  return `arn:${partitionOf(spoke.region)}:iam::${spoke.accountId}:role/${HUB_ACCESS_ROLE}`;
}

/** Whether the hub acts in another account than its own (then CARM, and the role in the spoke account, are needed). */
export function crossAccount(spoke: ClusterEntry, hub: ClusterEntry): boolean {
  return spoke.accountId !== hub.accountId;
}

/** Props of the hub chart. */
export interface GuestlistHubChartProps {
  /** An environment whose `ackHub` is set. */
  readonly environment: EnvironmentConfig;
}

/**
 * The environment's ACK objects in their namespace on the hub. Everything AWS-side still derives from the
 * environment's own (spoke) cluster entry: the account of the ARNs, the EKS cluster of the association, the OIDC
 * provider of the trust policy, which names the workload's namespace on the spoke, not this one.
 */
export class GuestlistHubChart extends Chart {
  constructor(scope: Construct, id: string, props: GuestlistHubChartProps) {
    const env = props.environment;
    const spoke = env.clusterEntry;
    const hub = env.ackHub;
    if (spoke === undefined || hub === undefined) {
      throw new Error(`${env.source}: the hub chart needs a cluster entry whose ACK is a hub's`);
    }
    const namespace = hubNamespace(env);
    super(scope, id, {
      namespace,
      disableResourceNameHashes: true,
      labels: {
        'app.kubernetes.io/name': SERVICE_NAME,
        'app.kubernetes.io/instance': `${SERVICE_NAME}-${env.name}`,
        'app.kubernetes.io/component': 'aws',
        'app.kubernetes.io/part-of': SERVICE_NAME,
        'app.kubernetes.io/managed-by': 'synth',
      },
    });
    new RestrictedNamespace(this, 'namespace', {
      name: namespace,
      annotations: {
        ...syncWaveAnnotation(SYNC_WAVES.namespace),
        ...(env.protected && { [PROTECTED_ANNOTATION]: 'true' }),
        [CARM_ANNOTATIONS.defaultRegion]: spoke.region,
        // In the hub's own account the controllers use their own credentials; elsewhere CARM's role. The managed
        // ACK maps the namespace to the role with an IAMRoleSelector (ack-role-selectors.ts) and reads no CARM.
        ...(crossAccount(spoke, hub) &&
          !managedAckHub(hub) && { [CARM_ANNOTATIONS.ownerAccountId]: spoke.accountId }),
      },
    });
    addAwsResources(this, env, SERVICE_NAME);
  }
}
