// promote's gate through the user's door (the real CLI as a process, real git with a bare origin, the local
// Kubernetes API server playing Argo CD): the gate verifies over what the clone holds and never fetches by
// itself. When Argo CD deploys a revision the clone has not fetched, promote refuses and says so; after the
// person's own `git pull`, the same promote passes.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitSandbox, git, runCli } from './git-sandbox';
import { CONTEXT, SimulatedArgoCd } from './simulated-argocd';

const sandbox = new GitSandbox();
let argo: SimulatedArgoCd;
let env: NodeJS.ProcessEnv;
const DIGEST = `sha256:${createHash('sha256').update('promote gate release').digest('hex')}`;

beforeAll(async () => {
  const { GIT_DIR: _d, GIT_WORK_TREE: _w, GIT_INDEX_FILE: _i, ...rest } = process.env;
  argo = await SimulatedArgoCd.start(sandbox.base);
  env = { ...rest, KUBECONFIG: argo.kubeconfig, SYNTH_TIMINGS: '' };
  await sandbox.seed(env);
}, 60_000);

afterAll(async () => {
  await argo?.stop();
  sandbox.remove();
});

describe("promote's gate", () => {
  it('should refuse, without fetching, when Argo CD runs a revision the clone lacks; pass after git pull', async () => {
    const runner = sandbox.clone('runner');
    const bump = await runCli(runner, env, [
      'bump',
      'dev',
      '--tag',
      'sha-1a2b3c4',
      '--digest',
      DIGEST,
      '--commit',
      '--push',
    ]);
    expect([bump.code, bump.stderr]).toEqual([0, expect.any(String)]);
    // Someone else pushes an unrelated commit; Argo CD syncs dev at it (it contains the bump).
    const other = sandbox.clone('other');
    writeFileSync(join(other, 'NOTES.md'), 'unrelated\n');
    git(other, 'add', 'NOTES.md');
    git(other, 'commit', '--quiet', '-m', 'notes');
    git(other, 'push', '--quiet', 'origin', 'main');
    const { revision } = argo.sync(sandbox, 'dev');

    const refused = await runCli(runner, env, [
      'promote',
      'dev',
      'staging',
      '--context',
      CONTEXT,
      '--timeout',
      '2s',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Argo CD's synced revision ${revision.slice(0, 12)} is not in this clone; fetch it first (git fetch origin)`,
    );
    // The gate asked no remote: the revision is still missing from the runner's clone.
    expect(() => git(runner, 'cat-file', '-e', `${revision}^{commit}`)).toThrow();
    expect(git(runner, 'status', '--porcelain')).toBe('');

    git(runner, 'pull', '--quiet', '--ff-only');
    const promoted = await runCli(runner, env, ['promote', 'dev', 'staging', '--context', CONTEXT, '--json']);
    expect([promoted.code, promoted.stderr]).toEqual([0, expect.any(String)]);
    expect(JSON.parse(promoted.stdout)).toMatchObject({
      status: 'changed',
      verified: 'passed',
      verifiedRevision: revision,
    });
  }, 90_000);
});
