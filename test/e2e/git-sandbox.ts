// A bare "origin" and clones of it that play the CI runners, GitHub's merge button and a person, plus a
// runner for the real synth CLI inside a clone. Real git and real processes; nothing is mocked.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository under test (its environments/, dist/ and argocd/ seed the origin; its CLI runs the steps). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');
/** The entry npm's scripts run (`npm run bump` is `sh synth/bin/synth bump`): the CLI's start-up snapshot. */
const CLI = join(REPO_ROOT, 'synth', 'bin', 'synth');

/** What one CLI run returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** One commit's fixed trailers, keyed by name (`Guestlist-Environment` …). */
export type Trailers = Record<string, string>;

/** Runs git in `cwd`; returns trimmed stdout, throws with git's stderr on failure. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A temp folder holding `origin.git` and named clones; `remove()` deletes it all. */
export class GitSandbox {
  readonly base = mkdtempSync(join(tmpdir(), 'delivery-e2e-'));
  readonly origin = join(this.base, 'origin.git');

  /** Seeds origin's `main` with the repository's environments/, dist/ and argocd/, re-rendered by the CLI. */
  async seed(env: NodeJS.ProcessEnv): Promise<void> {
    git(this.base, 'init', '--quiet', '--bare', '--initial-branch=main', this.origin);
    const seed = join(this.base, 'seed');
    mkdirSync(seed);
    git(seed, 'init', '--quiet', '--initial-branch=main');
    this.identify(seed, 'Seed', 'seed@example.com');
    for (const dir of ['environments', 'dist', 'argocd']) {
      cpSync(join(REPO_ROOT, dir), join(seed, dir), { recursive: true });
    }
    // The CLI under test renders dist/; start from what it renders so every later diff is the step's own.
    const render = await runCli(seed, env, []);
    if (render.code !== 0) throw new Error(`seed render failed: ${render.stderr}`);
    git(seed, 'add', '--all');
    git(seed, 'commit', '--quiet', '-m', 'initial');
    git(seed, 'remote', 'add', 'origin', this.origin);
    git(seed, 'push', '--quiet', '-u', 'origin', 'main');
  }

  /** A fresh clone of origin's main, as actions/checkout gives a runner. */
  clone(name: string, who = 'guestlist-delivery[bot]'): string {
    const dir = join(this.base, name);
    rmSync(dir, { recursive: true, force: true });
    git(this.base, 'clone', '--quiet', this.origin, dir);
    this.identify(dir, who, `${who.replace(/\W/g, '')}@example.com`);
    return dir;
  }

  /** origin's commit for `ref` (default main). */
  head(ref = 'main'): string {
    return git(this.origin, 'rev-parse', ref);
  }

  /** A file at origin's `ref`. */
  show(path: string, ref = 'main'): string {
    return git(this.origin, 'show', `${ref}:${path}`);
  }

  /** The paths a commit of origin changed. */
  changed(commit: string): string[] {
    return git(this.origin, 'diff-tree', '--no-commit-id', '--name-only', '-r', commit).split('\n');
  }

  /** The trailers of a commit of origin (the message's last paragraph, as `git interpret-trailers` reads it). */
  trailers(commit: string): Trailers {
    const text = git(this.origin, 'log', '-1', '--format=%(trailers:only,unfold)', commit);
    return Object.fromEntries(
      text
        .split('\n')
        .filter((l) => l.includes(': '))
        .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
    );
  }

  /** Number of commits on origin's main. */
  count(): number {
    return Number(git(this.origin, 'rev-list', '--count', 'main'));
  }

  /**
   * What GitHub's "Squash and merge" does to a one-commit PR with the default message: one new commit on main
   * with the PR's tree changes and that commit's own message (trailers included).
   */
  squashMerge(branch: string): string {
    const dir = this.clone(`merge-${branch.replace(/\W/g, '-')}`, 'GitHub');
    git(dir, 'fetch', '--quiet', 'origin', `refs/heads/${branch}:refs/remotes/origin/${branch}`);
    git(dir, 'merge', '--quiet', '--squash', `origin/${branch}`);
    git(dir, 'commit', '--quiet', '--no-edit', '-C', `origin/${branch}`);
    git(dir, 'push', '--quiet', 'origin', 'main');
    return this.head();
  }

  remove(): void {
    rmSync(this.base, { recursive: true, force: true });
  }

  private identify(dir: string, name: string, email: string): void {
    git(dir, 'config', 'user.name', name);
    git(dir, 'config', 'user.email', email);
    git(dir, 'config', 'commit.gpgsign', 'false');
  }
}

/** Runs `synth <args>` (the same entry as `npm run <cmd> --`) in `cwd`. */
export function runCli(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile('sh', [CLI, ...args], { cwd, env, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A file of a clone. */
export function readIn(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}
