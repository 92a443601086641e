// The bridge from a build run to the key-holding bump job refuses everything but a successful push build of
// this repository by release.yml on main or personal.yml on a personal environment's feature branch.
import { describe, expect, it } from 'vitest';
import { type BuildRun, handover, PERSONAL_WORKFLOW, RELEASE_WORKFLOW } from './handover';
import type { EnvironmentLink } from './personal-target';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const envs: EnvironmentLink[] = [
  { name: 'dana' },
  { name: 'dev' },
  { name: 'staging', promotion: { from: 'dev' } },
];
const release: BuildRun = {
  path: RELEASE_WORKFLOW,
  event: 'push',
  conclusion: 'success',
  headBranch: 'main',
  headSha: SHA,
  headRepository: 'o/r',
  repository: 'o/r',
};
const personal: BuildRun = { ...release, path: PERSONAL_WORKFLOW, headBranch: 'dana-feature-login' };

describe('handover', () => {
  it('should hand a release build on main to dev with the tag derived from the commit', () => {
    expect(handover(release, `${DIGEST}\n`, envs)).toEqual({
      kind: 'release',
      environment: 'dev',
      tag: 'sha-0123456',
      digest: DIGEST,
      sourceRef: 'main',
    });
  });

  it('should hand a manual release run on main to dev too', () => {
    expect(handover({ ...release, event: 'workflow_dispatch' }, DIGEST, envs)).toMatchObject({
      environment: 'dev',
    });
  });

  it("should hand a feature branch's build to its personal environment only", () => {
    expect(handover(personal, DIGEST, envs)).toEqual({
      kind: 'personal',
      environment: 'dana',
      tag: 'dana-feature-0123456',
      digest: DIGEST,
      sourceRef: 'dana-feature-login',
    });
    expect(handover({ ...personal, headBranch: 'dev-feature-x' }, DIGEST, envs)).toHaveProperty('nothing');
    expect(handover({ ...personal, headBranch: 'staging-feature-x' }, DIGEST, envs)).toHaveProperty(
      'nothing',
    );
    // A branch without a personal environment built nothing (no artifact): nothing to deploy, not an error.
    expect(handover({ ...personal, headBranch: 'erin-feature-x' }, '', envs)).toEqual({
      nothing: 'branch "erin-feature-x": environments/erin.yaml does not exist on main',
    });
    expect(handover(personal, '', envs)).toHaveProperty('refused');
  });

  it.each([
    ['a failed run', { conclusion: 'failure' }, /concluded "failure"/],
    ['a cancelled run', { conclusion: 'cancelled' }, /concluded "cancelled"/],
    ['a run not started by a push', { event: 'pull_request' }, /not a push/],
    ['a manual personal run', { event: 'workflow_dispatch', path: PERSONAL_WORKFLOW }, /not a push/],
    ['a manual release from a branch', { event: 'workflow_dispatch', headBranch: 'x' }, /only main/],
    ['a fork', { headRepository: 'evil/r' }, /from "evil\/r"/],
    ['release.yml from a branch', { headBranch: 'dana-feature-x' }, /only main is released/],
    ['a workflow with a copied name', { path: '.github/workflows/copy.yml' }, /neither/],
    ['a bad head sha', { headSha: 'HEAD' }, /not 40 hex/],
    ['a branch that reads as an option', { headBranch: '--upload-pack=x' }, /not a branch name/],
    ['a branch with a range', { headBranch: 'main..x' }, /not a branch name/],
  ])('should refuse %s', (_, change, why) => {
    const result = handover({ ...release, ...change }, DIGEST, envs);
    expect(result).toHaveProperty('refused');
    expect((result as { refused: string }).refused).toMatch(why);
  });

  it('should read both forms of a run path, the long one for this repository only', () => {
    expect(
      handover({ ...release, path: `o/r/${RELEASE_WORKFLOW}@refs/heads/main` }, DIGEST, envs),
    ).toMatchObject({
      environment: 'dev',
    });
    expect(handover({ ...release, path: `evil/r/${RELEASE_WORKFLOW}@main` }, DIGEST, envs)).toHaveProperty(
      'refused',
    );
  });

  it('should refuse personal.yml running on main', () => {
    expect(handover({ ...personal, headBranch: 'main' }, DIGEST, envs)).toEqual({
      refused: `${PERSONAL_WORKFLOW} ran on main`,
    });
  });

  it.each([
    'sha256:abc',
    `sha256:${'A'.repeat(64)}`,
    `sha512:${'a'.repeat(64)}`,
    `${DIGEST}\nenvironment=prod`,
    `${DIGEST} `.repeat(2),
    '$(id)',
  ])('should refuse the artifact digest %j', (digest) => {
    expect(handover(release, digest, envs)).toHaveProperty('refused');
  });
});
