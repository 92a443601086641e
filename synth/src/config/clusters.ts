// Reads the cluster entries (`environments/clusters/<name>.yaml`), reporting every problem as file:line:col.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { type ClusterEntry, ClusterFileSchema, toEntry } from './cluster-schema';
import { issueMessage, valueAt } from './issues';
import { formatPath, locate } from './locate';

/**
 * Folder of cluster entries inside the environments folder (`environments/clusters/<name>.yaml`, one per EKS
 * cluster), so a copy of the environments folder always carries the entries its files refer to.
 */
export const CLUSTERS_DIR = 'clusters';

/** Result of reading cluster entries: the valid ones by name, and every problem (file:line:col path: message). */
export interface ClusterEntries {
  readonly entries: ReadonlyMap<string, ClusterEntry>;
  /** Every entry file's name (without `.yaml`), valid or not, sorted. */
  readonly names: readonly string[];
  readonly errors: readonly string[];
}

/** Parses the text of one cluster entry; problems go to `errors` as `<shown>:<line>:<col> <path>: <message>`. */
export function parseClusterEntry(
  text: string,
  name: string,
  shown: string,
  errors: string[],
): ClusterEntry | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
      errors.push(`${shown}:${pos.line}:${pos.col} (yaml): ${e.message.split('\n')[0]}`);
    }
    return undefined;
  }
  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (error) {
    errors.push(`${shown}:1:1 (yaml): ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const at = (path: readonly PropertyKey[], keyOf = false) => {
    const { line, col } = locate(doc, counter, path, { keyOf });
    return `${shown}:${line}:${col} ${formatPath(path)}:`;
  };
  const result = ClusterFileSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      for (const key of keys) {
        const path = key === undefined ? issue.path : [...issue.path, key];
        const message =
          key !== undefined
            ? `unknown key (allowed: ${allowedAt(issue.path).join(', ')})`
            : valueAt(data, path) === undefined
              ? 'is required'
              : issue.code === 'invalid_union'
                ? unionMessage(path, valueAt(data, path))
                : issueMessage(issue, data);
        errors.push(`${at(path, key !== undefined)} ${message}`);
      }
    }
    return undefined;
  }
  return { name, ...toEntry(result.data), source: shown, at: (path) => at(path) };
}

function allowedAt(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(ClusterFileSchema.shape);
  if (path[0] === 'addons' && path.length === 1) {
    return ['ack', 'externalSecrets', 'awsLoadBalancerController', 'prometheusOperator', 'metricsServer'];
  }
  if (path[0] === 'addons' && path[1] === 'ack') return ['dynamodb', 'iam', 'eks'];
  if (path[0] === 'argocd') return ['name'];
  return [];
}

/** The rule of the keys whose value may take several forms. */
function unionMessage(path: readonly PropertyKey[], value: unknown): string {
  const shown = typeof value === 'object' ? 'this value' : JSON.stringify(value);
  if (path[0] === 'argocd') {
    return `${shown} must be "in-cluster", "eks-capability" or { name: <cluster registered in Argo CD> }`;
  }
  if (path[0] === 'addons' && path[1] === 'ack') {
    return `${shown} must be "eks-capability", { dynamodb, iam, eks } exact chart versions X.Y.Z, or { hub: <cluster entry whose ACK manages this account> }`;
  }
  return `${shown} must be an exact chart version X.Y.Z or "provided" (installed outside this repository)`;
}

/** Reads every cluster entry in `<environmentsDir>/clusters/` (shown below `shownDir`). */
export function readClusterEntries(environmentsDir: string, shownDir: string): ClusterEntries {
  const entries = new Map<string, ClusterEntry>();
  const errors: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(join(environmentsDir, CLUSTERS_DIR))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.slice(0, -'.yaml'.length))
      .sort();
  } catch {
    // No clusters folder: every name an environment gives is unknown, and reported there.
  }
  for (const name of names) {
    const file = `${CLUSTERS_DIR}/${name}.yaml`;
    const shown = `${shownDir}/${file}`;
    let text: string;
    try {
      text = readFileSync(join(environmentsDir, file), 'utf8');
    } catch (error) {
      errors.push(`${shown}:1:1 (file): cannot be read (${(error as NodeJS.ErrnoException).code})`);
      continue;
    }
    const entry = parseClusterEntry(text, name, shown, errors);
    if (entry) entries.set(name, entry);
  }
  return { entries, names, errors };
}
