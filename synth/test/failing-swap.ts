// Failure injection for the atomic write (synth/src/render/write.ts) without a hook in production code: a test
// file mocks `node:fs` with `withFailingSwap`, then `failSwap(i, …)` makes the rename that would swap in target
// `i` throw, after targets 0…i-1 were swapped in. No `node:fs` import here: this module builds the mock of it.
import { basename } from 'node:path';

type Fs = typeof import('node:fs');

let failure: { readonly index: number; readonly error: Error } | undefined;

/** From now on, swapping in target `index` throws `Error(message)` (until {@link clearSwapFailure}). */
export function failSwap(index: number, message: string): void {
  failure = { index, error: new Error(message) };
}

/** Swaps succeed again. */
export function clearSwapFailure(): void {
  failure = undefined;
}

/**
 * `node:fs` with a `renameSync` that throws on the first rename of a target's swap (target → `old-<i>`, or
 * `new-<i>` → target, in the staging folder) while a failure is set; undo renames go through.
 */
export function withFailingSwap(fs: Fs): Fs {
  const renameSync: Fs['renameSync'] = (from, to) => {
    if (
      failure &&
      (basename(String(to)) === `old-${failure.index}` || basename(String(from)) === `new-${failure.index}`)
    )
      throw failure.error;
    fs.renameSync(from, to);
  };
  const { default: whole } = fs as Fs & { default: Fs };
  return { ...fs, renameSync, default: { ...whole, renameSync } } as Fs;
}
