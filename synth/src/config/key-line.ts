// The line of a key in a YAML file of the repository (an environment file, a cluster entry), parsed with the
// same `yaml` settings and located with the same `locate` as the loader's messages, for tools that point at
// a loaded value (doctor).
import { isMap, LineCounter, parseDocument } from 'yaml';
import { locate } from './locate';

/**
 * 1-based line of the key at `path` in `text`; undefined when the document does not hold that key (or does
 * not parse: the loader reports that).
 */
export function keyLine(text: string, path: readonly (string | number)[]): number | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0 || !isMap(doc.contents) || !doc.hasIn(path)) return undefined;
  return locate(doc, counter, path, { keyOf: true }).line;
}
