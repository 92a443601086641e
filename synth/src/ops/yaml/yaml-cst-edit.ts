// Edits one key of a YAML file in its concrete syntax tree (yaml's CST), so every byte outside that key's
// value (comments, quoting, flow or block style, blank lines, trailing comments) is written back as read.
import { CST, Document, Parser, parse, type ToStringOptions, visit } from 'yaml';
import { refused } from '../errors';

type Collection = CST.BlockMap | CST.FlowCollection;
type BlockItem = CST.BlockMap['items'][number];

/** How the file writes new block content: yaml's stringify options (indent width, sequences) and line break. */
export interface Layout {
  readonly options: ToStringOptions;
  readonly eol: '\n' | '\r\n';
}

/** What to do at a key path: set a value, or remove the key (and mappings it leaves empty). */
export type KeyEdit =
  | { readonly path: readonly string[]; readonly value: unknown }
  | { readonly path: readonly string[]; readonly delete: true };

/**
 * Applies `edit` to the document token in place. `layout` is how the file writes new block content (its indent
 * width). Refuses (naming the key) a change it cannot express in the file's own structure.
 */
export function editCst(doc: CST.Document, edit: KeyEdit, source: string, layout: Layout): void {
  const what = edit.path.join('.');
  const chain: { map: Collection; index: number }[] = [];
  let map = asMap(doc.value);
  if (!map) throw refused(`${source}: the file is not a mapping; cannot edit ${what}`);
  for (let depth = 0; depth < edit.path.length; depth++) {
    const key = edit.path[depth] as string;
    const index = map.items.findIndex((item) => keyOf(item) === key);
    const last = depth === edit.path.length - 1;
    if (index < 0) {
      if ('delete' in edit) return; // nothing to remove
      const rest = edit.path.slice(depth + 1).reduceRight<unknown>((v, k) => ({ [k]: v }), edit.value);
      insertItem(map, key, rest, source, what, layout);
      return;
    }
    chain.push({ map, index });
    if (last) break;
    const inner = asMap((map.items[index] as CST.CollectionItem).value);
    if (!inner)
      throw refused(
        `${source}: ${edit.path.slice(0, depth + 1).join('.')} is not a mapping; cannot edit ${what}`,
      );
    map = inner;
  }
  if ('delete' in edit) {
    // Removing the last key of a mapping would leave `key:` (null): remove the emptied parents too.
    for (let level = chain.length - 1; level >= 0; level--) {
      const { map: parent, index } = chain[level] as { map: Collection; index: number };
      removeItem(parent, index);
      if (parent.items.length > 0 || level === 0) break;
    }
    return;
  }
  const { map: parent, index } = chain[chain.length - 1] as { map: Collection; index: number };
  setItem(parent, index, edit.value, source, what, layout);
}

function asMap(token: CST.Token | null | undefined): Collection | undefined {
  if (token?.type === 'block-map') return token;
  if (token?.type === 'flow-collection' && token.start.type === 'flow-map-start') return token;
  return undefined;
}

function keyOf(item: CST.CollectionItem): unknown {
  return item.key ? CST.resolveAsScalar(item.key)?.value : undefined;
}

const isScalarValue = (v: unknown) => v === null || typeof v !== 'object';
const isScalarToken = (t: CST.Token | undefined) =>
  t !== undefined && ['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'alias'].includes(t.type);

function setItem(
  map: Collection,
  index: number,
  value: unknown,
  source: string,
  what: string,
  layout: Layout,
): void {
  const item = map.items[index] as CST.CollectionItem;
  if (isScalarValue(value) && isScalarToken(item.value)) {
    // Keeps the scalar's quoting, the anchor before it and the comment after it.
    const type = scalarType(value, item.value as CST.Token);
    CST.setScalarValue(item.value as CST.Token, scalarSource(value), {
      afterKey: true,
      inFlow: map.type === 'flow-collection',
      ...(type ? { type } : {}),
    });
    return;
  }
  if (map.type === 'flow-collection') {
    throw refused(
      `${source}: ${what} is inside a flow mapping ({…}) and its new value is not a plain value; edit it by hand`,
    );
  }
  // A value of another shape (a mapping for a scalar, or no value at all): a new item in the old one's place.
  const fresh = blockItem(map.indent, keyOf(item) as string, value, layout);
  fresh.start = item.start;
  map.items[index] = fresh;
}

/** A plain scalar keeps its style unless the new text would read as something else than a string. */
function scalarType(value: unknown, token: CST.Token): 'QUOTE_DOUBLE' | 'PLAIN' | undefined {
  if (typeof value !== 'string') return 'PLAIN';
  if (token.type !== 'scalar' && token.type !== 'alias') return undefined;
  return readsAsString(value) ? 'PLAIN' : 'QUOTE_DOUBLE';
}

function scalarSource(value: unknown): string {
  return typeof value === 'string' ? value : value === null ? 'null' : String(value);
}

/** YAML 1.1 readers (Go's sigs.k8s.io/yaml) take plain dates and yes/no/on/off as non-strings: quote them. */
const YAML11_NON_STRING = /^([0-9]{4}-[0-9]{2}-[0-9]{2}.*|y|n|yes|no|on|off|true|false|~|null)$/i;

function readsAsString(text: string): boolean {
  if (YAML11_NON_STRING.test(text)) return false;
  try {
    return parse(text) === text;
  } catch {
    return false;
  }
}

function insertItem(
  map: Collection,
  key: string,
  value: unknown,
  source: string,
  what: string,
  layout: Layout,
): void {
  const previous = map.items[map.items.length - 1];
  if (map.type === 'flow-collection') {
    if (!isScalarValue(value)) {
      throw refused(`${source}: ${what} would be a new mapping inside a flow mapping ({…}); edit it by hand`);
    }
    const text = scalarSource(value);
    // Space before the closing brace stays before it: `{ tag: x }` becomes `{ tag: x, digest: y }`.
    const closing = previous ? trailingSpace(previous) : [];
    map.items.push({
      start: previous ? [sourceToken('comma', ','), sourceToken('space', ' ')] : [],
      key: CST.createScalarToken(key, { indent: 0, inFlow: true, end: [] }),
      sep: [sourceToken('map-value-ind', ':'), sourceToken('space', ' ')],
      value: CST.createScalarToken(text, {
        indent: 0,
        inFlow: true,
        end: closing,
        type: typeof value !== 'string' || readsAsString(text) ? 'PLAIN' : 'QUOTE_DOUBLE',
      }),
    });
    return;
  }
  const item = blockItem(map.indent, key, value, layout);
  // After a last line without a newline (end of file), the new key starts its own line.
  if (previous && !CST.stringify(previous).endsWith('\n'))
    item.start.unshift(sourceToken('newline', layout.eol));
  map.items.push(item);
}

/**
 * A block mapping item `key: value` at column `indent`, written by yaml's own stringifier with the file's
 * layout and parsed back into tokens.
 */
function blockItem(indent: number, key: string, value: unknown, layout: Layout): BlockItem {
  const doc = new Document({ [key]: value });
  visit(doc, {
    Scalar(_, scalar) {
      if (typeof scalar.value === 'string' && !readsAsString(scalar.value)) scalar.type = 'QUOTE_DOUBLE';
    },
  });
  const pad = ' '.repeat(indent);
  const text = doc
    .toString(layout.options)
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join(layout.eol);
  const token = [...new Parser().parse(text)].find((t) => t.type === 'document') as CST.Document;
  const item = (token.value as CST.BlockMap).items[0] as BlockItem;
  return { ...item, start: indent > 0 ? [sourceToken('space', pad)] : [] };
}

function removeItem(map: Collection, index: number): void {
  const [removed] = map.items.splice(index, 1) as [CST.CollectionItem];
  const next = map.items[index];
  if (map.type === 'flow-collection') {
    const before = map.items[index - 1];
    // Space before the closing brace stays before it, after the item that is now last.
    const value = before?.value;
    if (!next && value && isScalarToken(value)) {
      const scalar = value as CST.FlowScalar;
      scalar.end = [...(scalar.end ?? []), ...trailingSpace(removed)];
    }
    // The first item has no comma before it: the next one becomes first.
    if (index === 0 && next) next.start = next.start.filter((t) => t.type !== 'comma');
    return;
  }
  if (!next) return;
  // Blank lines and comments above the removed key stay, above the key that now follows them.
  const above = removed.start.filter((t, i, all) => !(i === all.length - 1 && t.type === 'space'));
  let own = next.start;
  // The first item's indentation is written before it (after its parent's key): the next one must not repeat it.
  if (index === 0 && above.length === 0 && own.at(-1)?.type === 'space') own = own.slice(0, -1);
  next.start = [...above, ...own];
}

/** Removes and returns the spaces and line breaks that end a flow item's scalar value. */
function trailingSpace(item: CST.CollectionItem): CST.SourceToken[] {
  const end = item.value && 'end' in item.value ? item.value.end : undefined;
  if (!end || item.value?.type === 'flow-collection') return [];
  let from = end.length;
  while (from > 0 && ['space', 'newline'].includes((end[from - 1] as CST.SourceToken).type)) from--;
  return end.splice(from);
}

function sourceToken(type: CST.SourceToken['type'], source: string): CST.SourceToken {
  return { type, offset: 0, indent: 0, source };
}
