// `--json` promises a script exactly one JSON document on stdout: the result, a refusal, or a usage error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/cli';
import { opsRepo } from '../../../test/ops-repo';
import type { TempRepo } from '../../../test/temp-repo';

let repo: TempRepo;
beforeAll(() => {
  repo = opsRepo();
});
afterAll(() => repo.cleanup());

/** The one JSON document stdout holds (fails when it holds none, or more than one). */
function onlyDocument(out: string): Record<string, unknown> {
  expect(out.trim().startsWith('{'), out).toBe(true);
  return JSON.parse(out) as Record<string, unknown>;
}

describe('--json in every case', () => {
  it.each([
    [['bump', 'dev', '--tag', 'latest', '--json'], 1, 'refused', 'bump'],
    [['bump', 'dev', '--tag', 'a', '--tag', 'b', '--json'], 2, 'usage-error', 'bump'],
    [['bump', 'dev', '--tagg', '0.2.0', '--json'], 2, 'usage-error', 'bump'],
    [['promote', 'dev', 'prod', '--json'], 1, 'refused', 'promote'],
    [['pin', 'dev', '--json'], 2, 'usage-error', 'pin'],
    [['rollback', 'dev', '--json'], 1, 'refused', 'rollback'],
    [['env', 'new', 'argocd', '--from', 'dev', '--json'], 2, 'usage-error', 'env new'],
    [['history', 'nope', '--json'], 2, 'usage-error', 'history'],
    [['diff', '--format', 'json', '--base', 'nope'], 2, 'usage-error', 'diff'],
    [['diff', '--json', '--format', 'markdown'], 2, 'usage-error', 'diff'],
    [['status', '--env', 'nope', '--json'], 2, 'usage-error', 'status'],
    [['verify', 'dev', '--json'], 1, 'refused', 'verify'],
  ] as const)('%j: one JSON document on stdout, exit %i', async (args, code, status, command) => {
    const r = await runCli(args, { cwd: repo.dir });
    expect(r.code, r.err).toBe(code);
    const doc = onlyDocument(r.out);
    expect(doc).toMatchObject({ command, status, exitCode: code });
    // The same lines as on stderr, so a script needs only one of the two.
    expect(doc.errors).toEqual(r.err.split('\n'));
  });

  it('should print the result, not an error, when the command succeeds', async () => {
    const r = await runCli(['bump', 'dev', '--tag', '0.2.0', '--json'], { cwd: repo.dir });
    expect(r.code).toBe(0);
    expect(onlyDocument(r.out)).toMatchObject({ command: 'bump', status: 'changed' });
  });

  it('should print nothing on stdout for the same refusal without --json', async () => {
    const r = await runCli(['bump', 'dev', '--tag', 'latest'], { cwd: repo.dir });
    expect(r).toMatchObject({ code: 1, out: '' });
  });
});
