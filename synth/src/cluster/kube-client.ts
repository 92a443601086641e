// The Kubernetes API reads of status and verify (get, list, watch), with failures turned into clear messages
// and exit codes.
import { Agent as HttpAgent } from 'node:http';
import { type AgentOptions, Agent as HttpsAgent } from 'node:https';
import { CommandError } from '../errors';
import {
  ApiException,
  AppsV1Api,
  type ConfigurationOptions,
  CoreV1Api,
  CustomObjectsApi,
  Observable,
  type RequestContext,
  type ResponseContext,
  Watch,
} from './kube-api';
import type { KubeAccess } from './kube-config';
import type { Application, Deployment, Pod } from './objects';

/** A read the cluster refused or could not answer (unreachable, 401, 403, 404, timeout). Exit code 1. */
export class ClusterAccessError extends CommandError {
  constructor(
    message: string,
    /** The HTTP status, when the API server answered. */
    readonly status?: number,
  ) {
    super(message, 1);
    this.name = 'ClusterAccessError';
  }
}

/** One request, described for messages: `get applications.argoproj.io "guestlist-dev" in namespace "argocd"`. */
interface Request {
  readonly verb: 'get' | 'list' | 'watch';
  readonly resource: string;
  readonly namespace: string;
  readonly name?: string;
}

/** What status and verify read from a cluster (the tests' and benchmark's seam is the HTTP server). */
export interface ClusterReader {
  /** The context, server and user, for messages. */
  readonly access: KubeAccess;
  /** Closes the kept-alive connections (the process can exit at once). */
  close(): void;
  getApplication(namespace: string, name: string): Promise<Application>;
  /** Undefined when the API answers 404. */
  getDeployment(namespace: string, name: string): Promise<Deployment | undefined>;
  listPods(namespace: string, labelSelector: string): Promise<Pod[]>;
  /**
   * Watches objects and calls `onChange` on every event; re-watches when the server ends the stream.
   * A refused watch (401/403/404) is reported once through `onRefused` and not retried.
   * Returns a function that stops the watch.
   */
  watch(
    target: WatchTarget,
    onChange: () => void,
    onRefused: (error: ClusterAccessError) => void,
  ): () => void;
}

/** What to watch: one named Application or Deployment, or the pods matching a label selector. */
export type WatchTarget =
  | { readonly kind: 'applications'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'deployments'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'pods'; readonly namespace: string; readonly labelSelector: string };

const WATCH_PATHS = {
  applications: { prefix: '/apis/argoproj.io/v1alpha1', resource: 'applications.argoproj.io' },
  deployments: { prefix: '/apis/apps/v1', resource: 'deployments.apps' },
  pods: { prefix: '/api/v1', resource: 'pods' },
} as const;

function statusOf(body: unknown): { message?: string; reason?: string } {
  if (typeof body === 'string') {
    try {
      return statusOf(JSON.parse(body));
    } catch {
      return body.trim() ? { message: body.trim().split('\n')[0] as string } : {};
    }
  }
  return body && typeof body === 'object' ? (body as { message?: string; reason?: string }) : {};
}

function what(r: Request): string {
  return `${r.resource}${r.name ? ` "${r.name}"` : ''} in namespace "${r.namespace}"`;
}

/** Turns whatever client-node threw into one line that names the request, the context and the cause. */
export function describeFailure(
  error: unknown,
  r: Request,
  access: KubeAccess,
  timeoutMs: number,
): ClusterAccessError {
  const ctx = `context "${access.context}"`;
  const code = error instanceof ApiException ? error.code : (error as { statusCode?: number }).statusCode;
  if (typeof code === 'number') {
    const body = statusOf(error instanceof ApiException ? error.body : undefined);
    const detail = body.message ? `: ${body.message}` : '';
    if (code === 401) {
      return new ClusterAccessError(
        `the API server ${access.server} rejected the credentials of user "${access.user}" (${ctx}): 401 Unauthorized`,
        401,
      );
    }
    if (code === 403) {
      return new ClusterAccessError(
        `RBAC: user "${access.user}" (${ctx}) may not ${r.verb} ${what(r)} (403 Forbidden)${detail}`,
        403,
      );
    }
    if (code === 404 && r.resource === 'applications.argoproj.io' && r.name) {
      return new ClusterAccessError(
        `Argo CD Application "${r.name}" not found in namespace "${r.namespace}" (${ctx})`,
        404,
      );
    }
    return new ClusterAccessError(`${r.verb} ${what(r)} failed (${ctx}): HTTP ${code}${detail}`, code);
  }
  const e = error as { name?: string; type?: string; code?: string; message?: string };
  if (e.name === 'AbortError' || e.type === 'aborted') {
    return new ClusterAccessError(
      `the API server ${access.server} did not answer ${r.verb} ${what(r)} within ${timeoutMs / 1000} s (${ctx})`,
    );
  }
  const reason = /reason: (.*)$/.exec(e.message ?? '')?.[1] ?? e.message ?? String(error);
  return new ClusterAccessError(`cannot reach the API server ${access.server} (${ctx}): ${reason}`);
}

/**
 * One keep-alive agent for every request of a reader. client-node makes a new agent per request (no
 * connection reuse: a TCP and TLS handshake each time, which was most of the CPU time of `status` in the
 * benchmark); its per-request middleware may set the agent, so this one is built once from the same TLS options
 * (`applyToHTTPSOptions`). With a proxy in the kubeconfig, client-node's own proxy agent is kept.
 */
function keepAliveAgent(access: KubeAccess): { get(): Promise<HttpAgent | undefined>; close(): void } {
  let made: Promise<HttpAgent | undefined> | undefined;
  const get = (): Promise<HttpAgent | undefined> => {
    made ??= (async () => {
      const cluster = access.config.getCurrentCluster();
      if (!cluster || cluster.proxyUrl) return undefined;
      if (cluster.server.startsWith('http:')) return new HttpAgent({ keepAlive: true });
      const o: AgentOptions = {};
      try {
        await access.config.applyToHTTPSOptions(o);
      } catch {
        return undefined; // client-node reports the same problem on the request itself
      }
      const tls = {
        ca: o.ca,
        cert: o.cert,
        key: o.key,
        pfx: o.pfx,
        passphrase: o.passphrase,
        rejectUnauthorized: o.rejectUnauthorized,
        servername: o.servername,
      };
      const defined = Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined));
      return new HttpsAgent({ ...defined, keepAlive: true });
    })();
    return made;
  };
  return {
    get,
    close: () => {
      void made?.then((a) => a?.destroy());
    },
  };
}

/** Creates the client-node backed reader for a loaded kubeconfig. */
export function createClusterReader(
  access: KubeAccess,
  options: { readonly timeoutMs?: number } = {},
): ClusterReader {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const custom = access.config.makeApiClient(CustomObjectsApi);
  const apps = access.config.makeApiClient(AppsV1Api);
  const core = access.config.makeApiClient(CoreV1Api);
  const watcher = new Watch(access.config);
  const agent = keepAliveAgent(access);
  // client-node's public per-request middleware: every call gets its own deadline and the shared agent.
  const perRequest = (): ConfigurationOptions => ({
    middleware: [
      {
        pre: (context: RequestContext) =>
          new Observable(
            agent.get().then((shared) => {
              if (shared) context.setAgent(shared);
              context.setSignal(AbortSignal.timeout(timeoutMs));
              return context;
            }),
          ),
        post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
      },
    ],
    middlewareMergeStrategy: 'append',
  });
  const call = async <T>(r: Request, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw describeFailure(error, r, access, timeoutMs);
    }
  };

  return {
    access,
    close: () => agent.close(),
    getApplication: (namespace, name) =>
      call({ verb: 'get', resource: 'applications.argoproj.io', namespace, name }, async () => {
        const app = await custom.getNamespacedCustomObject(
          { group: 'argoproj.io', version: 'v1alpha1', namespace, plural: 'applications', name },
          perRequest(),
        );
        return app as Application;
      }),
    getDeployment: async (namespace, name) => {
      try {
        return await call({ verb: 'get', resource: 'deployments.apps', namespace, name }, () =>
          apps.readNamespacedDeployment({ namespace, name }, perRequest()),
        );
      } catch (error) {
        if (error instanceof ClusterAccessError && error.status === 404) return undefined;
        throw error;
      }
    },
    listPods: (namespace, labelSelector) =>
      call({ verb: 'list', resource: 'pods', namespace }, async () => {
        const list = await core.listNamespacedPod({ namespace, labelSelector }, perRequest());
        return list.items;
      }),
    watch(target, onChange, onRefused) {
      const { prefix, resource } = WATCH_PATHS[target.kind];
      const path = `${prefix}/namespaces/${target.namespace}/${target.kind}`;
      const query =
        target.kind === 'pods'
          ? { labelSelector: target.labelSelector }
          : { fieldSelector: `metadata.name=${target.name}` };
      const request: Request = { verb: 'watch', resource, namespace: target.namespace };
      let stopped = false;
      let controller: AbortController | undefined;
      let retry: NodeJS.Timeout | undefined;
      const start = async () => {
        const opened = Date.now();
        const done = (error: unknown) => {
          if (stopped) return;
          const code = (error as { statusCode?: number } | null)?.statusCode;
          if (code === 401 || code === 403 || code === 404) {
            onRefused(describeFailure(error, request, access, timeoutMs));
            return;
          }
          // The server ends watches on its own timeout: re-watch (an event may be missed in between, so
          // wake the caller to re-read). A stream that failed at once is retried after a second.
          onChange();
          retry = setTimeout(() => void start(), Date.now() - opened > 1000 ? 0 : 1000);
        };
        try {
          controller = await watcher.watch(path, { ...query, timeoutSeconds: 300 }, () => onChange(), done);
        } catch (error) {
          // Thrown before the request (e.g. the kubeconfig's credentials could not be applied).
          done(error);
          return;
        }
        if (stopped) controller.abort();
      };
      void start();
      return () => {
        stopped = true;
        if (retry) clearTimeout(retry);
        controller?.abort();
      };
    },
  };
}
