// The one git client of the project: runs the `git` binary in one working tree (porcelain and plumbing, never
// its files) with an environment that neither prompts nor takes optional locks, for the ops commands and
// verify alike. It never fetches on its own: whether to ask a remote is the caller's decision.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CommandError } from '../errors';

/**
 * git could not do what was asked (not a working tree, a command failed): one of the project's user errors,
 * one line printed after the command's name, exit 1.
 */
export class GitError extends CommandError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'GitError';
  }
}

/** The outcome of one git command. */
export interface GitResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Never wait for a prompt (credentials, editor): CI has no one to answer it. No optional locks: a read such as
 * `git status` must not take index.lock, or a commit running at that moment (another ops command, verify, or
 * the user's) fails with "index.lock: File exists".
 */
const SAFE_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', GIT_OPTIONAL_LOCKS: '0' } as const;

/** Runs git in one working tree. */
export class Git {
  private constructor(readonly root: string) {}

  /**
   * The working tree containing `dir`: the nearest folder with a `.git` entry (a folder, or the file of a
   * worktree), found without starting git; undefined when there is none.
   */
  static find(dir: string): Git | undefined {
    for (let at = resolve(dir); ; at = dirname(at)) {
      if (existsSync(join(at, '.git'))) return new Git(at);
      if (dirname(at) === at) return undefined;
    }
  }

  /** {@link find}, or a {@link GitError} naming `dir`. */
  static open(dir: string): Git {
    const git = Git.find(dir);
    if (!git) throw new GitError(`${dir} is not inside a git working tree (the ops commands need one)`);
    return git;
  }

  /** stdout of a git command; a {@link GitError} with git's own first error line on failure. */
  run(args: readonly string[], input?: string): string {
    const result = this.tryRun(args, input);
    if (result.status !== 0) {
      const line = result.stderr.split('\n').find((l) => l.trim() !== '') ?? `exit ${result.status}`;
      throw new GitError(`git ${args[0]} failed: ${line.trim()}`);
    }
    return result.stdout;
  }

  /** A git command's status and output, whatever the status. */
  tryRun(args: readonly string[], input?: string): GitResult {
    const result = spawnSync('git', ['-C', this.root, ...args], {
      encoding: 'utf8',
      input: input ?? '',
      maxBuffer: 512 * 1024 * 1024,
      env: { ...process.env, ...SAFE_ENV },
      timeout: 120_000,
    });
    if (result.error) throw new GitError(`git ${args[0]} could not run: ${result.error.message}`);
    return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
  }

  /** Whether a command exits 0 (a yes/no question such as `merge-base --is-ancestor`). */
  succeeds(args: readonly string[]): boolean {
    return this.tryRun(args).status === 0;
  }

  /** The commit HEAD points to (undefined in a repository without commits). */
  head(): string | undefined {
    const r = this.tryRun(['rev-parse', '--verify', '-q', 'HEAD']);
    return r.status === 0 ? r.stdout.trim() : undefined;
  }

  /** Whether this is a shallow clone (its ancestry answers can be wrong). */
  isShallow(): boolean {
    return this.run(['rev-parse', '--is-shallow-repository']).trim() === 'true';
  }

  /** Whether the commit exists in this clone (no fetch). */
  hasCommit(sha: string): boolean {
    return this.succeeds(['cat-file', '-e', `${sha}^{commit}`]);
  }

  /** The last commit on HEAD that changed `path`; undefined when none did (or there is no commit). */
  lastChange(path: string): string | undefined {
    if (this.head() === undefined) return undefined;
    return this.run(['log', '-1', '--format=%H', 'HEAD', '--', path]).trim() || undefined;
  }

  /** `git status` entries under the pathspecs: two-letter code (`??` untracked) and path, untracked files listed. */
  status(pathspecs: readonly string[]): { code: string; path: string }[] {
    const out = this.run(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...pathspecs]);
    const entries: { code: string; path: string }[] = [];
    const fields = out.split('\0');
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as string;
      if (field.length < 4) continue;
      entries.push({ code: field.slice(0, 2), path: field.slice(3) });
      if (field[0] === 'R' || field[0] === 'C') i++; // the rename's source follows
    }
    return entries;
  }

  /** Paths (relative to the root) under the given pathspecs with staged, unstaged or untracked changes. */
  dirtyPaths(pathspecs: readonly string[]): string[] {
    return this.status(pathspecs).map((e) => e.path);
  }
}
