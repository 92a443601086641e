import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { issueMessage, valueAt } from './issues';
import { formatPath, locate } from './locate';

/**
 * Folder of cluster entries inside the environments folder (`environments/clusters/<name>.yaml`, one per EKS
 * cluster), so a copy of the environments folder always carries the entries its files refer to.
 */
export const CLUSTERS_DIR = 'clusters';

/** One EKS cluster and its AWS account: what every environment on it shares, written once. */
export interface ClusterEntry {
  /** Entry name (the file name without `.yaml`), what `aws.cluster` refers to. */
  readonly name: string;
  /** AWS account id (12 digits) of the cluster, its tables and roles. */
  readonly accountId: string;
  /** Name of the EKS cluster (Pod Identity associations are made in it). */
  readonly eksClusterName: string;
  /** The cluster's IAM OIDC provider, without `https://` (IRSA trust policies name it). */
  readonly oidcProvider: string;
  /** Shown in messages, e.g. `environments/clusters/dev.yaml`. */
  readonly source: string;
}

const ClusterFileSchema = z.strictObject({
  accountId: z
    .string()
    .regex(/^[0-9]{12}$/, 'must be a 12-digit AWS account id (quoted, e.g. "111111111111")'),
  eksClusterName: z
    .string()
    .regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, 'must be an EKS cluster name (letters, digits, "-" and "_")'),
  oidcProvider: z
    .string()
    .regex(
      /^oidc\.eks\.[a-z]{2}(-gov)?-[a-z]+-[0-9]\.amazonaws\.com(\.cn)?\/id\/[0-9A-F]{32}$/,
      'must be the cluster OIDC issuer without https:// (oidc.eks.<region>.amazonaws.com/id/<32 hex digits>)',
    ),
});

/** Result of reading cluster entries: the valid ones by name, and every problem (file:line:col path: message). */
export interface ClusterEntries {
  readonly entries: ReadonlyMap<string, ClusterEntry>;
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
  const data: unknown = doc.toJS() ?? {};
  const result = ClusterFileSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      for (const key of keys) {
        const path = key === undefined ? issue.path : [...issue.path, key];
        const { line, col } = locate(doc, counter, path, { keyOf: key !== undefined });
        const message =
          key !== undefined
            ? `unknown key (allowed: ${Object.keys(ClusterFileSchema.shape).join(', ')})`
            : valueAt(data, path) === undefined
              ? 'is required'
              : issueMessage(issue, data);
        errors.push(`${shown}:${line}:${col} ${formatPath(path)}: ${message}`);
      }
    }
    return undefined;
  }
  return { name, ...result.data, source: shown };
}

/**
 * Reads the named cluster entries from `<environmentsDir>/clusters/<name>.yaml` (shown below `shownDir`). A name
 * without a readable file is not an error here: the caller reports it at the `aws.cluster` key that names it.
 */
export function readClusterEntries(
  environmentsDir: string,
  shownDir: string,
  names: Iterable<string>,
): ClusterEntries {
  const entries = new Map<string, ClusterEntry>();
  const errors: string[] = [];
  for (const name of new Set(names)) {
    const file = `${CLUSTERS_DIR}/${name}.yaml`;
    const shown = `${shownDir}/${file}`;
    let text: string;
    try {
      text = readFileSync(join(environmentsDir, file), 'utf8');
    } catch {
      continue;
    }
    const entry = parseClusterEntry(text, name, shown, errors);
    if (entry) entries.set(name, entry);
  }
  return { entries, errors };
}
