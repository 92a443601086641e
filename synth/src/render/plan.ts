// Plans a write: which files change, which environments' folders go, and whether those removals are allowed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ARGOCD_DIR, hubFolder } from '../charts';
import { PROTECTED_ANNOTATION } from '../charts/guestlist';
import { HUB_SUFFIX, nearest } from '../config';
import { RefusedError, UsageError } from '../errors';
import { compareFolder, type FileChange, GENERATED, readFolder } from './diff';
import type { RenderResult } from './render';
import type { WriteTarget } from './write';

/** An environment whose file is gone while its folder of generated files is still in the output. */
export interface Removal {
  /** Environment name, which is also its folder below the output folder. */
  readonly name: string;
  /** The folder as shown, e.g. `dist/old`. */
  readonly folder: string;
  /** Number of files in it. */
  readonly files: number;
  /** True when its Namespace carries the protected annotation (see `PROTECTED_ANNOTATION`). */
  readonly protected: boolean;
  /** Name of its Argo CD Application that leaves `dist/argocd` in the same run, if any. */
  readonly application?: string;
}

/** Everything a run would change on disk, computed before anything is written. */
export interface Plan {
  readonly changes: readonly FileChange[];
  readonly removals: readonly Removal[];
  readonly targets: readonly WriteTarget[];
}

/** Where a render goes and how paths are shown. */
export interface PlanOptions {
  /** Output folder (`dist`). */
  readonly outDir: string;
  /** Path of `environments/schema.json`. */
  readonly schemaPath: string;
  /** How a path is printed (e.g. relative to the working directory). */
  readonly show: (path: string) => string;
}

/** Compares a render with the disk: changed files, folders of deleted environments, and what to write. */
export function planChanges(result: RenderResult, options: PlanOptions): Plan {
  const { outDir, schemaPath, show } = options;
  const changes: FileChange[] = [];
  const targets: WriteTarget[] = [];
  for (const [dir, files] of result.tree) {
    const path = join(outDir, dir);
    const folderChanges = compareFolder(path, show(path), files);
    changes.push(...folderChanges);
    if (folderChanges.length > 0) targets.push({ path, files });
  }
  const removals: Removal[] = [];
  // Every folder an environment renders: its own, and `<env>-aws` when its ACK objects live on a hub.
  const names = new Set(
    result.environments.flatMap((e) => (e.ackHub === undefined ? [e.name] : [e.name, hubFolder(e)])),
  );
  for (const name of generatedFolders(outDir)) {
    if (names.has(name) || name === ARGOCD_DIR) continue;
    const path = join(outDir, name);
    const files = readFolder(path);
    for (const [file, before] of files) {
      changes.push({ path: `${show(path)}/${file}`, kind: 'not-rendered', before, wholeFolder: true });
    }
    targets.push({ path, remove: true });
    const application = applicationOf(changes, name);
    removals.push({
      name,
      folder: show(path),
      files: files.size,
      protected: [...files.values()].some(isProtected),
      ...(application !== undefined && { application }),
    });
  }
  const schemaBefore = existsSync(schemaPath) ? readFileSync(schemaPath, 'utf8') : undefined;
  if (schemaBefore !== result.schemaJson) {
    changes.push(
      schemaBefore === undefined
        ? { path: show(schemaPath), kind: 'missing', after: result.schemaJson }
        : { path: show(schemaPath), kind: 'differs', before: schemaBefore, after: result.schemaJson },
    );
    targets.push({ path: schemaPath, content: result.schemaJson });
  }
  return { changes, removals, targets };
}

/**
 * Checks `--allow-remove` names against the planned removals (a name that is not being removed is a usage
 * error), then, for a run that writes, refuses removals a subset run must not make and protected removals
 * that were not allowed by name.
 */
export function checkRemovals(
  plan: Plan,
  options: { readonly complete: boolean; readonly allowRemove: readonly string[]; readonly writing: boolean },
  environmentNames: readonly string[],
): void {
  const removing = plan.removals.map((r) => r.name);
  const usage = options.allowRemove.flatMap((name) => {
    if (removing.includes(name)) return [];
    if (environmentNames.includes(name)) {
      return [
        `--allow-remove "${name}": its environment file still exists, so "${name}" is not being removed`,
      ];
    }
    const hint = nearest(name, removing);
    const list = `(being removed: ${removing.join(', ') || 'none'})`;
    return [
      `--allow-remove "${name}": no environment of that name is being removed${hint ? `; did you mean "${hint}"?` : ''} ${list}`,
    ];
  });
  if (usage.length > 0) throw new UsageError(usage);
  if (!options.writing || plan.removals.length === 0) return;
  if (!options.complete) {
    throw new RefusedError(
      plan.removals.map(
        (r) =>
          `${r.folder}/ is not rendered any more (there is no environment file "${r.name}"); a run with --env never removes an environment: run synth without --env to remove it`,
      ),
    );
  }
  // `<env>-aws` (its ACK objects on a hub) goes with its environment: `--allow-remove <env>` covers both.
  const allowed = (r: Removal) =>
    options.allowRemove.includes(r.name) ||
    (r.name.endsWith(HUB_SUFFIX) && options.allowRemove.includes(r.name.slice(0, -HUB_SUFFIX.length)));
  const refused = plan.removals.filter((r) => r.protected && !allowed(r));
  if (refused.length > 0) {
    throw new RefusedError(
      refused.map(
        (r) =>
          `environment "${r.name}" is protected: its environment file is gone, which would remove ${describeRemoval(r)}; restore the file, or pass --allow-remove ${r.name} to remove it`,
      ),
    );
  }
}

/** `dist/old/ (9 files) and its Argo CD Application guestlist-old`. */
export function describeRemoval(r: Removal): string {
  const app = r.application === undefined ? '' : ` and its Argo CD Application ${r.application}`;
  return `${r.folder}/ (${r.files} files)${app}`;
}

/** Folders below `root` in which every file was generated by synth (sorted). */
function generatedFolders(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .filter((name) => {
      const files = readFolder(join(root, name));
      return files.size > 0 && [...files.values()].every((c) => c.startsWith(GENERATED));
    })
    .sort();
}

function isProtected(text: string): boolean {
  if (!text.includes(PROTECTED_ANNOTATION)) return false;
  try {
    const obj = parse(text) as { metadata?: { annotations?: Record<string, unknown> } } | null;
    return obj?.metadata?.annotations?.[PROTECTED_ANNOTATION] === 'true';
  } catch {
    return false;
  }
}

/** The Application leaving dist/argocd whose source path is the removed folder. */
function applicationOf(changes: readonly FileChange[], name: string): string | undefined {
  for (const c of changes) {
    if (c.kind !== 'not-rendered' || !c.path.includes(`/${ARGOCD_DIR}/application-`)) continue;
    try {
      const app = parse(c.before ?? '') as {
        metadata?: { name?: string };
        spec?: { source?: { path?: string } };
      };
      if (app?.spec?.source?.path?.split('/').pop() === name) return app.metadata?.name;
    } catch {
      // A hand-edited file that no longer parses names no Application.
    }
  }
  return undefined;
}
