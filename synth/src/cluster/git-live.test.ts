import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepo, GitSetupError } from './git-live';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function commit(cwd: string, files: Record<string, string>, message: string): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, path)), { recursive: true });
    writeFileSync(join(cwd, path), text);
  }
  git(cwd, 'add', '-A');
  git(cwd, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD');
}

describe('GitRepo.checkLive', () => {
  let root: string;
  let work: string;
  let repo: GitRepo;
  const sha: Record<string, string> = {};

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'git-live-'));
    git(root, 'init', '-q', '--bare', '-b', 'main', 'origin.git');
    git(root, 'clone', '-q', 'origin.git', 'work');
    work = join(root, 'work');
    sha.base = commit(work, { 'dist/dev/deployment.yaml': 'image: a:0.1.0\n', 'service/a.ts': '1' }, 'base');
    sha.r = commit(work, { 'dist/dev/deployment.yaml': 'image: a:0.2.0\n' }, 'bump dev to 0.2.0');
    sha.unrelated = commit(
      work,
      { 'service/a.ts': '2', 'dist/staging/x.yaml': 'y' },
      'service: unrelated change',
    );
    sha.c = commit(work, { 'dist/dev/deployment.yaml': 'image: a:0.3.0\n' }, 'bump dev to 0.3.0');
    sha.later = commit(work, { 'service/a.ts': '3' }, 'service: later change');
    git(work, 'push', '-q', 'origin', 'main');
    git(work, 'checkout', '-q', '-b', 'other', sha.base as string);
    sha.side = commit(work, { 'dist/dev/deployment.yaml': 'image: a:9.9.9\n' }, 'side branch');
    git(work, 'checkout', '-q', 'main');
    repo = GitRepo.open(work);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('should say live when R is the synced revision', () => {
    expect(repo.checkLive(sha.r as string, sha.r as string, 'dist/dev')).toEqual({
      kind: 'live',
      unrelated: 0,
    });
  });

  it('should pass an unrelated later commit in the monorepo (service and another environment changed)', () => {
    expect(repo.checkLive(sha.r as string, sha.unrelated as string, 'dist/dev')).toEqual({
      kind: 'live',
      unrelated: 1,
    });
  });

  it('should fail when an intermediate commit changed dist/<env>, naming that commit', () => {
    const result = repo.checkLive(sha.r as string, sha.later as string, 'dist/dev');
    const r = (sha.r as string).slice(0, 12);
    const s = (sha.later as string).slice(0, 12);
    const c = (sha.c as string).slice(0, 7);
    expect(result).toEqual({
      kind: 'changed',
      reason: `dist/dev changed between ${r} and the synced revision ${s} (first by ${c} bump dev to 0.3.0): the cluster runs a later dist/dev, not this one`,
    });
  });

  it('should say behind when the synced revision is an ancestor of R', () => {
    expect(repo.checkLive(sha.r as string, sha.base as string, 'dist/dev')).toEqual({
      kind: 'behind',
      reason: `Argo CD is at ${(sha.base as string).slice(0, 12)}, which does not contain ${(sha.r as string).slice(0, 12)} yet`,
    });
  });

  it('should say diverged for a revision on another branch', () => {
    expect(repo.checkLive(sha.r as string, sha.side as string, 'dist/dev').kind).toBe('diverged');
  });

  it('should fetch origin once when the synced revision is newer than the clone', () => {
    const other = join(root, 'other');
    git(root, 'clone', '-q', 'origin.git', 'other');
    const pushed = commit(other, { 'service/b.ts': 'b' }, 'service: pushed elsewhere');
    git(other, 'push', '-q', 'origin', 'main');
    const fresh = GitRepo.open(work);
    expect(fresh.checkLive(sha.c as string, pushed, 'dist/dev')).toEqual({ kind: 'live', unrelated: 2 });
    expect(fresh.checkLive(sha.c as string, 'f'.repeat(40), 'dist/dev')).toEqual({
      kind: 'missing',
      reason: "Argo CD's synced revision ffffffffffff is not in this clone (even after git fetch origin)",
    });
  });

  it('should find the last commit that changed a path and list uncommitted changes', () => {
    expect(repo.lastChange('dist/dev')).toBe(sha.c);
    expect(repo.uncommitted('dist/dev')).toEqual([]);
    writeFileSync(join(work, 'dist/dev/new.yaml'), 'x');
    expect(repo.uncommitted('dist/dev')).toEqual(['?? dist/dev/new.yaml']);
    rmSync(join(work, 'dist/dev/new.yaml'));
    expect(() => repo.lastChange('dist/nowhere')).toThrow(
      'no commit on HEAD changes dist/nowhere; commit the rendered output first',
    );
  });

  it('should refuse a shallow clone and a folder outside git', () => {
    git(root, 'clone', '-q', '--depth', '1', `file://${join(root, 'origin.git')}`, 'shallow');
    expect(() => GitRepo.open(join(root, 'shallow'))).toThrow(GitSetupError);
    expect(() => GitRepo.open(join(root, 'shallow'))).toThrow(
      `${join(root, 'shallow')} is a shallow clone; verify needs the history (git fetch --unshallow, or actions/checkout with fetch-depth: 0)`,
    );
    const plain = mkdtempSync(join(tmpdir(), 'no-git-'));
    expect(() => GitRepo.open(plain)).toThrow(
      `${plain} is not inside a git clone; verify needs the repository's history`,
    );
    rmSync(plain, { recursive: true, force: true });
  });
});
