// The PodDisruptionBudget construct (cdk8s-plus-28 has none).
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** Props of a PodDisruptionBudget. */
export interface PodDisruptionBudgetProps {
  /** Object name. */
  readonly name: string;
  /** Pod labels the budget selects. */
  readonly matchLabels: Readonly<Record<string, string>>;
  /**
   * Pods that may be down at once; 1 keeps a single-replica environment drainable and never blocks node upgrades.
   * @default 1
   */
  readonly maxUnavailable?: number;
}

/** A policy/v1 PodDisruptionBudget (cdk8s-plus-28 has no construct for it). */
export class PodDisruptionBudget extends ApiObject {
  constructor(scope: Construct, id: string, props: PodDisruptionBudgetProps) {
    super(scope, id, {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: props.name },
      spec: {
        maxUnavailable: props.maxUnavailable ?? 1,
        selector: { matchLabels: { ...props.matchLabels } },
        // Lets Kubernetes evict pods that never became ready, so a bad rollout cannot block a node drain.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
