// Applies a CRD's recorded `default:` values to a rendered object, the way the API server defaults it.
import type { CrdDefault } from './crd-contracts';

/**
 * Applies a CRD's `default:` values to an object the way the API server does for a structural schema: a default
 * is set where its field is absent and its parent object is present; defaults of outer fields first, so an
 * object a default creates gets its own fields' defaults too. Returns the JSON pointers of the fields it set:
 * every one is a field the live object holds and the rendered one does not.
 */
export function applyCrdDefaults(obj: unknown, defaults: readonly CrdDefault[]): string[] {
  const set: string[] = [];
  const ordered = [...defaults].sort((a, b) => segments(a.path).length - segments(b.path).length);
  for (const d of ordered) visit(obj, segments(d.path), '', d.value, set);
  return set;
}

function segments(path: string): string[] {
  return path.split('.').flatMap((s) => (s.endsWith('[]') ? [s.slice(0, -2), '[]'] : [s]));
}

function visit(node: unknown, rest: readonly string[], at: string, value: unknown, set: string[]): void {
  const [head, ...tail] = rest;
  if (head === undefined) return;
  if (head === '[]') {
    if (!Array.isArray(node)) return;
    node.forEach((item, i) => {
      visit(item, tail, `${at}/${i}`, value, set);
    });
    return;
  }
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  const record = node as Record<string, unknown>;
  const here = `${at}/${head.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (tail.length > 0) {
    visit(record[head], tail, here, value, set);
    return;
  }
  if (record[head] !== undefined) return;
  record[head] = structuredClone(value);
  set.push(here);
}
