// A fast reader for the plain subset of YAML that environment files are written in: block mappings and
// sequences, plain / quoted single-line scalars, comments. The `yaml` package's Document + LineCounter path
// costs ~1.7 ms per small file in a short-lived process (its parser never gets hot); this costs ~0.05 ms.
// Anything outside the subset (anchors, tags, flow collections, block scalars, multi-line scalars, tabs, an
// unclear number, a duplicate key, ...) returns undefined and the caller uses the `yaml` package, which also
// produces every error message. Tests check that whatever this accepts equals `yaml.parse`.

/** Returned when the text is outside the subset. */
const OUT = Symbol('outside the subset');
type Out = typeof OUT;

interface Line {
  readonly indent: number;
  readonly content: string;
}

const KEY = /^([A-Za-z_][A-Za-z0-9_./-]*):(?: +(.*))?$/;
const RESERVED_KEY = /^(?:null|true|false|__proto__)$/i;
// Plain strings: start with a letter, `_` or `/`; no character YAML treats specially (`#`, `&`, `*`, `!`,
// `|`, `>`, `'`, `"`, `%`, `@` first, flow indicators, `\`).
const PLAIN_STRING = /^[A-Za-z_/][A-Za-z0-9_./:@+=,;()~ -]*$/;
const INT = /^[0-9]+$/;
// Kubernetes quantities (`50m`, `128Mi`); no `e` / `x` / `o`, which could make a YAML number.
const QUANTITY = /^[0-9]+(?:m|k|M|G|T|Ki|Mi|Gi|Ti)$/;

/** The data of a YAML document in the plain subset (null when empty), or undefined when outside it. */
export function parseSimpleYaml(text: string): unknown {
  if (/[\t\r\\\uFEFF]/.test(text)) return undefined;
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    const trimmed = raw.trimEnd();
    const content = trimmed.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    if (content.startsWith('---') || content.startsWith('...') || content.startsWith('%')) return undefined;
    lines.push({ indent: trimmed.length - content.length, content });
  }
  if (lines.length === 0) return null;
  if (lines[0]?.indent !== 0) return undefined;
  const state = { lines, next: 0 };
  const data = block(state, 0);
  return data === OUT || state.next !== lines.length ? undefined : data;
}

interface State {
  readonly lines: Line[];
  next: number;
}

function isItem(content: string): boolean {
  return content === '-' || content.startsWith('- ');
}

function block(state: State, indent: number): unknown {
  const line = state.lines[state.next];
  if (!line) return OUT;
  return isItem(line.content) ? sequence(state, indent) : mapping(state, indent);
}

function mapping(state: State, indent: number): Record<string, unknown> | Out {
  const out: Record<string, unknown> = {};
  for (let line = state.lines[state.next]; line; line = state.lines[state.next]) {
    if (line.indent < indent) break;
    if (line.indent > indent) return OUT;
    const match = KEY.exec(line.content);
    const key = match?.[1];
    if (key === undefined || RESERVED_KEY.test(key) || Object.hasOwn(out, key)) return OUT;
    state.next++;
    const value = valueAfter(state, indent, match?.[2]);
    if (value === OUT) return OUT;
    out[key] = value;
  }
  return out;
}

function sequence(state: State, indent: number): unknown[] | Out {
  const out: unknown[] = [];
  for (let line = state.lines[state.next]; line; line = state.lines[state.next]) {
    if (line.indent < indent) break;
    if (line.indent > indent || !line.content.startsWith('- ')) return OUT;
    const rest = line.content.slice(2);
    if (rest.startsWith(' ') || isItem(rest)) return OUT;
    if (KEY.test(rest)) {
      // `- key: value`: a mapping whose keys line up two columns right of the dash.
      state.lines[state.next] = { indent: indent + 2, content: rest };
      const item = mapping(state, indent + 2);
      if (item === OUT) return OUT;
      out.push(item);
    } else {
      state.next++;
      const item = valueAfter(state, indent, rest);
      if (item === OUT) return OUT;
      out.push(item);
    }
  }
  return out;
}

/** The value of a key (or item) at `indent`: an inline scalar, a nested block, or null. */
function valueAfter(state: State, indent: number, inline: string | undefined): unknown {
  const next = state.lines[state.next];
  const text = inline === undefined ? '' : stripComment(inline);
  if (text === undefined) return OUT;
  if (text !== '') {
    // A more indented line after a scalar would continue it (multi-line plain) or be an error.
    return next && next.indent > indent ? OUT : scalar(text);
  }
  if (next && next.indent > indent) return block(state, next.indent);
  if (next && next.indent === indent && isItem(next.content)) return OUT; // compact sequence: leave to yaml
  return null;
}

/** The scalar text without a trailing ` # comment`; undefined when a quoted scalar is malformed. */
function stripComment(text: string): string | undefined {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const end = closingQuote(text, quote);
    if (end < 0) return undefined;
    const rest = text.slice(end + 1);
    return rest === '' || /^ +#/.test(rest) ? text.slice(0, end + 1) : undefined;
  }
  const hash = text.indexOf(' #');
  return (hash < 0 ? text : text.slice(0, hash)).trimEnd();
}

function closingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== quote) continue;
    if (quote === "'" && text[i + 1] === "'") i++;
    else return i;
  }
  return -1;
}

function scalar(text: string): unknown {
  if (text.startsWith('"') || text.startsWith("'")) {
    const inner = text.slice(1, -1);
    // Printable ASCII only; anything else is left to yaml.
    if (/[^\x20-\x7e]/.test(inner)) return OUT;
    return text.startsWith('"') ? inner : inner.replaceAll("''", "'");
  }
  if (INT.test(text)) return Number(text);
  if (QUANTITY.test(text)) return text;
  if (!PLAIN_STRING.test(text) || text.includes(': ') || text.endsWith(':')) return OUT;
  if (/^(?:null|Null|NULL)$/.test(text)) return null;
  if (/^(?:true|True|TRUE)$/.test(text)) return true;
  if (/^(?:false|False|FALSE)$/.test(text)) return false;
  return text;
}
