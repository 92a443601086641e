// The API server's side of label and field selectors, for the fake API server: enough of
// k8s.io/apimachinery/pkg/labels (=, ==, !=, in, notin, exists, !exists) to serve the queries status and
// verify send, and to refuse anything else the way the API server does.

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

function requirement(term: string): Requirement {
  let m = /^([A-Za-z0-9./_-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) {
    const [, key, op, list] = m as unknown as [string, string, string, string];
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in'
      ? (l) => l[key] !== undefined && values.has(l[key] as string)
      : (l) => l[key] === undefined || !values.has(l[key] as string);
  }
  m = /^([A-Za-z0-9./_-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(term);
  if (m) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = /^(!?)([A-Za-z0-9./_-]+)$/.exec(term);
  if (m) {
    const [, not, key] = m as unknown as [string, string, string];
    return not ? (l) => l[key] === undefined : (l) => l[key] !== undefined;
  }
  throw new Error(`unable to parse requirement: ${term}`);
}

/** A predicate over labels for a `labelSelector` value; throws on syntax the API server rejects too. */
export function parseLabelSelector(selector: string): Requirement {
  const reqs = splitTopLevel(selector).map(requirement);
  return (labels) => reqs.every((r) => r(labels));
}

/** A predicate over objects for a `fieldSelector` value (`metadata.name` and `metadata.namespace`). */
export function parseFieldSelector(
  selector: string,
): (obj: { metadata?: { name?: string; namespace?: string } }) => boolean {
  const checks = splitTopLevel(selector).map((term) => {
    const m = /^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new Error(`field label not supported: ${term.split(/[=!]/)[0]}`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const get = (o: { metadata?: { name?: string; namespace?: string } }) =>
      field === 'metadata.name' ? o.metadata?.name : o.metadata?.namespace;
    return op === '!=' ? (o: never) => get(o) !== value : (o: never) => get(o) === value;
  });
  return (obj) => checks.every((c) => c(obj as never));
}
