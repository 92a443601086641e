// The semantic diff of two rendered trees: objects added, removed or changed, with their changed fields,
// risky changes first.
import { CORE_SCHEMA, load } from 'js-yaml';
import type { RenderedTree } from '../../domain/rendered-tree';
import { diffObject, type FieldChange } from './object-diff';
import { type Risk, riskRank, risksOf } from './risk';

/** One rendered object that was added, removed or changed. */
export interface ObjectChange {
  /** Output folder: the environment name, or `argocd`. */
  readonly env: string;
  readonly file: string;
  /** The object's `apiVersion`: with `kind`, its type (ACK's IAM `Role` is not the RBAC `Role`). */
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** Changed fields (empty for added and removed objects). */
  readonly fields: readonly FieldChange[];
  readonly risks: readonly Risk[];
}

/**
 * Rendered files are plain data from synth's emitter, so they are read with js-yaml, about five times faster than
 * the `yaml` package's Document parser on them (which the tools that edit files by hand keep using for its
 * comments and positions); `diff` parses two versions of every changed file. The YAML 1.2 core schema, as `yaml`
 * reads by default: no timestamps or merge keys.
 */
const PARSE = { schema: CORE_SCHEMA } as const;

interface Parsed {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: { readonly type?: unknown };
}

/**
 * The semantic diff of rendered objects between two trees: objects added, removed or changed, with changed
 * field paths, list order ignored where Kubernetes ignores it. Files with identical bytes are not parsed.
 * Sorted with risky changes first (by RISKS order), then by folder, kind and name.
 */
export function diffRendered(before: RenderedTree, after: RenderedTree): ObjectChange[] {
  const out: ObjectChange[] = [];
  for (const env of union(before.keys(), after.keys())) {
    const left = before.get(env) ?? new Map<string, string>();
    const right = after.get(env) ?? new Map<string, string>();
    for (const file of union(left.keys(), right.keys())) {
      const a = left.get(file);
      const b = right.get(file);
      if (a === b) continue;
      const objA = a === undefined ? undefined : (load(a, PARSE) as Parsed);
      const objB = b === undefined ? undefined : (load(b, PARSE) as Parsed);
      const change = objA === undefined ? 'added' : objB === undefined ? 'removed' : 'changed';
      const fields = change === 'changed' ? diffObject(objA, objB) : [];
      if (change === 'changed' && fields.length === 0) continue; // only comments or layout differ
      const obj = (objB ?? objA) as Parsed;
      const kind = obj.kind ?? '?';
      const apiVersion = obj.apiVersion ?? '?';
      out.push({
        env,
        file,
        apiVersion,
        kind,
        name: obj.metadata?.name ?? file,
        ...(obj.metadata?.namespace !== undefined ? { namespace: obj.metadata.namespace } : {}),
        change,
        fields,
        risks: risksOf({ apiVersion, kind }, change, fields, objB),
      });
    }
  }
  return out.sort(
    (x, y) =>
      riskRank(x.risks) - riskRank(y.risks) ||
      compare(x.env, y.env) ||
      compare(x.kind, y.kind) ||
      compare(x.name, y.name),
  );
}

function union(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
