import { isDeepStrictEqual } from 'node:util';
import { applyPatch, structuredPatch } from 'diff';
import {
  type Document,
  isMap,
  isScalar,
  LineCounter,
  parseDocument,
  type ToStringOptions,
  visit,
} from 'yaml';
import { refused } from './errors';

/** One intended change to a YAML file: set a value at a key path, or delete the key. */
export type YamlEdit =
  | { readonly path: readonly string[]; readonly value: unknown }
  | { readonly path: readonly string[]; readonly delete: true };

/**
 * Applies edits to YAML text through `yaml`'s Document API and returns the new text, in which only the lines
 * of the intended keys differ: comments, key order, quoting, blank lines and every other byte are kept.
 *
 * How: the Document is stringified before and after the edits with options detected from the file; when the
 * untouched file round-trips exactly, the "after" text is the answer. When yaml would re-emit some other part
 * differently, the line diff between the two stringifications (exactly the intended change, in yaml's
 * formatting) is applied to the original text with no fuzz (with two lines of context, or by line number when
 * a neighbouring line is one yaml re-emits differently); if it does not fit, the edit is refused rather than
 * reformat the file. Either way the result must parse to the edited data, or it is refused.
 */
export function editYaml(text: string, source: string, edits: readonly YamlEdit[]): string {
  const doc = parseYaml(text, source);
  const options = stringifyOptions(text);
  const before = doc.toString(options);
  for (const edit of edits) applyEdit(doc, edit);
  const after = doc.toString(options);
  if (before === after) return text;
  let result: string | false = after;
  if (before !== text) {
    result = patchOnto(text, before, after, 2);
    // A changed line right next to one yaml re-emits differently: place the change by line number instead,
    // which is only meaningful while both texts have the same lines.
    if (result === false && lineCount(before) === lineCount(text)) result = patchOnto(text, before, after, 0);
  }
  if (result === false || !isDeepStrictEqual(parseYaml(result, source).toJS(), doc.toJS())) {
    throw refused(
      `${source}: cannot apply the edit without reformatting lines around it (edit ${edits.map((e) => e.path.join('.')).join(', ')} by hand)`,
    );
  }
  return result;
}

function patchOnto(text: string, before: string, after: string, context: number): string | false {
  const patch = structuredPatch('before', 'after', before, after, undefined, undefined, { context });
  return applyPatch(text, patch, { fuzzFactor: 0 });
}

function lineCount(text: string): number {
  return text.split('\n').length;
}

/** Parses YAML text with positions; a refusal naming the file, line and column when it is not valid YAML. */
export function parseYaml(text: string, source: string): Document {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = counter.linePos(error.pos[0]);
    throw refused(`${source}:${line}:${col} (yaml): ${error.message.split('\n')[0]}`);
  }
  return doc;
}

function applyEdit(doc: Document, edit: YamlEdit): void {
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
  const existing = doc.getIn(edit.path, true);
  if (isScalar(existing) && (edit.value === null || typeof edit.value !== 'object')) {
    // Keeps the scalar's own style (e.g. a double-quoted tag stays double-quoted) and its comments.
    existing.value = edit.value;
    return;
  }
  const node = doc.createNode(edit.value);
  // YAML 1.1 readers (Go's sigs.k8s.io/yaml) take plain dates and yes/no/on/off as non-strings: quote them.
  visit(node, {
    Scalar(_, scalar) {
      if (typeof scalar.value === 'string' && YAML11_NON_STRING.test(scalar.value))
        scalar.type = 'QUOTE_DOUBLE';
    },
  });
  doc.setIn(edit.path, node);
}

const YAML11_NON_STRING = /^([0-9]{4}-[0-9]{2}-[0-9]{2}.*|y|n|yes|no|on|off|true|false|~|null)$/i;

/** Stringify options that reproduce the file's own layout: its indent width and sequence style, no folding. */
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
