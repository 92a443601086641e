// Finds the line and column of a key path in a parsed YAML file, so errors point at the right place.
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

/** A 1-based line and column in a YAML file. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/**
 * Finds the position of a key path in a parsed YAML document. With `keyOf`, points at the key itself
 * (used for unknown keys); when the path does not exist, points at the deepest existing parent.
 */
export function locate(
  doc: Document,
  counter: LineCounter,
  path: readonly PropertyKey[],
  options: { keyOf?: boolean } = {},
): Position {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      keyNode = undefined;
      node = node.items[segment];
    } else {
      break;
    }
  }
  const target = (options.keyOf && keyNode ? keyNode : node) as Node | null;
  const offset = target?.range?.[0] ?? 0;
  return counter.linePos(offset);
}

/** Formats a key path as `image.tag` or `waivers[0].reason`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(file)' : out;
}
