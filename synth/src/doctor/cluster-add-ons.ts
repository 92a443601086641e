// What a cluster entry says about the add-ons its environments need: the one seam between doctor and the
// cluster schema. Today's entries (accountId, eksClusterName, oidcProvider) name no add-ons; when entries say
// which add-ons run at which versions, or that EKS Capabilities provide them, only `clusterAddOns` changes.
import type { ClusterEntry } from '../config';

/** How one add-on reaches a cluster, as its cluster entry declares it. */
export type AddOnProvision =
  /** The entry models add-ons but says nothing about this one: nothing installs it (a first deploy breaks). */
  | { readonly by: 'unspecified' }
  /** Installed by this repository at a pinned version (e.g. a rendered Argo CD Application of its chart). */
  | { readonly by: 'pinned'; readonly version: string; readonly key: string }
  /** Provided and versioned by AWS (an EKS add-on or an EKS Capability, e.g. managed ACK). */
  | { readonly by: 'managed'; readonly what: string; readonly key: string }
  /** The entry cannot say (today's schema): installed by hand, as docs/production.md lists; doctor can only check. */
  | { readonly by: 'outside' };

/** The add-on facts of one cluster entry. */
export interface ClusterAddOns {
  /** False while the schema has no add-on fields: every add-on is `outside`, listed as a check, never blocking. */
  readonly modelled: boolean;
  /** How the add-on with this id (see ADD_ON_IDS) reaches the cluster. */
  provision(addOn: AddOnId): AddOnProvision;
}

/**
 * Stable ids of the add-ons, by the component names of `synth/src/charts/prerequisites.ts`
 * (and docs/production.md). The id is what a cluster entry's add-on field would be keyed by.
 */
export const ADD_ON_IDS = {
  'Amazon VPC CNI with network policy enforcement': 'vpc-cni',
  'metrics-server': 'metrics-server',
  'AWS Load Balancer Controller': 'aws-load-balancer-controller',
  'EKS Pod Identity Agent': 'eks-pod-identity-agent',
  'ACK DynamoDB controller': 'ack-dynamodb',
  'ACK IAM controller': 'ack-iam',
  'ACK EKS controller': 'ack-eks',
  'External Secrets Operator': 'external-secrets',
  'Prometheus Operator': 'prometheus-operator',
  'kube-state-metrics': 'kube-state-metrics',
  'Grafana dashboard sidecar': 'grafana-dashboard-sidecar',
} as const;

/** One add-on id. */
export type AddOnId = (typeof ADD_ON_IDS)[keyof typeof ADD_ON_IDS];

/** The add-on id of a prerequisite component, or undefined when the component is not a known add-on. */
export function addOnIdOf(component: string): AddOnId | undefined {
  return (ADD_ON_IDS as Record<string, AddOnId>)[component];
}

/**
 * Reads the add-on facts of a cluster entry (undefined: the environment names no entry). Today's schema has
 * no add-on fields, so every add-on is `outside`. Plug-in point for the cluster model: map its fields here,
 * returning `modelled: true` and, per id, `pinned` (its version), `managed` (EKS add-on / Capability) or
 * `unspecified`; doctor then reports each needed `unspecified` add-on as breaking the first deploy.
 */
export function clusterAddOns(_entry: ClusterEntry | undefined): ClusterAddOns {
  return { modelled: false, provision: () => ({ by: 'outside' }) };
}
