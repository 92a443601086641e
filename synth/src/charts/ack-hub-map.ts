/**
 * The account map of ACK's cross-account resource management (CARM) for the hubs: the ConfigMap
 * `ack-role-account-map` in the controllers' namespace, `<account id>: <role ARN>`, read by every ACK controller
 * (aws-controllers-k8s/runtime `pkg/runtime/cache/account.go`: that name, the controller's own namespace, no feature
 * gate). A hub's controllers look up the account a namespace's `services.k8s.aws/owner-account-id` names and
 * assume that role (sts:AssumeRole) for every object in the namespace.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { ACK_NAMESPACE } from './addon-catalogue';
import { crossAccount, hubAccessRoleArn, managedAckHub } from './guestlist-hub';

/** The ConfigMap name the ACK runtime reads (`ACKRoleAccountMap`). */
export const ACK_ACCOUNT_MAP = 'ack-role-account-map';

/** Its file in dist/argocd/, as the include of the Applications that sync it to each hub. */
export function ackAccountMapFile(): string {
  return `configmap-${ACK_ACCOUNT_MAP}.yaml`;
}

/**
 * Every spoke account a self-managed hub acts in, mapped to its `ack-hub-access` role (sorted); empty when none is
 * another account. Hubs running the managed capability are left out: it reads IAMRoleSelector objects
 * (ack-role-selectors.ts), not this map.
 */
export function ackAccountMap(onHubs: readonly EnvironmentConfig[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const env of onHubs) {
    const spoke = env.clusterEntry;
    const hub = env.ackHub;
    if (spoke === undefined || hub === undefined || managedAckHub(hub) || !crossAccount(spoke, hub)) continue;
    map[spoke.accountId] = hubAccessRoleArn(spoke);
  }
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Renders the map into `scope` when some hub acts in another account; returns whether it did. */
export function addAckAccountMap(scope: Construct, onHubs: readonly EnvironmentConfig[]): boolean {
  const data = ackAccountMap(onHubs);
  if (Object.keys(data).length === 0) return false;
  new ApiObject(scope, ACK_ACCOUNT_MAP, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ACK_ACCOUNT_MAP, namespace: ACK_NAMESPACE },
    data,
  });
  return true;
}
