import { describe, expect, it } from 'vitest';
import { deployment } from '../../test/cluster-fixtures';
import { formatProgress, rolloutProgress, rolloutStatus } from './rollout-status';

describe('rolloutStatus', () => {
  it('should be complete when every replica is updated and available and nothing old is left', () => {
    expect(rolloutStatus(deployment())).toEqual({ kind: 'complete' });
  });

  it('should wait until the controller observed the latest generation, whatever the counts say', () => {
    expect(rolloutStatus(deployment({ generation: 5, observedGeneration: 4 }))).toEqual({
      kind: 'waiting',
      reason: 'Deployment guestlist: waiting for the controller to observe generation 5 (observed 4)',
    });
  });

  it('should fail a rollout stuck on a bad image once the progress deadline is exceeded', () => {
    const stuck = deployment({
      updated: 1,
      ready: 0,
      available: 0,
      total: 4,
      progressing: 'ProgressDeadlineExceeded',
    });
    expect(rolloutStatus(stuck)).toEqual({
      kind: 'failed',
      reason:
        'Deployment guestlist exceeded its progress deadline (ProgressDeadlineExceeded): ReplicaSet "guestlist-7d9c8b6f5" has timed out progressing.',
    });
  });

  it('should only wait on a bad image before the deadline', () => {
    const pulling = deployment({
      updated: 1,
      ready: 0,
      available: 0,
      total: 4,
      progressing: 'ReplicaSetUpdated',
    });
    expect(rolloutStatus(pulling)).toEqual({
      kind: 'waiting',
      reason: 'Deployment guestlist: 1 of 3 replicas updated',
    });
  });

  it('should wait while an old ReplicaSet still serves', () => {
    expect(rolloutStatus(deployment({ updated: 3, total: 4, progressing: 'ReplicaSetUpdated' }))).toEqual({
      kind: 'waiting',
      reason: 'Deployment guestlist: 1 old replica(s) pending termination',
    });
  });

  it('should wait for updated replicas to become available', () => {
    expect(rolloutStatus(deployment({ updated: 3, ready: 2 }))).toEqual({
      kind: 'waiting',
      reason: 'Deployment guestlist: 2 of 3 updated replicas available',
    });
  });

  it('should treat an HPA scale-up as waiting, never as failure', () => {
    expect(rolloutStatus(deployment({ replicas: 5, updated: 3 }))).toEqual({
      kind: 'waiting',
      reason: 'Deployment guestlist: 3 of 5 replicas updated',
    });
  });

  it('should format the counts shown by status', () => {
    expect(
      formatProgress(rolloutProgress(deployment({ updated: 3, ready: 2, available: 1, generation: 7 }))),
    ).toBe('3/2/1 of 3, gen 7/7');
  });
});
