// The synth CLI as a user runs it: the launcher (`npm run synth` runs `node synth/bin/synth.mjs`) as a process in
// a working directory, and temporary copies of this repository's environments/, argocd/ and dist/ to run it in.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './argocd';

/** The launcher `npm run synth` runs. */
export const LAUNCHER = join(REPO_ROOT, 'synth', 'bin', 'synth.mjs');

/** What one run printed and its exit code. */
export interface LauncherRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs `node synth/bin/synth.mjs <args>` in `cwd` (2 minutes at most). */
export function runLauncher(cwd: string, ...args: string[]): LauncherRun {
  const r = spawnSync(process.execPath, [LAUNCHER, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
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
