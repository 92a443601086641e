import { describe, expect, it } from 'vitest';
import { application, DIGEST_A, DIGEST_B, deployment, pod, REPOSITORY } from '../../test/cluster-fixtures';
import { parseImage } from '../domain/image-ref';
import { decideStatus, type StatusInput } from './status-verdict';

const pinned = `${REPOSITORY}:0.1.0@${DIGEST_A}`;

function input(over: Partial<StatusInput> = {}): StatusInput {
  return {
    fileImage: parseImage(pinned),
    distImage: parseImage(pinned),
    filePath: 'environments/dev.yaml',
    distPath: 'dist/dev',
    container: 'guestlist',
    app: application(),
    deployment: deployment({ image: pinned }),
    pods: ['a', 'b', 'c'].map((n) => pod({ name: `guestlist-7d9c8b6f5-${n}`, image: pinned })),
    ...over,
  };
}

describe('decideStatus', () => {
  it('should say in sync when file, dist and every ready pod agree and Argo CD is Synced and Healthy', () => {
    expect(decideStatus(input())).toEqual({ verdict: 'in sync' });
  });

  it('should say dist stale when the environment file and dist differ, before asking the cluster', () => {
    expect(
      decideStatus(input({ fileImage: parseImage(`${REPOSITORY}:0.2.0`), error: 'unreachable' })),
    ).toEqual({
      verdict: 'dist stale',
      reason: `environments/dev.yaml has ${REPOSITORY}:0.2.0 but dist/dev has ${pinned}; run npm run synth`,
    });
  });

  it('should say unknown with the reason when the cluster could not be read', () => {
    expect(decideStatus(input({ error: 'cannot reach https://127.0.0.1:1: connect ECONNREFUSED' }))).toEqual({
      verdict: 'unknown',
      reason: 'cannot reach https://127.0.0.1:1: connect ECONNREFUSED',
    });
  });

  it('should say not yet synced while the cluster still runs the previous image', () => {
    const old = `${REPOSITORY}:0.0.9@${DIGEST_B}`;
    const result = decideStatus(
      input({ app: application({ sync: 'OutOfSync' }), deployment: deployment({ image: old }) }),
    );
    expect(result).toEqual({
      verdict: 'not yet synced',
      reason: `the cluster's Deployment has ${old}, dist/dev has ${pinned}; Argo CD sync status is OutOfSync`,
    });
  });

  it('should say rolling out while an old ReplicaSet still serves', () => {
    const result = decideStatus(input({ deployment: deployment({ image: pinned, total: 4 }) }));
    expect(result).toEqual({
      verdict: 'rolling out',
      reason: 'Deployment guestlist: 1 old replica(s) pending termination',
    });
  });

  it('should say degraded for Synced but Degraded, with the reason', () => {
    const app = application({
      health: 'Degraded',
      healthMessage: 'Deployment "guestlist" exceeded its progress deadline',
    });
    expect(decideStatus(input({ app }))).toEqual({
      verdict: 'degraded',
      reason: 'Argo CD health is Degraded: Deployment "guestlist" exceeded its progress deadline',
    });
  });

  it('should say degraded for a rollout stuck on a bad image past its deadline', () => {
    const stuck = deployment({
      image: pinned,
      updated: 1,
      ready: 0,
      total: 4,
      progressing: 'ProgressDeadlineExceeded',
    });
    expect(
      decideStatus(input({ app: application({ health: 'Progressing' }), deployment: stuck })).verdict,
    ).toBe('degraded');
  });

  it('should say degraded when a pod runs another digest after the rollout completed', () => {
    const pods = [pod({ name: 'guestlist-7d9c8b6f5-a', image: pinned, digest: DIGEST_B })];
    expect(decideStatus(input({ pods }))).toEqual({
      verdict: 'degraded',
      reason: `pod guestlist-7d9c8b6f5-a runs ${DIGEST_B} after the rollout completed, dist/dev has ${pinned}`,
    });
  });

  it('should ignore terminating pods and pods that only share the labels', () => {
    const pods = [
      pod({ name: 'guestlist-7d9c8b6f5-a', image: pinned }),
      pod({ name: 'guestlist-5f6d7c8b9-z', hash: '5f6d7c8b9', digest: DIGEST_B, deleting: true }),
      pod({ name: 'debug', digest: DIGEST_B, orphan: true }),
    ];
    expect(decideStatus(input({ pods }))).toEqual({ verdict: 'in sync' });
  });

  it('should say not yet synced when Argo CD reports OutOfSync for another object', () => {
    expect(decideStatus(input({ app: application({ sync: 'OutOfSync' }) }))).toEqual({
      verdict: 'not yet synced',
      reason: 'Argo CD sync status is OutOfSync',
    });
  });

  it('should say rolling out while an operation runs or the status is from before the sync', () => {
    expect(decideStatus(input({ app: application({ operation: true }) })).verdict).toBe('rolling out');
    const stale = application({ finishedAt: '2026-11-20T10:05:00Z', reconciledAt: '2026-11-20T10:04:00Z' });
    expect(decideStatus(input({ app: stale })).verdict).toBe('rolling out');
  });

  it('should say not yet synced when the Deployment does not exist yet', () => {
    const missing = 'Deployment guestlist not found in namespace guestlist-dev';
    expect(decideStatus(input({ deployment: undefined, deploymentMissing: missing }))).toEqual({
      verdict: 'not yet synced',
      reason: missing,
    });
  });
});
