import { describe, expect, it } from 'vitest';
import {
  application,
  DIGEST_A,
  DIGEST_B,
  deployment,
  pod,
  REPOSITORY,
  REVISION_1,
} from '../../test/cluster-fixtures';
import { parseImage } from '../domain/image-ref';
import type { LiveCheck } from './git-live';
import { decideVerify, revisionsToCheck, type VerifySnapshot } from './verify-decision';

const pinned = `${REPOSITORY}:0.1.0@${DIGEST_A}`;
const live: LiveCheck = { kind: 'live', unrelated: 2 };
const pods = ['a', 'b', 'c'].map((n) => pod({ name: `guestlist-7d9c8b6f5-${n}`, image: pinned }));

function snap(over: Partial<VerifySnapshot> = {}): VerifySnapshot {
  return {
    app: application(),
    deployment: deployment({ image: pinned }),
    pods,
    expected: parseImage(pinned),
    container: 'guestlist',
    liveChecks: new Map([[REVISION_1, live]]),
    ...over,
  };
}

describe('decideVerify', () => {
  it('should be met when Argo CD, git, the rollout and every serving pod agree', () => {
    const d = decideVerify(snap());
    expect(d.kind).toBe('met');
    expect(d.kind === 'met' && d.live.map((c) => c.digest)).toEqual([DIGEST_A, DIGEST_A, DIGEST_A]);
  });

  it('should wait on a Healthy from before the sync instead of trusting it', () => {
    const app = application({ finishedAt: '2026-11-20T10:05:00Z', reconciledAt: '2026-11-20T10:04:00Z' });
    expect(decideVerify(snap({ app })).kind).toBe('waiting');
  });

  it('should wait while an operation is running', () => {
    expect(decideVerify(snap({ app: application({ phase: 'Running', finishedAt: null }) }))).toEqual({
      kind: 'waiting',
      condition: 'the Argo CD sync operation is Running (successfully synced (all tasks run))',
    });
  });

  it('should fail fast on a ComparisonError', () => {
    const app = application({
      conditions: [{ type: 'ComparisonError', message: 'failed to load target state' }],
    });
    expect(decideVerify(snap({ app }))).toEqual({
      kind: 'failed',
      reason: 'ComparisonError: failed to load target state',
    });
  });

  it('should fail fast on Synced but Degraded once the synced revision contains R', () => {
    const app = application({ health: 'Degraded', healthMessage: 'back-off restarting failed container' });
    expect(decideVerify(snap({ app }))).toEqual({
      kind: 'failed',
      reason: 'Argo CD health is Degraded: back-off restarting failed container',
    });
  });

  it('should keep waiting on a Degraded that belongs to an older revision than R', () => {
    const app = application({ health: 'Degraded' });
    const behind: LiveCheck = {
      kind: 'behind',
      reason: 'Argo CD is at 111111111111, which does not contain 222222222222 yet',
    };
    expect(decideVerify(snap({ app, liveChecks: new Map([[REVISION_1, behind]]) }))).toEqual({
      kind: 'waiting',
      condition: behind.reason,
    });
  });

  it('should fail when dist/<env> changed between R and the synced revision', () => {
    const changed: LiveCheck = { kind: 'changed', reason: 'dist/dev changed between a and b' };
    expect(decideVerify(snap({ liveChecks: new Map([[REVISION_1, changed]]) }))).toEqual({
      kind: 'failed',
      reason: 'dist/dev changed between a and b',
    });
  });

  it('should fail a failed sync of a revision containing R, and wait on one of an older revision', () => {
    const app = application({
      phase: 'Failed',
      phaseMessage: 'one or more objects failed to apply',
      sync: 'OutOfSync',
    });
    expect(decideVerify(snap({ app })).kind).toBe('failed');
    const behind: LiveCheck = { kind: 'behind', reason: 'older' };
    expect(decideVerify(snap({ app, liveChecks: new Map([[REVISION_1, behind]]) })).kind).toBe('waiting');
    expect(revisionsToCheck(app)).toEqual([REVISION_1]);
  });

  it('should fail a rollout stuck on a bad image past its deadline', () => {
    const stuck = deployment({
      image: pinned,
      updated: 1,
      ready: 0,
      total: 4,
      progressing: 'ProgressDeadlineExceeded',
    });
    expect(decideVerify(snap({ deployment: stuck })).kind).toBe('failed');
  });

  it('should wait while an old ReplicaSet still serves, even with a wrong digest on the old pod', () => {
    const mixed = [...pods, pod({ name: 'guestlist-5f6d7c8b9-z', hash: '5f6d7c8b9', digest: DIGEST_B })];
    expect(decideVerify(snap({ deployment: deployment({ image: pinned, total: 4 }), pods: mixed }))).toEqual({
      kind: 'waiting',
      condition: 'Deployment guestlist: 1 old replica(s) pending termination',
    });
  });

  it('should fail when a serving pod runs another digest after the rollout completed', () => {
    const wrong = [pods[0], pod({ name: 'guestlist-7d9c8b6f5-x', image: pinned, digest: DIGEST_B })].flatMap(
      (p) => (p ? [p] : []),
    );
    expect(decideVerify(snap({ pods: wrong }))).toEqual({
      kind: 'failed',
      reason: `pod guestlist-7d9c8b6f5-x runs digest ${DIGEST_B} after the rollout completed; expected ${DIGEST_A}`,
    });
  });

  it('should treat autoscaling mid-verify as waiting and then met, never failed', () => {
    const app = application({ health: 'Progressing' });
    expect(
      decideVerify(snap({ app, deployment: deployment({ image: pinned, replicas: 5, updated: 3 }) })),
    ).toEqual({
      kind: 'waiting',
      condition: 'Argo CD health is Progressing',
    });
    expect(
      decideVerify(snap({ deployment: deployment({ image: pinned, replicas: 5, updated: 5, ready: 4 }) })),
    ).toEqual({
      kind: 'waiting',
      condition: 'Deployment guestlist: 4 of 5 updated replicas available',
    });
    const five = [
      ...pods,
      pod({ name: 'guestlist-7d9c8b6f5-d', image: pinned }),
      pod({ name: 'guestlist-7d9c8b6f5-e', image: pinned }),
    ];
    expect(
      decideVerify(snap({ deployment: deployment({ image: pinned, replicas: 5 }), pods: five })).kind,
    ).toBe('met');
  });

  it('should wait while the Deployment template still has the previous image', () => {
    const old = `${REPOSITORY}:0.0.9@${DIGEST_B}`;
    expect(decideVerify(snap({ deployment: deployment({ image: old }) }))).toEqual({
      kind: 'waiting',
      condition: `the Deployment's template has ${old}, expected ${pinned}`,
    });
  });

  it('should compare tags when the environment pins no digest', () => {
    const tagged = `${REPOSITORY}:0.1.0`;
    const tagPods = [pod({ name: 'guestlist-7d9c8b6f5-a', image: `${REPOSITORY}:0.0.9` })];
    expect(
      decideVerify(
        snap({
          expected: parseImage(tagged),
          deployment: deployment({ image: tagged, replicas: 1 }),
          pods: tagPods,
        }),
      ),
    ).toEqual({
      kind: 'failed',
      reason: `pod guestlist-7d9c8b6f5-a runs ${REPOSITORY}:0.0.9 after the rollout completed; expected ${tagged}`,
    });
  });
});
