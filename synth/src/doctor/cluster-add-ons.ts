// What a cluster entry says about the add-ons its environments need (its `addons:` key): the one seam between
// doctor and the cluster schema.
import type { AckController, AddonName, ClusterEntry } from '../config';

/** How one add-on reaches a cluster, as its cluster entry declares it. */
export type AddOnProvision =
  /** The entry models add-ons but says nothing about this one: nothing installs it (a first deploy breaks). */
  | { readonly by: 'unspecified' }
  /** Installed by this repository at a pinned version (e.g. a rendered Argo CD Application of its chart). */
  | { readonly by: 'pinned'; readonly version: string; readonly key: string }
  /** Provided and versioned by AWS (an EKS add-on or an EKS Capability, e.g. managed ACK). */
  | { readonly by: 'managed'; readonly what: string; readonly key: string }
  /** Installed outside this repository (`provided`, or an EKS add-on the entry does not model): doctor can only check. */
  | { readonly by: 'outside' };

/** The add-on facts of one cluster entry. */
export interface ClusterAddOns {
  /** False without a cluster entry: every add-on is `outside`, listed as a check, never blocking. */
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

/** The cluster entry key (`environments/clusters/<name>.yaml`) that declares each add-on it models. */
export const ADD_ON_KEYS: Partial<Record<AddOnId, string>> = {
  'ack-dynamodb': 'addons.ack.dynamodb',
  'ack-iam': 'addons.ack.iam',
  'ack-eks': 'addons.ack.eks',
  'external-secrets': 'addons.externalSecrets',
  'aws-load-balancer-controller': 'addons.awsLoadBalancerController',
  'prometheus-operator': 'addons.prometheusOperator',
  // kube-prometheus-stack, the chart the prometheusOperator key pins, brings these two along.
  'kube-state-metrics': 'addons.prometheusOperator',
  'grafana-dashboard-sidecar': 'addons.prometheusOperator',
  'metrics-server': 'addons.metricsServer',
};

const ACK_OF: Partial<Record<AddOnId, AckController>> = {
  'ack-dynamodb': 'dynamodb',
  'ack-iam': 'iam',
  'ack-eks': 'eks',
};

/**
 * Reads the add-on facts of a cluster entry (undefined: the environment names no entry, nothing is modelled).
 * A chart version is `pinned` (synth renders its Application), `provided` is installed outside this repository
 * (a check), `addons.ack: eks-capability` is `managed`, and an absent key is `unspecified`. The VPC CNI and the
 * Pod Identity Agent are EKS add-ons the entry does not model: always checks.
 */
export function clusterAddOns(entry: ClusterEntry | undefined): ClusterAddOns {
  if (entry === undefined) return { modelled: false, provision: () => ({ by: 'outside' }) };
  const { addons } = entry;
  return {
    modelled: true,
    provision(id) {
      const key = ADD_ON_KEYS[id];
      if (key === undefined) return { by: 'outside' };
      const controller = ACK_OF[id];
      if (controller !== undefined) {
        if (addons.ack === undefined) return { by: 'unspecified' };
        if (addons.ack === 'eks-capability') {
          return { by: 'managed', what: 'the EKS Capability for ACK', key: 'addons.ack' };
        }
        if ('hub' in addons.ack) {
          return { by: 'managed', what: `the ACK of hub cluster "${addons.ack.hub}"`, key: 'addons.ack.hub' };
        }
        return { by: 'pinned', version: addons.ack[controller], key };
      }
      const name = key.slice('addons.'.length) as AddonName;
      const setting = addons[name];
      if (setting === undefined) return { by: 'unspecified' };
      if (setting === 'provided') return { by: 'outside' };
      return { by: 'pinned', version: setting, key };
    },
  };
}
