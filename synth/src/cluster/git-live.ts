// Verify's questions to git: which commit set what dist/<env> holds (R), and whether R is live at Argo CD's
// synced revision S. Asked through the project's one git client (domain/git.ts); fetching a missing S is the
// caller's choice (the verify command fetches once, promote's gate never does).
import { Git } from '../domain/git';
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
  /** S is not in this clone (even after the one fetch, when fetching is allowed). */
  | { readonly kind: 'missing'; readonly reason: string };

/** Options of {@link GitRepo.open}. */
export interface GitRepoOptions {
  /** Run `git fetch origin` once when S is not in the clone. @default true */
  readonly fetchMissing?: boolean;
}

/** A clone with its history, as verify asks it. */
export class GitRepo {
  private fetched = false;

  private constructor(
    private readonly git: Git,
    private readonly fetchMissing: boolean,
  ) {}

  /** The repository root. */
  get root(): string {
    return this.git.root;
  }

  /** The clone containing `dir`; refuses shallow clones, whose ancestry answers can be wrong. */
  static open(dir: string, options: GitRepoOptions = {}): GitRepo {
    const git = Git.find(dir);
    if (!git)
      throw new GitSetupError(`${dir} is not inside a git clone; verify needs the repository's history`);
    if (git.isShallow()) {
      throw new GitSetupError(
        `${git.root} is a shallow clone; verify needs the history (git fetch --unshallow, or actions/checkout with fetch-depth: 0)`,
      );
    }
    return new GitRepo(git, options.fetchMissing ?? true);
  }

  /** The last commit on HEAD that changed `path` (the commit that set what `path` holds now). */
  lastChange(path: string): string {
    const sha = this.git.lastChange(path);
    if (!sha) throw new GitSetupError(`no commit on HEAD changes ${path}; commit the rendered output first`);
    return sha;
  }

  /** Uncommitted changes (staged, unstaged or untracked) under `path`, as `git status --porcelain` lines. */
  uncommitted(path: string): string[] {
    return this.git.status([path]).map((e) => `${e.code} ${e.path}`);
  }

  /** Whether the commit exists here; with `fetchMissing`, fetches `origin` once per repository when it does not. */
  hasCommit(sha: string): boolean {
    if (this.git.hasCommit(sha)) return true;
    if (!this.fetchMissing || this.fetched) return false;
    this.fetched = true;
    this.git.succeeds(['fetch', '--quiet', '--no-tags', 'origin']);
    return this.git.hasCommit(sha);
  }

  /**
   * Whether R (`commit`) is live at S (`synced`) for `path`: R must be S or an ancestor of S, and `path`
   * must be identical at R and S. Commits between them that touch other paths (a monorepo) do not matter.
   */
  checkLive(commit: string, synced: string, path: string): LiveCheck {
    const short = (s: string) => s.slice(0, 12);
    const git = (...args: string[]) => this.git.run(args).trim();
    if (!this.hasCommit(synced)) {
      return {
        kind: 'missing',
        reason: this.fetchMissing
          ? `Argo CD's synced revision ${short(synced)} is not in this clone (even after git fetch origin)`
          : `Argo CD's synced revision ${short(synced)} is not in this clone; fetch it first (git fetch origin)`,
      };
    }
    const r = git('rev-parse', `${commit}^{commit}`);
    const s = git('rev-parse', `${synced}^{commit}`);
    if (r === s) return { kind: 'live', unrelated: 0 };
    if (this.git.succeeds(['merge-base', '--is-ancestor', r, s])) {
      if (this.git.succeeds(['diff', '--quiet', r, s, '--', path])) {
        return { kind: 'live', unrelated: Number(git('rev-list', '--count', `${r}..${s}`)) };
      }
      const changer = git('log', '--reverse', '--format=%H', `${r}..${s}`, '--', path).split('\n')[0];
      return {
        kind: 'changed',
        reason: `${path} changed between ${short(r)} and the synced revision ${short(s)}${changer ? ` (first by ${git('log', '-1', '--format=%h %s', changer)})` : ''}: the cluster runs a later ${path}, not this one`,
      };
    }
    if (this.git.succeeds(['merge-base', '--is-ancestor', s, r])) {
      return { kind: 'behind', reason: `Argo CD is at ${short(s)}, which does not contain ${short(r)} yet` };
    }
    return {
      kind: 'diverged',
      reason: `Argo CD's synced revision ${short(s)} and ${short(r)} are on diverged histories`,
    };
  }
}
