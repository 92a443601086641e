// A small YAML emitter for JSON data (objects, arrays, strings, numbers, booleans, null). The `yaml` package is
// general and comparatively slow; manifests only need block mappings/sequences and scalars, and a string is
// written plain only when YAML 1.1 and 1.2 readers both read it back as the same string, else JSON-quoted
// (a double-quoted YAML scalar is a JSON string). Round-trip tests parse the output with `yaml` again.

// Plain scalars that some reader would take for something other than a string.
const RESERVED =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|=|<<)$/;
// A conservative superset of what YAML 1.1 and 1.2 resolve as numbers (ints in any base, floats, sexagesimal,
// .inf/.nan): such strings are quoted. The property test checks this against the yaml parser in both modes.
const NUMBERLIKE = [
  /^(?=.*[0-9.])[-+]?[0-9_]*\.?[0-9_]*(?:[eE][-+]?[0-9_]*)?$/,
  /^[-+]?0[xob][0-9a-fA-F_]*$/,
  /^[-+]?[0-9][0-9_]*(?::[0-9_]+)+(?:\.[0-9_]*)?$/,
  /^[-+]?\.(?:inf|nan)$/i,
];
const SAFE = /^[A-Za-z0-9_./$][A-Za-z0-9_./:@$()+,;=*~ -]*$/;

/** A string as a YAML scalar: plain when unambiguous, otherwise double-quoted. */
export function scalar(s: string): string {
  const plain =
    s !== '' &&
    SAFE.test(s) &&
    !RESERVED.test(s) &&
    !NUMBERLIKE.some((r) => r.test(s)) &&
    !s.endsWith(' ') &&
    !s.endsWith(':') &&
    !s.includes(': ') &&
    !s.includes(' #') &&
    !/^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(s);
  return plain ? s : JSON.stringify(s);
}

function leaf(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return scalar(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write the number ${value} as YAML`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  if (typeof value === 'object') return hasKeys(value) ? undefined : '{}';
  throw new Error(`cannot write a ${typeof value} as YAML`);
}

function hasKeys(value: object): boolean {
  for (const _ in value) return true;
  return false;
}

// Keys repeat in every object (name, labels, spec, ...); their scalar form is computed once per run.
const keyScalars = new Map<string, string>();
function keyScalar(key: string): string {
  let s = keyScalars.get(key);
  if (s === undefined) {
    s = scalar(key);
    keyScalars.set(key, s);
  }
  return s;
}

/**
 * A non-empty mapping or sequence as block lines, appended to `out` (joined once per document). `first`
 * replaces `indent` on the first line, so the first key of a mapping item shares the line with its dash.
 */
function emit(value: object, indent: string, first: string, out: string[]): void {
  let prefix = first;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    for (const item of value) {
      const l = leaf(item);
      if (l !== undefined) out.push(prefix, '- ', l, '\n');
      else emit(item, inner, `${prefix}- `, out);
      prefix = indent;
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (v === undefined) continue;
    const l = leaf(v);
    if (l !== undefined) out.push(prefix, keyScalar(key), ': ', l, '\n');
    else {
      out.push(prefix, keyScalar(key), ':\n');
      emit(v as object, inner, inner, out);
    }
    prefix = indent;
  }
}

/** JSON data as a YAML block document (2-space indent, sequences indented under their key, LF, final newline). */
export function toYaml(value: unknown): string {
  const l = leaf(value);
  if (l !== undefined) return `${l}\n`;
  const out: string[] = [];
  emit(value as object, '', '', out);
  return out.join('');
}
