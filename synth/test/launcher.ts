// The synth CLI as a user runs it: the entry npm's scripts run (`npm run synth` runs `sh synth/bin/synth`, which
// starts the CLI's start-up snapshot) as a process in a working directory, and temporary copies of this
// repository's environments/, argocd/ and dist/ to run it in.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './argocd';

/** The entry `npm run synth` (and every other script of the CLI) runs, with `sh`. */
export const LAUNCHER = join(REPO_ROOT, 'synth', 'bin', 'synth');

/** The program and arguments of one CLI run, as npm's script runs it: `sh synth/bin/synth <args>`. */
export const cliCommand = (...args: readonly string[]): [string, string[]] => ['sh', [LAUNCHER, ...args]];

/** What one run printed and its exit code. */
export interface LauncherRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs `sh synth/bin/synth <args>` in `cwd` (2 minutes at most). */
export function runLauncher(cwd: string, ...args: string[]): LauncherRun {
  const r = spawnSync(...cliCommand(...args), { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Edits of a copy: repository path -> a function of its text (an edit that changes nothing throws). */
export type RepoEdits = Readonly<Record<string, (text: string) => string>>;

/** A fresh temp copy of environments/, argocd/ and dist/ with `edits` applied; the caller removes it. */
export function copyRepo(prefix: string, edits: RepoEdits = {}): string {
  const work = mkdtempSync(join(tmpdir(), prefix));
  for (const dir of ['environments', 'argocd', 'dist']) {
    cpSync(join(REPO_ROOT, dir), join(work, dir), { recursive: true });
  }
  for (const [path, edit] of Object.entries(edits)) {
    const text = readFileSync(join(work, path), 'utf8');
    const after = edit(text);
    if (after === text) throw new Error(`edit of ${path} changed nothing`);
    writeFileSync(join(work, path), after);
  }
  return work;
}
