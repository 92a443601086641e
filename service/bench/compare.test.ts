// bench:compare refuses what it cannot compare before it builds or starts anything: a revision that is not a
// commit (exit 1, one line) and a bad option (exit 2, one line and the usage).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const compare = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'service', 'bench', 'compare.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('npm run bench:compare', () => {
  it('should refuse a revision that is not a commit in one line, exit 1', () => {
    const r = compare('--base', 'no-such-branch');
    expect([r.status, r.stdout, r.stderr]).toEqual([
      1,
      '',
      'bench:compare: --base "no-such-branch" is not a commit of this repository\n',
    ]);
  });

  it('should refuse a bad option with the usage, exit 2', () => {
    const r = compare('--rounds', '0');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('bench:compare: --rounds="0" must be a whole number from 1 to 50');
    expect(r.stderr).toContain('usage: npm run bench:compare -- [--base <a git revision');
  });
});
