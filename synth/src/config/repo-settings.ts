// The repository setting (`argocd/repo.yaml`): which git repository, revision and folder Argo CD deploys
// from.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors';
import { issueMessage, valueAt } from './issues';
import { formatPath, locate } from './locate';

/** Where the rendered manifests live in git (Argo CD sources). */
export interface RepoSettings {
  /** Git URL Argo CD pulls from. */
  readonly repoURL: string;
  /** Branch or tag Argo CD tracks. */
  readonly targetRevision: string;
  /** Folder of rendered manifests in the repo; each environment is `<distPath>/<env>`. */
  readonly distPath: string;
}

/** Where the repository setting lives, relative to the repository root. */
export const REPO_SETTINGS_FILE = 'argocd/repo.yaml';

/** Namespace Argo CD is installed into (`argocd/install`); every Application and AppProject lives here. */
export const ARGOCD_NAMESPACE = 'argocd';

/** Folder of rendered manifests; each environment is `<distPath>/<env>`, Argo CD objects `<distPath>/argocd`. */
const DIST_PATH = 'dist';

// https://host/path, ssh://host/path or scp-like git@host:path; no spaces, no credentials in https URLs.
const GIT_URL =
  /^(https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?\/[^\s@]+|ssh:\/\/[^\s]+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+)$/;
// A branch or tag name as git allows it (no "..", no leading/trailing "/", no spaces or wildcards).
const GIT_REF = /^(?!.*\.\.)(?!\/)(?!.*\/$)[A-Za-z0-9._/-]+$/;

const RepoFileSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('ConfigMap'),
  metadata: z.strictObject({
    name: z.literal('guestlist-repo'),
    annotations: z.strictObject({
      // Without it, `kubectl apply -k argocd` would create this ConfigMap in the cluster.
      'config.kubernetes.io/local-config': z.literal('true'),
    }),
  }),
  data: z.strictObject({
    repoURL: z
      .string()
      .regex(GIT_URL, 'must be a Git clone URL (https://host/path, ssh://... or git@host:path)'),
    targetRevision: z
      .string()
      .regex(GIT_REF, 'must be a branch or tag name')
      .refine(
        (v) => v !== 'HEAD',
        'must name a branch or tag, not HEAD (HEAD follows whatever is checked out)',
      ),
  }),
});

/** Every error of the repository setting file, each `argocd/repo.yaml:<line>:<col> <key.path>: <message>`. */
export class RepoSettingsError extends UserError {
  constructor(errors: readonly string[]) {
    super(errors, 1, `${errors.length} error(s) in ${REPO_SETTINGS_FILE}; nothing was written`);
    this.name = 'RepoSettingsError';
  }
}

/** Parses the text of `argocd/repo.yaml`; throws `RepoSettingsError` with every error, source-mapped. */
export function parseRepoSettings(text: string, shown = REPO_SETTINGS_FILE): RepoSettings {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new RepoSettingsError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
        return `${shown}:${pos.line}:${pos.col} (yaml): ${e.message.split('\n')[0]}`;
      }),
    );
  }
  const data: unknown = doc.toJS() ?? {};
  const result = RepoFileSchema.safeParse(data);
  if (!result.success) {
    throw new RepoSettingsError(
      result.error.issues.flatMap((issue) => {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
        return keys.map((key) => {
          const path = key === undefined ? issue.path : [...issue.path, key];
          const { line, col } = locate(doc, counter, path, { keyOf: key !== undefined });
          const message =
            key !== undefined
              ? 'unknown key'
              : valueAt(data, path) === undefined
                ? 'is required'
                : issueMessage(issue, data);
          return `${shown}:${line}:${col} ${formatPath(path)}: ${message}`;
        });
      }),
    );
  }
  return { ...result.data.data, distPath: DIST_PATH };
}

/** Loads `argocd/repo.yaml` below `root` (default: the current directory, the repository root). */
export function loadRepoSettings(root = '.'): RepoSettings {
  const file = join(root, REPO_SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RepoSettingsError([
      `${file}: cannot read the repository setting (${(error as NodeJS.ErrnoException).code ?? String(error)}); ` +
        'synth reads argocd/repo.yaml from the parent of the environments folder',
    ]);
  }
  return parseRepoSettings(text);
}

/** The setting of the repository whose `environments/` folder is `environmentsDir` (its parent holds `argocd/`). */
export function repoSettingsFor(environmentsDir: string): RepoSettings {
  return loadRepoSettings(dirname(environmentsDir));
}
