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
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (typeof value === 'object' && Object.keys(value).length === 0) return '{}';
  if (typeof value === 'object') return undefined;
  throw new Error(`cannot write a ${typeof value} as YAML`);
}

function emit(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      const l = leaf(item);
      if (l !== undefined) out.push(`${indent}- ${l}\n`);
      else {
        // The first key of a mapping item shares the line with the dash.
        const lines: string[] = [];
        emit(item, `${indent}  `, lines);
        out.push(`${indent}- ${(lines[0] ?? '').slice(indent.length + 2)}`, ...lines.slice(1));
      }
    }
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const l = leaf(v);
    if (l !== undefined) out.push(`${indent}${scalar(key)}: ${l}\n`);
    else {
      out.push(`${indent}${scalar(key)}:\n`);
      emit(v, Array.isArray(v) ? `${indent}  ` : `${indent}  `, out);
    }
  }
}

/** JSON data as a YAML block document (2-space indent, sequences indented under their key, LF, final newline). */
export function toYaml(value: unknown): string {
  const l = leaf(value);
  if (l !== undefined) return `${l}\n`;
  const out: string[] = [];
  emit(value, '', out);
  return out.join('');
}
