// Finds the cluster and credentials to use (kubeconfig file, context or in-cluster), as kubectl would.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { CommandError } from '../errors';
import { type Cluster, type Context, KubeConfig, type User } from './kube-api';

/**
 * A kubeconfig problem the user fixes on their side (no kubeconfig, missing file, unknown context). Exit code 1:
 * the command could not read the cluster, as when the cluster refuses it; not a usage error.
 */
export class ClusterConfigError extends CommandError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'ClusterConfigError';
  }
}

/** Where to find credentials; every field defaults to what kubectl would use. */
export interface KubeConfigOptions {
  /** A kubeconfig file (`--kubeconfig`). @default $KUBECONFIG, then ~/.kube/config, then in-cluster */
  readonly kubeconfig?: string;
  /** The context to use (`--context`). @default the kubeconfig's current-context */
  readonly context?: string;
  /** Environment variables read (`KUBECONFIG`, `KUBERNETES_SERVICE_HOST`). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Home folder for `~/.kube/config`. @default os.homedir() */
  readonly home?: string;
  /** Prefix of `/var/run/secrets/kubernetes.io/serviceaccount` (tests). @default '' */
  readonly inClusterRoot?: string;
}

/** A loaded, validated kubeconfig with its context chosen. */
export interface KubeAccess {
  readonly config: KubeConfig;
  readonly context: string;
  readonly server: string;
  readonly user: string;
  /** Where it came from, for messages: a file path or `in-cluster service account`. */
  readonly source: string;
}

const TOKEN_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function loadFile(config: KubeConfig, file: string, origin: string): void {
  if (!existsSync(file)) throw new ClusterConfigError(`kubeconfig ${file} (from ${origin}) does not exist`);
  try {
    config.loadFromFile(file);
  } catch (error) {
    const message = ((error as Error).message ?? String(error)).split('\n')[0];
    throw new ClusterConfigError(`kubeconfig ${file} cannot be read: ${message}`);
  }
}

/**
 * kubectl's merge of the `KUBECONFIG` files: the first file that defines a cluster, user or context (by
 * name) wins, and the first current-context set wins. (client-node's `mergeConfig` throws on a name that
 * two files share, which kubectl accepts.)
 */
function mergeFiles(config: KubeConfig, files: readonly string[]): void {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const file of files) {
    const one = new KubeConfig();
    loadFile(one, file, 'KUBECONFIG');
    for (const c of one.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of one.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    currentContext ||= one.getCurrentContext() ?? '';
  }
  config.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
}

/**
 * Loads credentials like kubectl: `--kubeconfig`, else every file in `KUBECONFIG` (merged, the first
 * file's current-context wins), else `~/.kube/config`, else the pod's service account (in-cluster).
 * Then applies `--context`. Every problem is one `ClusterConfigError` line.
 */
export function loadKubeConfig(options: KubeConfigOptions = {}): KubeAccess {
  const env = options.env ?? process.env;
  const config = new KubeConfig();
  let source: string;
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '');
  const homeConfig = join(options.home ?? homedir(), '.kube', 'config');
  const tokenFile = `${options.inClusterRoot ?? ''}${TOKEN_FILE}`;
  if (options.kubeconfig !== undefined) {
    loadFile(config, options.kubeconfig, '--kubeconfig');
    source = options.kubeconfig;
  } else if (fromEnv.length > 0) {
    mergeFiles(config, fromEnv);
    source = fromEnv.join(delimiter);
  } else if (existsSync(homeConfig)) {
    loadFile(config, homeConfig, '~/.kube/config');
    source = homeConfig;
  } else if (env.KUBERNETES_SERVICE_HOST && existsSync(tokenFile)) {
    config.loadFromCluster(options.inClusterRoot ?? '');
    source = 'in-cluster service account';
  } else {
    throw new ClusterConfigError(
      `no kubeconfig: --kubeconfig not given, KUBECONFIG unset, ${homeConfig} does not exist, and this is not a pod with a service account token (${tokenFile})`,
    );
  }
  const names = config.getContexts().map((c) => c.name);
  const listed = names.length > 0 ? names.join(', ') : 'none';
  if (options.context !== undefined) {
    if (!config.getContextObject(options.context)) {
      throw new ClusterConfigError(
        `context "${options.context}" is not in kubeconfig ${source} (contexts: ${listed})`,
      );
    }
    config.setCurrentContext(options.context);
  }
  const context = config.getCurrentContext();
  if (!context || !config.getContextObject(context)) {
    throw new ClusterConfigError(
      `kubeconfig ${source} has no current-context${context ? ` named "${context}"` : ''}; pass --context (contexts: ${listed})`,
    );
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    const wanted = config.getContextObject(context)?.cluster;
    throw new ClusterConfigError(
      `context "${context}" names cluster "${wanted}", which is not in kubeconfig ${source}`,
    );
  }
  return { config, context, server: cluster.server, user: config.getCurrentUser()?.name ?? '(none)', source };
}
