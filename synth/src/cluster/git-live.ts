import { execFileSync } from 'node:child_process';
import { CommandError } from '../errors';

/** The working tree cannot answer the question (not a clone, shallow, no commit for the path). Exit 2. */
export class GitSetupError extends CommandError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'GitSetupError';
  }
}

/** Whether commit R is live at Argo CD's synced revision S, as git decides it. */
export type LiveCheck =
  /** R = S, or R is an ancestor of S and the path is identical at both (later commits are unrelated). */
  | { readonly kind: 'live'; readonly unrelated: number }
  /** S is an ancestor of R: Argo CD has not picked R up yet. */
  | { readonly kind: 'behind'; readonly reason: string }
  /** R is an ancestor of S but the path changed in between: S deploys something else than R. */
  | { readonly kind: 'changed'; readonly reason: string }
  /** Neither contains the other (another branch, rewritten history). */
  | { readonly kind: 'diverged'; readonly reason: string }
  /** S is not in this clone, even after a fetch. */
  | { readonly kind: 'missing'; readonly reason: string };

/** Runs git in one repository. */
export class GitRepo {
  private fetched = false;

  private constructor(readonly root: string) {}

  /** The repository containing `dir`; refuses shallow clones, whose ancestry answers can be wrong. */
  static open(dir: string): GitRepo {
    let root: string;
    try {
      root = execFileSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim();
    } catch {
      throw new GitSetupError(`${dir} is not inside a git clone; verify needs the repository's history`);
    }
    const repo = new GitRepo(root);
    if (repo.git('rev-parse', '--is-shallow-repository') === 'true') {
      throw new GitSetupError(
        `${root} is a shallow clone; verify needs the history (git fetch --unshallow, or actions/checkout with fetch-depth: 0)`,
      );
    }
    return repo;
  }

  /** git's stdout, trimmed; throws on a non-zero exit. */
  git(...args: string[]): string {
    return execFileSync('git', ['-C', this.root, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    }).trim();
  }

  /** Whether a command exits 0 (1 and other codes give false). */
  private test(...args: string[]): boolean {
    try {
      this.git(...args);
      return true;
    } catch {
      return false;
    }
  }

  /** The last commit on HEAD that changed `path` (the commit that set what `path` holds now). */
  lastChange(path: string): string {
    const sha = this.test('rev-parse', '--verify', '--quiet', 'HEAD')
      ? this.git('log', '-1', '--format=%H', 'HEAD', '--', path)
      : '';
    if (!sha) throw new GitSetupError(`no commit on HEAD changes ${path}; commit the rendered output first`);
    return sha;
  }

  /** Uncommitted changes (staged, unstaged or untracked) under `path`, as `git status --porcelain` lines. */
  uncommitted(path: string): string[] {
    const out = this.git('status', '--porcelain', '--untracked-files=all', '--', path);
    return out === '' ? [] : out.split('\n');
  }

  /** Whether the commit exists here; fetches `origin` once per process when it does not. */
  hasCommit(sha: string): boolean {
    if (this.test('cat-file', '-e', `${sha}^{commit}`)) return true;
    if (this.fetched) return false;
    this.fetched = true;
    this.test('fetch', '--quiet', '--no-tags', 'origin');
    return this.test('cat-file', '-e', `${sha}^{commit}`);
  }

  /** The subject line of a commit, `abc1234 subject`. */
  describe(sha: string): string {
    return this.git('log', '-1', '--format=%h %s', sha);
  }

  /**
   * Whether R (`commit`) is live at S (`synced`) for `path`: R must be S or an ancestor of S, and `path`
   * must be identical at R and S. Commits between them that touch other paths (a monorepo) do not matter.
   */
  checkLive(commit: string, synced: string, path: string): LiveCheck {
    const short = (s: string) => s.slice(0, 12);
    if (!this.hasCommit(synced)) {
      return {
        kind: 'missing',
        reason: `Argo CD's synced revision ${short(synced)} is not in this clone (even after git fetch origin)`,
      };
    }
    const r = this.git('rev-parse', `${commit}^{commit}`);
    const s = this.git('rev-parse', `${synced}^{commit}`);
    if (r === s) return { kind: 'live', unrelated: 0 };
    if (this.test('merge-base', '--is-ancestor', r, s)) {
      if (this.test('diff', '--quiet', r, s, '--', path)) {
        return { kind: 'live', unrelated: Number(this.git('rev-list', '--count', `${r}..${s}`)) };
      }
      const changer = this.git('log', '--reverse', '--format=%H', `${r}..${s}`, '--', path).split('\n')[0];
      return {
        kind: 'changed',
        reason: `${path} changed between ${short(r)} and the synced revision ${short(s)}${changer ? ` (first by ${this.describe(changer)})` : ''}: the cluster runs a later ${path}, not this one`,
      };
    }
    if (this.test('merge-base', '--is-ancestor', s, r)) {
      return {
        kind: 'behind',
        reason: `Argo CD is at ${short(s)}, which does not contain ${short(r)} yet`,
      };
    }
    return {
      kind: 'diverged',
      reason: `Argo CD's synced revision ${short(s)} and ${short(r)} are on diverged histories`,
    };
  }
}
