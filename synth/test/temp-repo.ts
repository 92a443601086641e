import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repository this checkout is (for copying its environments, dist and argocd settings into tests). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** A temporary clone with a bare "origin", both deleted by `cleanup()`. */
export interface TempRepo {
  readonly dir: string;
  readonly origin: string;
  /** Runs git in the clone (or in `cwd`); returns trimmed stdout. */
  git(args: readonly string[], cwd?: string): string;
  read(path: string): string;
  write(path: string, content: string): void;
  /** A second clone of the same origin (for races), with the same identity. */
  clone(name: string): string;
  /** Every file below the clone (except .git) → content, to prove "nothing changed". */
  snapshot(): Map<string, string>;
  cleanup(): void;
}

const IDENTITY = [
  ['user.name', 'Ops Test'],
  ['user.email', 'ops-test@example.com'],
  ['commit.gpgsign', 'false'],
];

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * Creates a bare origin and a clone holding `files` (path → content) in one initial commit on `main`,
 * pushed to origin with upstream tracking.
 */
export function tempRepo(files: Readonly<Record<string, string>>, copy: readonly string[] = []): TempRepo {
  const base = mkdtempSync(join(tmpdir(), 'ops-git-'));
  const origin = join(base, 'origin.git');
  const dir = join(base, 'work');
  git(['init', '--quiet', '--bare', '--initial-branch=main', origin], base);
  git(['init', '--quiet', '--initial-branch=main', dir], base);
  for (const [k, v] of IDENTITY) git(['config', k as string, v as string], dir);
  for (const path of copy) cpSync(join(REPO_ROOT, path), join(dir, path), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  git(['add', '--all'], dir);
  git(['commit', '--quiet', '-m', 'initial'], dir);
  git(['remote', 'add', 'origin', origin], dir);
  git(['push', '--quiet', '-u', 'origin', 'main'], dir);
  return {
    dir,
    origin,
    git: (args, cwd = dir) => git(args, cwd),
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    write: (path, content) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    clone(name) {
      const target = join(base, name);
      git(['clone', '--quiet', origin, target], base);
      for (const [k, v] of IDENTITY) git(['config', k as string, v as string], target);
      return target;
    },
    snapshot: () => snapshotDir(dir),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Every file below `dir` (except .git) → content. */
export function snapshotDir(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      if (name === '.git') continue;
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out.set(path, readFileSync(join(dir, path), 'utf8'));
    }
  };
  walk('');
  return out;
}
