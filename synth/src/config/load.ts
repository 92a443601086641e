// Loads and validates every environment file, collecting each error with its file, line and key path before
// anything is rendered.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors';
import { ackHubName, type ClusterEntry } from './cluster-schema';
import { CLUSTERS_DIR, readClusterEntries } from './clusters';
import { environmentFiles } from './environment-files';
import { issueMessage, valueAt } from './issues';
import { formatPath, locate } from './locate';
import { DEFAULTS, type EnvironmentConfig, EnvironmentFileSchema, resolveDefaults } from './schema';
import { nearest } from './suggest';
import {
  checkAckHubs,
  checkAddons,
  checkClusterEntries,
  checkHubFolders,
  checkHubNamespaces,
  checkIngressGroups,
  clusterKey,
  type PlacedEnvironment,
} from './topology';

/** All errors of all environment files, each `environments/<file>:<line>:<col> <key.path>: <message>`. */
export class ConfigError extends UserError {
  constructor(errors: readonly string[]) {
    super(errors, 1, `${errors.length} error(s); nothing was written`);
    this.name = 'ConfigError';
  }
}

/** Names that can never be an environment: `dist/argocd/` holds the Argo CD objects. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['argocd']);

/** Options of `loadEnvironments`. */
export interface LoadOptions {
  /**
   * File name → text to use instead of what is on disk, or `null` to treat that file as deleted; lets a caller
   * (the ops CLI) validate an edit with every cross-file check before it writes anything.
   * @default - the files as they are on disk
   */
  readonly overrides?: ReadonlyMap<string, string | null>;
}

/** The result of checking one environment file's text on its own. */
export interface FileCheck {
  /** The environment with defaults applied; undefined when there are errors. */
  readonly config?: EnvironmentConfig;
  /** Every problem, `environments/<file>:<line>:<col> <key.path>: <message>`, by position. */
  readonly errors: readonly string[];
}

interface LoadedFile {
  readonly source: string;
  readonly name: string;
  readonly config?: EnvironmentConfig;
  readonly doc?: Document;
  readonly counter: LineCounter;
}

/**
 * Loads and validates every environment file (`*.yaml` / `*.yml`) in `dir`, sorted by name. Collects every
 * error of every file, then throws one `ConfigError`.
 */
export function loadEnvironments(dir = 'environments', options: LoadOptions = {}): EnvironmentConfig[] {
  const shown = basename(dir);
  const errors: string[] = [];
  const loaded: LoadedFile[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError([
      `${dir}: cannot read the folder of environment files (${code}); see --environments`,
    ]);
  }
  const listing = environmentFiles(entries, shown, options.overrides);
  errors.push(...listing.errors);
  for (const { file, name } of listing.files) {
    const text = options.overrides?.get(file) ?? readText(dir, file, shown, errors);
    if (text === undefined) continue;
    const fileErrors: string[] = [];
    loaded.push(loadOne(`${shown}/${file}`, name, text, fileErrors));
    errors.push(...fileErrors.sort(byPosition));
  }
  crossCheck(loaded, errors);
  const { entries: clusters, names: clusterNames } = clusterEntriesFor(loaded, dir, shown, errors);
  checkClusterEntries([...clusters.values()], errors);
  checkAckHubs(clusters, clusterNames, `${shown}/${CLUSTERS_DIR}`, errors);
  const placed = loaded.flatMap((l): PlacedEnvironment[] => {
    const entry = l.config && clusters.get(l.config.cluster);
    return l.config && entry ? [{ config: l.config, entry, at: (path) => where(l, path) }] : [];
  });
  checkDestinations(placed, loaded, errors);
  checkAddons(placed, errors);
  checkHubFolders(placed, errors);
  checkHubNamespaces(placed, errors);
  checkIngressGroups(placed, errors);
  if (errors.length > 0) throw new ConfigError(errors);
  return placed
    .map((p) => {
      const hub = ackHubName(p.entry);
      const ackHub = hub === undefined ? undefined : clusters.get(hub);
      return { ...p.config, clusterEntry: p.entry, ...(ackHub && { ackHub }) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Checks the text of one environment file on its own (schema, name = file name, image policy), with the same
 * messages as `loadEnvironments`; cross-file checks (promotion sources, destinations) need `loadEnvironments`.
 */
export function checkEnvironmentText(text: string, file: string, shownDir = 'environments'): FileCheck {
  const errors: string[] = [];
  const name = file.replace(/\.ya?ml$/, '');
  const loaded = loadOne(`${shownDir}/${file}`, name, text, errors);
  return loaded.config && errors.length === 0
    ? { config: loaded.config, errors: [] }
    : { errors: errors.sort(byPosition) };
}

function readText(dir: string, file: string, shown: string, errors: string[]): string | undefined {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const why = code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code})`;
    errors.push(`${shown}/${file}:1:1 (file): ${why}`);
    return undefined;
  }
}

function loadOne(source: string, name: string, text: string, errors: string[]): LoadedFile {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, message: string) => {
    const pos = counter.linePos(offset);
    errors.push(`${source}:${pos.line}:${pos.col} (yaml): ${message.split('\n')[0]}`);
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      // yaml's own wording for this one addresses programmers ("use YAML.parseAllDocuments()").
      const multiple = 'an environment file is one YAML document: remove this "---" and what follows it';
      at(e.pos[0], e.code === 'MULTIPLE_DOCS' ? multiple : e.message);
    }
    return { source, name, counter };
  }
  let data: unknown;
  try {
    // toJS throws on alias bombs ("Excessive alias count") and similar; that is a problem of the file.
    data = doc.toJS() ?? {};
  } catch (error) {
    at(0, (error as Error).message);
    return { source, name, counter };
  }
  const before = errors.length;
  const config = validate(data, source, name, (path, message, keyOf = false) => {
    const { line, col } = locate(doc, counter, path, { keyOf });
    errors.push(`${source}:${line}:${col} ${formatPath(path)}: ${message}`);
  });
  return errors.length > before || !config
    ? { source, name, doc, counter }
    : { source, name, doc, counter, config };
}

type Report = (path: readonly PropertyKey[], message: string, keyOf?: boolean) => void;

/** Schema and per-file checks of a file's data; every problem goes to `at`. The config when the schema passed. */
function validate(data: unknown, source: string, stem: string, at: Report): EnvironmentConfig | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    at([], `the file must be a mapping of keys (such as "name: ${stem}"), not ${describe(data)}`);
    return undefined;
  }
  const result = EnvironmentFileSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const allowed = allowedKeys(issue.path);
        for (const key of issue.keys) {
          if (issue.path.length === 1 && issue.path[0] === 'aws' && key === 'cluster') {
            at(
              ['aws', 'cluster'],
              'has moved: name the cluster entry with the top-level key "cluster: <entry>" (environments/clusters/<entry>.yaml)',
              true,
            );
            continue;
          }
          const hint = nearest(key, allowed);
          const list = `(allowed: ${allowed.join(', ')})`;
          at(
            [...issue.path, key],
            hint ? `unknown key; did you mean "${hint}"? ${list}` : `unknown key ${list}`,
            true,
          );
        }
      } else if (issue.path.length === 1 && issue.path[0] === 'cluster') {
        at(
          ['cluster'],
          valueAt(data, ['cluster']) === undefined
            ? 'is required: name the cluster entry environments/clusters/<entry>.yaml this environment runs on'
            : typeof valueAt(data, ['cluster']) === 'object'
              ? 'must name a cluster entry (environments/clusters/<entry>.yaml); how Argo CD reaches the cluster is written in the entry (argocd:)'
              : issueMessage(issue, data),
        );
      } else {
        at(issue.path, issueMessage(issue, data));
      }
    }
  }
  // These checks read the raw data, so a file with schema errors still gets them reported in the same run.
  const name = valueAt(data, ['name']);
  if (typeof name === 'string' && name !== stem) {
    at(['name'], `"${name}" must equal the file name "${stem}"`);
  } else if (typeof name === 'string' && RESERVED_NAMES.has(name)) {
    at(['name'], `"${name}" is reserved for dist/${name}/; pick another environment name`);
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

function describe(data: unknown): string {
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'string')
    return `the text ${JSON.stringify(data.length > 40 ? `${data.slice(0, 40)}...` : data)}`;
  return `the value ${JSON.stringify(data)}`;
}

/** Position of a key path in a loaded file. */
function where(file: LoadedFile, path: readonly PropertyKey[]): string {
  const { line, col } = file.doc ? locate(file.doc, file.counter, path) : { line: 1, col: 1 };
  return `${file.source}:${line}:${col} ${formatPath(path)}:`;
}

/** Checks that need every file: promotion sources exist and form no cycle. */
function crossCheck(loaded: readonly LoadedFile[], errors: string[]): void {
  const byName = new Map<string, EnvironmentConfig>();
  for (const l of loaded) if (l.config) byName.set(l.config.name, l.config);
  const names = new Set(loaded.map((l) => l.name));
  for (const l of loaded) {
    if (!l.config) continue;
    const from = l.config.promotion?.from;
    if (from === undefined) continue;
    if (from === l.config.name) {
      errors.push(`${where(l, ['promotion', 'from'])} "${from}" must name another environment, not this one`);
    } else if (!names.has(from)) {
      const known = `(known: ${[...names].sort().join(', ')})`;
      const hint = nearest(from, names);
      const message = hint
        ? `is not an environment; did you mean "${hint}"? ${known}`
        : `is not an environment ${known}`;
      errors.push(`${where(l, ['promotion', 'from'])} "${from}" ${message}`);
    } else if (hasCycle(l.config.name, byName)) {
      errors.push(
        `${where(l, ['promotion', 'from'])} "${from}" makes a promotion cycle through "${l.config.name}"`,
      );
    }
  }
}

/**
 * Reads every cluster entry (`<dir>/clusters/*.yaml`); an environment naming no entry is an error at its `cluster`
 * key. Entries no environment names are still validated: they describe clusters too (doctor reads them).
 */
function clusterEntriesFor(
  loaded: readonly LoadedFile[],
  dir: string,
  shown: string,
  errors: string[],
): { entries: ReadonlyMap<string, ClusterEntry>; names: readonly string[] } {
  const read = readClusterEntries(dir, shown);
  errors.push(...read.errors);
  for (const l of loaded) {
    const name = l.config?.cluster;
    if (name === undefined || read.names.includes(name)) continue;
    const hint = nearest(name, read.names);
    errors.push(
      `${where(l, ['cluster'])} "${name}" is not a cluster entry (no ${shown}/${CLUSTERS_DIR}/${name}.yaml${hint ? `; did you mean "${hint}"?` : ''}; known: ${read.names.join(', ') || 'none'})`,
    );
  }
  return read;
}

/** Each environment's Argo CD destination (its entry's cluster, its namespace) is its own. */
function checkDestinations(
  placed: readonly PlacedEnvironment[],
  loaded: readonly LoadedFile[],
  errors: string[],
): void {
  const fileOf = new Map(loaded.map((l) => [l.source, l]));
  const destinations = new Map<string, PlacedEnvironment>();
  for (const p of placed) {
    const cluster = clusterKey(p.entry);
    const key = `${cluster} namespace ${p.config.namespace}`;
    const other = destinations.get(key);
    if (!other) {
      destinations.set(key, p);
      continue;
    }
    // Point at the file that sets the namespace by hand (the usual culprit), else at the later one.
    const handWritten = (x: PlacedEnvironment) => fileOf.get(x.config.source)?.doc?.has('namespace') ?? false;
    const [culprit, first] = handWritten(other) && !handWritten(p) ? [other, p] : [p, other];
    errors.push(
      `${culprit.at(['namespace'])} "${p.config.namespace}" on ${cluster} (cluster entry "${p.entry.name}") is also the destination of ${first.config.source}; each environment needs its own namespace`,
    );
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
