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
import { type VerifyTarget, verifyTarget } from './verify-target';

const pinned = `${REPOSITORY}:0.1.0@${DIGEST_A}`;
const env: VerifyTarget = {
  environment: 'dev',
  application: { namespace: 'argocd', name: 'guestlist-dev' },
  deployment: {
    namespace: 'guestlist-dev',
    name: 'guestlist',
    labelSelector: 'app=guestlist',
    container: 'guestlist',
  },
  expected: parseImage(pinned),
  commit: REVISION_1,
  sourcePath: 'dist/dev',
};
const pods = ['a', 'b'].map((n) => pod({ name: `guestlist-7d9c8b6f5-${n}`, image: pinned }));
const live = { liveChecks: new Map([[REVISION_1, { kind: 'live', unrelated: 0 } as const]]) };

describe('verifyTarget: a pure decision over what the caller loaded', () => {
  it('should be met from the target, git answers and one cluster read, asking nothing else', () => {
    const d = verifyTarget(env, live, {
      app: application(),
      deployment: deployment({ image: pinned }),
      pods,
    });
    expect(d.kind === 'met' && [d.revision, d.live.length]).toEqual([REVISION_1, 2]);
  });

  it('should wait while git has not answered for the synced revision, and name a missing Deployment', () => {
    expect(verifyTarget(env, { liveChecks: new Map() }, { app: application(), pods })).toEqual({
      kind: 'waiting',
      condition: `git has not checked revision ${REVISION_1.slice(0, 12)} yet`,
    });
    expect(verifyTarget(env, live, { app: application(), pods })).toEqual({
      kind: 'waiting',
      condition: 'Deployment guestlist not found in namespace guestlist-dev',
    });
  });

  it('should fail on a pod running another digest once the rollout completed', () => {
    const wrong = [pod({ name: 'guestlist-7d9c8b6f5-a', image: pinned, digest: DIGEST_B })];
    const d = verifyTarget(env, live, {
      app: application(),
      deployment: deployment({ image: pinned }),
      pods: wrong,
    });
    expect(d).toEqual({
      kind: 'failed',
      reason: `pod guestlist-7d9c8b6f5-a runs digest ${DIGEST_B} after the rollout completed; expected ${DIGEST_A}`,
    });
  });
});
