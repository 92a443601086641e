import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitRepo } from '../cluster/git-live';
import { Git, GitError } from './git';

let dir: string;
// git as a person or another tool runs it: optional locks on (the default).
const { GIT_OPTIONAL_LOCKS: _, ...defaultEnv } = process.env;
const plainGit = (...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: defaultEnv });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'domain-git-'));
  plainGit('init', '-q', '-b', 'main');
  plainGit('config', 'user.name', 'T');
  plainGit('config', 'user.email', 't@example.com');
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  plainGit('add', 'a.txt');
  plainGit('commit', '-q', '-m', 'a');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Makes the index's stat data of a.txt stale (same content, new mtime): a status then wants to refresh it. */
function staleIndex(): Buffer {
  const later = new Date(Date.now() + 10_000);
  utimesSync(join(dir, 'a.txt'), later, later);
  return readFileSync(join(dir, '.git', 'index'));
}

describe('the one git client', () => {
  it('should read status without taking index.lock to refresh the index (ops and verify alike)', () => {
    const before = staleIndex();
    expect(Git.open(dir).status(['.'])).toEqual([]);
    expect(GitRepo.open(dir).uncommitted('.')).toEqual([]);
    expect(readFileSync(join(dir, '.git', 'index')).equals(before)).toBe(true);
    // The control: git's default status does write the index (it takes index.lock to do it).
    plainGit('status', '--porcelain');
    expect(readFileSync(join(dir, '.git', 'index')).equals(before)).toBe(false);
  });

  it('should refuse a folder outside git, and a failed command, with one line', () => {
    const outside = mkdtempSync(join(tmpdir(), 'no-git-'));
    try {
      expect(Git.find(outside)).toBeUndefined();
      expect(() => Git.open(outside)).toThrow(GitError);
      expect(() => Git.open(outside)).toThrow(`${outside} is not inside a git working tree`);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    expect(() => Git.open(dir).run(['rev-parse', 'no-such-ref'])).toThrow(/^git rev-parse failed: /);
    expect(Git.open(dir).lastChange('a.txt')).toBe(plainGit('rev-parse', 'HEAD').trim());
    expect(Git.open(dir).lastChange('nowhere')).toBeUndefined();
  });
});
