// The field-by-field diff of two Kubernetes objects, ignoring list order where Kubernetes does.
import { isDeepStrictEqual } from 'node:util';

/** One changed field of a rendered object, with its path written for people. */
export interface FieldChange {
  /** e.g. `spec.template.spec.containers[name=guestlist].image`; `[+]` / `[-]` mark set members. */
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

type Json = unknown;
type KeyOf = (item: Record<string, Json>) => string | undefined;

/**
 * Lists Kubernetes merges by a key (strategic merge patch `patchMergeKey`s and the like): compared item by
 * item whatever their order. The key is shown as `[field=value]`.
 */
const KEYED_LISTS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  envFrom: ['configMapRef.name', 'secretRef.name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  ports: ['name', 'containerPort', 'port'],
  imagePullSecrets: ['name'],
  topologySpreadConstraints: ['topologyKey'],
  conditions: ['type'],
  hostAliases: ['ip'],
  metrics: ['resource.name', 'type'],
  destinations: ['namespace'],
  clusterResourceWhitelist: ['kind'],
  namespaceResourceWhitelist: ['kind'],
  clusterResourceBlacklist: ['kind'],
  namespaceResourceBlacklist: ['kind'],
  roles: ['name'],
  subjects: ['name'],
  tolerations: ['key'],
};

/**
 * Lists whose order Kubernetes (or Argo CD) ignores and whose items have no key: compared as sets, items shown
 * as `[+]` / `[-]` (so are keyed lists whose key is missing or repeated). Lists not named here (e.g. `command`,
 * `args`, Ingress `paths`) keep their order.
 */
const SET_LISTS = new Set([
  'rules',
  'ingress',
  'egress',
  'from',
  'to',
  'policyTypes',
  'drop',
  'add',
  'finalizers',
  'sourceRepos',
  'syncOptions',
  'verbs',
  'apiGroups',
  'resources',
  'resourceNames',
  'nonResourceURLs',
  'accessModes',
  'matchExpressions',
  'values',
  'tls',
  'hosts',
]);

/** Field-level differences between two versions of one object (either may be absent). */
export function diffObject(before: Json, after: Json): FieldChange[] {
  const out: FieldChange[] = [];
  walk('', '', before, after, out);
  return out;
}

function walk(path: string, field: string, a: Json, b: Json, out: FieldChange[]): void {
  // Recursing finds nothing in equal subtrees, so only leaves and set members are compared as a whole.
  if (a === b) return;
  if (a === undefined) {
    out.push({ path, change: 'added', after: b });
    return;
  }
  if (b === undefined) {
    out.push({ path, change: 'removed', before: a });
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of unionKeys(a, b)) walk(join(path, key), key, a[key], b[key], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    walkList(path, field, a, b, out);
    return;
  }
  out.push({ path, change: 'changed', before: a, after: b });
}

function walkList(path: string, field: string, a: Json[], b: Json[], out: FieldChange[]): void {
  const keyOf = keyFunction(field, a, b);
  if (keyOf) {
    const left = new Map(a.map((item) => [keyOf(item as Record<string, Json>) as string, item]));
    const right = new Map(b.map((item) => [keyOf(item as Record<string, Json>) as string, item]));
    for (const key of unionKeys(Object.fromEntries(left), Object.fromEntries(right))) {
      walk(`${path}[${key}]`, '', left.get(key), right.get(key), out);
    }
    return;
  }
  if (SET_LISTS.has(field) || field in KEYED_LISTS) {
    for (const item of a) {
      if (!b.some((other) => isDeepStrictEqual(item, other))) {
        out.push({ path: `${path}[-]`, change: 'removed', before: item });
      }
    }
    for (const item of b) {
      if (!a.some((other) => isDeepStrictEqual(item, other))) {
        out.push({ path: `${path}[+]`, change: 'added', after: item });
      }
    }
    return;
  }
  // An ordered list: compare position by position, so a reorder shows as the changed positions.
  for (let i = 0; i < Math.max(a.length, b.length); i++) walk(`${path}[${i}]`, '', a[i], b[i], out);
}

/** A key function for a list of objects: the first of the field's keys present and unique on each side. */
function keyFunction(field: string, a: readonly Json[], b: readonly Json[]): KeyOf | undefined {
  const candidates = KEYED_LISTS[field];
  if (!candidates || ![...a, ...b].every(isObject)) return undefined;
  for (const candidate of candidates) {
    const keyOf: KeyOf = (item) => {
      const value = candidate.split('.').reduce<Json>((v, k) => (isObject(v) ? v[k] : undefined), item);
      return value === undefined || isObject(value) || Array.isArray(value)
        ? undefined
        : `${candidate}=${String(value)}`;
    };
    if (uniqueKeys(a, keyOf) && uniqueKeys(b, keyOf)) return keyOf;
  }
  return undefined;
}

function uniqueKeys(items: readonly Json[], keyOf: KeyOf): boolean {
  const keys = items.map((item) => keyOf(item as Record<string, Json>));
  return keys.every((k) => k !== undefined) && new Set(keys).size === keys.length;
}

function isObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unionKeys(a: Record<string, Json>, b: Record<string, Json>): string[] {
  const keys = Object.keys(a);
  for (const key of Object.keys(b)) if (!(key in a)) keys.push(key);
  return keys;
}

function join(path: string, key: string): string {
  const part = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `"${key}"`;
  return path === '' ? part : `${path}.${part}`;
}
