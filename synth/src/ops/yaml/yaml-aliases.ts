// Refuses an edit that would silently change a value somewhere else through a YAML anchor and its aliases.
import { type Document, isAlias, isNode, isPair, isScalar, type LineCounter, type Node, visit } from 'yaml';
import { refused } from '../errors';

/**
 * Edits only their own key: a value on the path that carries an anchor (`tag: &t "0.2.1"`) which an alias
 * uses elsewhere (`group: *t`) would change that other key too, so the edit is refused, naming the alias
 * and its line; so is a path that runs through an alias (`image: *base`), whose edit would land in the
 * anchored mapping. An anchor no alias uses is kept and edited like any value; an alias as the edited value
 * itself is replaced by the new value (only that key changes).
 */
export function assertNoSharedValue(
  doc: Document,
  path: readonly string[],
  source: string,
  lines: LineCounter,
): void {
  const where = (node: Node) => {
    const { line, col } = lines.linePos(node.range?.[0] ?? 0);
    return `${source}:${line}:${col}`;
  };
  for (let depth = 1; depth <= path.length; depth++) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (!isNode(node)) return;
    const here = path.slice(0, depth).join('.');
    if (isAlias(node) && depth < path.length) {
      throw refused(
        `${where(node)}: ${here} is an alias (*${node.source}), so editing ${path.join('.')} would change the anchored mapping &${node.source}; write the mapping out in place of the alias, then run the command again`,
      );
    }
    if (!node.anchor) continue;
    const user = aliasOf(doc, node.anchor, node.range?.[0] ?? 0);
    if (user) {
      const { line } = lines.linePos(user.node.range?.[0] ?? 0);
      throw refused(
        `${where(node)}: ${here} carries the anchor &${node.anchor}, which ${user.path} aliases at line ${line} (*${node.anchor}); editing ${path.join('.')} would change ${user.path} too; write the value out in place of *${node.anchor} (or drop the anchor), then run the command again`,
      );
    }
  }
}

/** The first alias after `offset` that names `anchor`, with its key path. */
function aliasOf(doc: Document, anchor: string, offset: number): { node: Node; path: string } | undefined {
  let found: { node: Node; path: string } | undefined;
  visit(doc, {
    Alias(key, node, ancestors) {
      if (node.source !== anchor || (node.range?.[0] ?? 0) < offset) return;
      const keys = ancestors
        .filter(isPair)
        .map((pair) => (isScalar(pair.key) ? String(pair.key.value) : '?'));
      if (typeof key === 'number') keys.push(String(key));
      found = { node, path: keys.join('.') || '(the document)' };
      return visit.BREAK;
    },
  });
  return found;
}
