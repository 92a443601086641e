// Writes rendered folders atomically: all targets are swapped in or none, and staging left by a killed run is
// cleaned up.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const STAGING_PREFIX = '.synth-staging-';

/**
 * Removes staging folders left by a synth process that was killed mid-write (its pid is gone). dist/ is
 * generated, so whatever such a run left half-swapped is simply rendered again by this one.
 */
export function removeAbandonedStaging(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = Number(/^\.synth-staging-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One path to replace as a whole: a folder of files, a single file, or a removal. */
export type WriteTarget =
  | { readonly path: string; readonly files: ReadonlyMap<string, string> }
  | { readonly path: string; readonly content: string }
  | { readonly path: string; readonly remove: true };

/**
 * Replaces every target or none. Everything is first written into a staging folder inside `stagingParent`
 * (same filesystem, so renames are atomic); then each target is swapped in with two renames
 * (old → backup, staged → target). Any failure undoes the swaps done so far, in reverse.
 */
export function writeAtomic(stagingParent: string, targets: readonly WriteTarget[]): void {
  if (targets.length === 0) return;
  mkdirSync(stagingParent, { recursive: true });
  removeAbandonedStaging(stagingParent);
  const staging = mkdtempSync(join(stagingParent, `${STAGING_PREFIX}${process.pid}-`));
  const staged = (i: number) => join(staging, `new-${i}`);
  const backup = (i: number) => join(staging, `old-${i}`);
  const undo: (() => void)[] = [];
  try {
    targets.forEach((t, i) => {
      if ('files' in t) {
        mkdirSync(staged(i));
        for (const [name, content] of t.files) writeFileSync(join(staged(i), name), content);
      } else if ('content' in t) {
        writeFileSync(staged(i), t.content);
      }
    });
    targets.forEach((t, i) => {
      if (existsSync(t.path)) {
        renameSync(t.path, backup(i));
        undo.push(() => renameSync(backup(i), t.path));
      }
      if (!('remove' in t)) {
        mkdirSync(dirname(t.path), { recursive: true });
        renameSync(staged(i), t.path);
        undo.push(() => renameSync(t.path, staged(i)));
      }
    });
  } catch (error) {
    for (const step of undo.reverse()) step();
    throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
