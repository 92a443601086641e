// Changes keys of an environment file the way a person would: only the edited keys' bytes differ.
import { isDeepStrictEqual } from 'node:util';
import { CST, type Document, isMap, LineCounter, Parser, parseDocument, type ToStringOptions } from 'yaml';
import { refused } from '../errors';
import { assertNoSharedValue } from './yaml-aliases';
import { editCst, type KeyEdit, type Layout } from './yaml-cst-edit';

/** One intended change to a YAML file: set a value at a key path, or delete the key. */
export type YamlEdit = KeyEdit;

/**
 * Applies edits to YAML text and returns the new text, in which only the edited keys differ: comments, key
 * order, quoting, flow or block style, blank lines and every other byte are kept.
 *
 * How: the edits are made in yaml's concrete syntax tree (CST), which writes back every token it was not
 * asked to change; a new key is written by yaml's stringifier with the file's indentation. The intended data
 * is computed separately with yaml's Document API; the new text must parse to exactly that, or the edit is
 * refused. An edit that would also change another key through an anchor and alias is refused, naming the
 * alias.
 */
export function editYaml(text: string, source: string, edits: readonly YamlEdit[]): string {
  const lines = new LineCounter();
  const doc = parseYaml(text, source, lines);
  for (const edit of edits) assertNoSharedValue(doc, edit.path, source, lines);
  // A second parse, not doc.clone(): a clone loses the anchors its aliases resolve to.
  const intended = parseYaml(text, source);
  for (const edit of edits) applyEdit(intended, edit, source);
  if (isDeepStrictEqual(intended.toJS(), doc.toJS())) return text;
  const tokens = [...new Parser().parse(text)];
  const documents = tokens.filter((t): t is CST.Document => t.type === 'document');
  if (documents.length !== 1)
    throw refused(`${source}: holds ${documents.length} YAML documents; expected one`);
  // New lines end as the file's lines do (a file written on Windows keeps CRLF).
  const layout: Layout = { options: stringifyOptions(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
  for (const edit of edits) editCst(documents[0] as CST.Document, edit, source, layout);
  const result = tokens.map((t) => CST.stringify(t)).join('');
  if (!isDeepStrictEqual(parseYaml(result, source).toJS(), intended.toJS())) {
    throw refused(
      `${source}: cannot apply the edit without reformatting lines around it (edit ${edits.map((e) => e.path.join('.')).join(', ')} by hand)`,
    );
  }
  return result;
}

/** Parses YAML text with positions; a refusal naming the file, line and column when it is not valid YAML. */
export function parseYaml(text: string, source: string, counter = new LineCounter()): Document {
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = counter.linePos(error.pos[0]);
    throw refused(`${source}:${line}:${col} (yaml): ${error.message.split('\n')[0]}`);
  }
  return doc;
}

/** The same edit on the data model: what the file must read as afterwards. */
function applyEdit(doc: Document, edit: YamlEdit, source: string): void {
  try {
    applyToModel(doc, edit);
  } catch (error) {
    // e.g. a key path through a scalar (`image: "x"`): yaml's own message, as a refusal.
    throw refused(`${source}: cannot edit ${edit.path.join('.')}: ${(error as Error).message}`);
  }
}

function applyToModel(doc: Document, edit: YamlEdit): void {
  if ('delete' in edit) {
    doc.deleteIn(edit.path);
    // Deleting the last key of a mapping leaves `key: {}`; drop the emptied parents too.
    for (let depth = edit.path.length - 1; depth > 0; depth--) {
      const parent = doc.getIn(edit.path.slice(0, depth), true);
      if (!isMap(parent) || parent.items.length > 0) break;
      doc.deleteIn(edit.path.slice(0, depth));
    }
    return;
  }
  doc.setIn(edit.path, doc.createNode(edit.value));
}

/** Stringify options for new block content that match the file's layout: its indent width and sequence style. */
function stringifyOptions(text: string): ToStringOptions {
  let indent = 0;
  let indentSeq = true;
  let previousKey: { indent: number } | undefined;
  for (const line of text.split('\n')) {
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const width = line.length - trimmed.length;
    if (width > 0 && (indent === 0 || width < indent)) indent = width;
    if (trimmed.startsWith('- ') && previousKey?.indent === width) indentSeq = false;
    previousKey = /^[^\s#-][^:#]*:\s*(#.*)?$/.test(trimmed) ? { indent: width } : undefined;
  }
  return { indent: indent || 2, indentSeq, lineWidth: 0, minContentWidth: 0 };
}
