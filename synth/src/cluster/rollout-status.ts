// Where a Deployment's rollout stands (waiting, failed, complete) by kubectl's rules, and its replica counts.
import type { Deployment } from './objects';

/** Where a Deployment's rollout stands, by kubectl's rules (pkg/polymorphichelpers/rollout_status.go). */
export type RolloutStatus =
  | { readonly kind: 'waiting'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'complete' };

/** Replica counts as shown in status: `updated/ready/available of desired`. */
export interface RolloutProgress {
  readonly desired: number;
  readonly updated: number;
  readonly ready: number;
  readonly available: number;
  /** Replicas of any revision, old ones included. */
  readonly total: number;
  readonly generation: number;
  readonly observedGeneration: number;
}

/** The replica counts of a Deployment. */
export function rolloutProgress(deployment: Deployment): RolloutProgress {
  const s = deployment.status ?? {};
  return {
    // The API defaults spec.replicas to 1; an HPA sets it through the scale subresource.
    desired: deployment.spec?.replicas ?? 1,
    updated: s.updatedReplicas ?? 0,
    ready: s.readyReplicas ?? 0,
    available: s.availableReplicas ?? 0,
    total: s.replicas ?? 0,
    generation: deployment.metadata?.generation ?? 0,
    observedGeneration: s.observedGeneration ?? 0,
  };
}

/** `3/3/2 of 3, gen 4/4` */
export function formatProgress(p: RolloutProgress): string {
  return `${p.updated}/${p.ready}/${p.available} of ${p.desired}, gen ${p.observedGeneration}/${p.generation}`;
}

/**
 * kubectl's order: the controller has not observed the latest spec → waiting; `Progressing` with reason
 * `ProgressDeadlineExceeded` → failed; fewer updated replicas than desired, old replicas still present, or
 * fewer available than updated → waiting; else complete. A changing replica count (autoscaling) only ever
 * gives "waiting", never "failed".
 */
export function rolloutStatus(deployment: Deployment): RolloutStatus {
  const p = rolloutProgress(deployment);
  const name = deployment.metadata?.name ?? 'deployment';
  if (p.generation > p.observedGeneration) {
    return {
      kind: 'waiting',
      reason: `Deployment ${name}: waiting for the controller to observe generation ${p.generation} (observed ${p.observedGeneration})`,
    };
  }
  const progressing = deployment.status?.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      kind: 'failed',
      reason: `Deployment ${name} exceeded its progress deadline (ProgressDeadlineExceeded)${progressing.message ? `: ${progressing.message}` : ''}`,
    };
  }
  if (p.updated < p.desired) {
    return {
      kind: 'waiting',
      reason: `Deployment ${name}: ${p.updated} of ${p.desired} replicas updated`,
    };
  }
  if (p.total > p.updated) {
    return {
      kind: 'waiting',
      reason: `Deployment ${name}: ${p.total - p.updated} old replica(s) pending termination`,
    };
  }
  if (p.available < p.updated) {
    return {
      kind: 'waiting',
      reason: `Deployment ${name}: ${p.available} of ${p.updated} updated replicas available`,
    };
  }
  return { kind: 'complete' };
}
