// One broken environment file, every command that reads environment files, the real CLI as a process: each
// refuses with exit 1 (a failed check, not a usage error), names the file, line and key, and changes nothing.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand } from '../../../test/launcher';
import { opsRepo } from '../../../test/ops-repo';
import type { TempRepo } from '../../../test/temp-repo';

let repo: TempRepo;

beforeAll(() => {
  repo = opsRepo();
  const good = repo.read('environments/dev.yaml');
  repo.write('environments/dev.yaml', good.replace('logLevel: debug', 'logLevel: loud'));
});
afterAll(() => repo.cleanup());

/** `npm run <args…>` without npm, in the clone, with a home that holds no kubeconfig. */
function cli(args: readonly string[]) {
  const r = spawnSync(...cliCommand(...args), {
    cwd: repo.dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', HOME: join(repo.dir, 'home') },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// history is not here: it reads git's history of the file, never the file's settings.
const COMMANDS: readonly (readonly string[])[] = [
  [],
  ['render', '--check'],
  ['bump', 'dev', '--tag', '0.2.0'],
  ['promote', 'dev', 'staging', '--skip-verify', '--reason', 'x'],
  ['pin', 'dev', '--reason', 'freeze'],
  ['unpin', 'dev'],
  ['rollback', 'dev', '--to', '0.0.9'],
  ['env', 'new', 'alice', '--from', 'dev'],
  ['env', 'remove', 'dev'],
  ['diff'],
  ['status'],
  ['verify', 'dev'],
];

describe('the same broken environment file, from every command', () => {
  it.each(COMMANDS)('synth %s… exits 1 naming the file, line and key, and changes nothing', (...args) => {
    const before = repo.snapshot();
    const r = cli(args);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toMatch(/^environments\/dev\.yaml:\d+:\d+ logLevel: "loud" must be one of: /m);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(repo.snapshot()).toEqual(before);
  });
});
