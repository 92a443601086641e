import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { issueMessage, valueAt } from './issues';
import { formatPath, locate } from './locate';
import { DEFAULTS, type EnvironmentConfig, EnvironmentFileSchema, resolveDefaults } from './schema';
import { parseSimpleYaml } from './simple-yaml';

/** All errors of all environment files, each `environments/<file>.yaml:<line>:<col> <key.path>: <message>`. */
export class ConfigError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`${errors.length} error(s) in environment files:\n${errors.join('\n')}`);
    this.name = 'ConfigError';
  }
}

interface LoadedFile {
  readonly source: string;
  readonly text: string;
  readonly config?: EnvironmentConfig;
  /** The parsed Document with positions; built only when a message needs a line and column. */
  parsed?: { readonly doc: Document; readonly counter: LineCounter };
}

/** Environment files in a directory: every `*.yaml` / `*.yml`, sorted. */
export function environmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

/**
 * Loads and validates every environment file in `dir` (default `environments`), sorted by name.
 * Collects every error of every file before throwing one `ConfigError`.
 */
export function loadEnvironments(dir = 'environments'): EnvironmentConfig[] {
  const shown = basename(dir);
  const errors: string[] = [];
  const loaded: LoadedFile[] = [];
  for (const file of environmentFiles(dir)) {
    const source = `${shown}/${file}`;
    const text = readFileSync(join(dir, file), 'utf8');
    const fileErrors: string[] = [];
    loaded.push(loadOne(source, text, file.replace(/\.ya?ml$/, ''), fileErrors));
    errors.push(...fileErrors.sort(byPosition));
  }
  crossCheck(loaded, errors);
  if (errors.length > 0) throw new ConfigError(errors);
  return loaded
    .map((l) => l.config as EnvironmentConfig)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function loadOne(source: string, text: string, stem: string, errors: string[]): LoadedFile {
  // Fast path: a plain file that passes every check needs no positions. Any doubt (outside the simple
  // subset, or any error) takes the full path below, which produces every message with its position.
  const quick = parseSimpleYaml(text);
  if (quick !== undefined) {
    let problems = 0;
    const config = validate(quick ?? {}, source, stem, () => {
      problems++;
    });
    if (config && problems === 0) return { source, text, config };
  }
  const parsed = parseWithPositions(text);
  const { doc, counter } = parsed;
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = counter.linePos(e.pos[0]);
      errors.push(`${source}:${pos.line}:${pos.col} (yaml): ${e.message.split('\n')[0]}`);
    }
    return { source, text, parsed };
  }
  const before = errors.length;
  const config = validate(doc.toJS() ?? {}, source, stem, (path, message, keyOf = false) => {
    const { line, col } = locate(doc, counter, path, { keyOf });
    errors.push(`${source}:${line}:${col} ${formatPath(path)}: ${message}`);
  });
  return errors.length > before || !config ? { source, text, parsed } : { source, text, parsed, config };
}

function parseWithPositions(text: string): { doc: Document; counter: LineCounter } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  return { doc, counter };
}

type Report = (path: readonly PropertyKey[], message: string, keyOf?: boolean) => void;

/** Schema and per-file checks of a file's data; every problem goes to `at`. The config when the schema passed. */
function validate(data: unknown, source: string, stem: string, at: Report): EnvironmentConfig | undefined {
  const result = EnvironmentFileSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const allowed = allowedKeys(issue.path);
        for (const key of issue.keys) {
          at([...issue.path, key], `unknown key (allowed: ${allowed.join(', ')})`, true);
        }
      } else {
        at(issue.path, issueMessage(issue, data));
      }
    }
  }
  // These checks read the raw data, so a file with schema errors still gets them reported in the same run.
  const name = valueAt(data, ['name']);
  if (typeof name === 'string' && name !== stem) {
    at(['name'], `"${name}" must equal the file name "${stem}"`);
  }
  const tag = valueAt(data, ['image', 'tag']);
  const allowedTags = result.success ? result.data.imagePolicy.allowedTags : DEFAULTS.allowedTags;
  if (tag === 'latest') {
    at(
      ['image', 'tag'],
      '"latest" is not allowed (pin a version; the cluster would never notice a new image)',
    );
  } else if (typeof tag === 'string' && !new RegExp(allowedTags).test(tag)) {
    at(['image', 'tag'], `"${tag}" does not match imagePolicy.allowedTags /${allowedTags}/`);
  }
  return result.success ? resolveDefaults(result.data, source) : undefined;
}

/** Position of a key path in a loaded file (parses the Document on first use). */
function locateIn(file: LoadedFile, path: readonly PropertyKey[]) {
  file.parsed ??= parseWithPositions(file.text);
  return locate(file.parsed.doc, file.parsed.counter, path);
}

/** Checks that need every file: promotion sources exist and form no cycle. */
function crossCheck(loaded: readonly LoadedFile[], errors: string[]): void {
  const byName = new Map<string, EnvironmentConfig>();
  for (const l of loaded) if (l.config) byName.set(l.config.name, l.config);
  for (const l of loaded) {
    const from = l.config?.promotion?.from;
    if (!l.config || from === undefined) continue;
    const where = () => {
      const { line, col } = locateIn(l, ['promotion', 'from']);
      return `${l.source}:${line}:${col} promotion.from:`;
    };
    if (from === l.config.name) {
      errors.push(`${where()} "${from}" must name another environment, not this one`);
    } else if (!byName.has(from) && !loaded.some((o) => o.source.endsWith(`/${from}.yaml`))) {
      const known = [...byName.keys()].sort().join(', ');
      errors.push(`${where()} "${from}" is not an environment (known: ${known})`);
    } else if (hasCycle(l.config.name, byName)) {
      errors.push(`${where()} "${from}" makes a promotion cycle through "${l.config.name}"`);
    }
  }
}

/** Orders `file:line:col ...` messages of one file by line, then column. */
function byPosition(a: string, b: string): number {
  const pos = (m: string) => (/:(\d+):(\d+) /.exec(m) ?? []).slice(1).map(Number);
  const [la = 0, ca = 0] = pos(a);
  const [lb = 0, cb = 0] = pos(b);
  return la - lb || ca - cb;
}

function hasCycle(start: string, byName: ReadonlyMap<string, EnvironmentConfig>): boolean {
  const seen = new Set<string>([start]);
  let next = byName.get(start)?.promotion?.from;
  while (next !== undefined) {
    if (seen.has(next)) return next === start;
    seen.add(next);
    next = byName.get(next)?.promotion?.from;
  }
  return false;
}

/** Keys the schema allows at a path (for "unknown key" messages). */
function allowedKeys(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = EnvironmentFileSchema;
  for (const segment of [...path, undefined]) {
    schema = unwrap(schema);
    if (segment === undefined) break;
    if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodObject) schema = schema.shape[String(segment)] as z.ZodType;
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}
