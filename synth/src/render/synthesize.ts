// What `synth` does: renders through every gate, compares with dist/, and replaces what changed atomically
// (or only checks).
import { dirname, join, relative, resolve } from 'node:path';
import type { FileChange } from './diff';
import { checkRemovals, planChanges, type Removal } from './plan';
import { type RenderOptions, render } from './render';
import { writeAtomic } from './write';

/** A render into an output folder (what `synth` does, callable in-process by other commands). */
export interface SynthesizeOptions extends RenderOptions {
  /** Output folder, e.g. `dist` (resolved against the working directory). */
  readonly outDir: string;
  /** Write nothing; only report what differs. @default false */
  readonly check?: boolean;
  /** Protected environments whose removal is allowed in this run. @default [] */
  readonly allowRemove?: readonly string[];
  /** How paths are printed. @default relative to the working directory */
  readonly show?: (path: string) => string;
}

/** What a run rendered, found different and (unless checking) wrote. */
export interface SynthesisReport {
  /** Output folders rendered, e.g. `dev`, ..., `argocd`. */
  readonly folders: readonly string[];
  /** Files that differ(ed) between the render and the disk. */
  readonly changes: readonly FileChange[];
  /** Environments whose folder (and Application) the run removes or would remove. */
  readonly removals: readonly Removal[];
  /** Waived policy violations, one line each. */
  readonly waived: readonly string[];
  /** True when files were written (not a check, and something changed). */
  readonly written: boolean;
  /** The output folder as shown, e.g. `dist`. */
  readonly outShown: string;
}

/**
 * Renders the environments (all, or `only` plus `dist/argocd`) through every gate, compares the result with
 * `outDir` and `environments/schema.json`, and unless `check` is set replaces what changed atomically.
 * Throws a `UserError` (ConfigError, GateError, UsageError, RefusedError) with nothing written.
 */
export function synthesize(options: SynthesizeOptions): SynthesisReport {
  const outDir = resolve(options.outDir);
  const environmentsDir = resolve(options.environmentsDir);
  const show = options.show ?? ((p: string) => relative(process.cwd(), p) || '.');
  const result = render({ ...options, environmentsDir });
  const plan = planChanges(result, { outDir, schemaPath: join(environmentsDir, 'schema.json'), show });
  const writing = options.check !== true;
  checkRemovals(
    plan,
    { complete: result.complete, allowRemove: options.allowRemove ?? [], writing },
    result.environments.map((e) => e.name),
  );
  if (writing) writeAtomic(dirname(outDir), plan.targets);
  return {
    folders: [...result.tree.keys()],
    changes: plan.changes,
    removals: plan.removals,
    waived: result.waived,
    written: writing && plan.targets.length > 0,
    outShown: show(outDir),
  };
}
