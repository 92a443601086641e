// A small Kubernetes API server for tests and the benchmark: the paths status and verify use (get, list
// with label and field selectors, watch streams) over real HTTP(S) on 127.0.0.1, with bearer-token
// authentication, RBAC denials, Status error bodies as the API server sends them, added latency and
// requests that never answer. No real API server can run on these machines; this is what client-node is
// tested against.
import {
  createServer as createHttp,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { parseFieldSelector, parseLabelSelector } from './selector-match';

/** A stored object: anything with apiVersion, kind and metadata. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly resourceVersion?: string;
  };
}

/** Options of {@link FakeKubeApi.start}. */
export interface FakeKubeApiOptions {
  /** Bearer token every request must carry; any other (or none) gets 401. @default no authentication */
  readonly token?: string;
  /** The user named in 403 messages. @default 'system:serviceaccount:ci:guestlist-reader' */
  readonly user?: string;
  /** Added before every response (watch headers included). @default 0 */
  readonly latencyMs?: number;
  /** Serve HTTPS with this key and certificate (PEM). @default plain HTTP */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** One request as the server saw it. */
export interface SeenRequest {
  readonly verb: 'get' | 'list' | 'watch';
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization?: string;
}

/** A Role as the fake server authorizes with it (see {@link FakeKubeApi.allowOnly}). */
export interface AllowedRole {
  readonly namespace: string;
  readonly rules: readonly {
    readonly apiGroups: readonly string[];
    readonly resources: readonly string[];
    readonly resourceNames?: readonly string[];
    readonly verbs: readonly string[];
  }[];
}

interface Route {
  readonly group: string;
  readonly version: string;
  readonly namespace: string;
  readonly plural: string;
  readonly name?: string;
}

interface Watcher {
  readonly route: Route;
  readonly matches: (obj: KubeObject) => boolean;
  readonly res: ServerResponse;
}

const PLURALS: Record<string, string> = {
  Application: 'applications',
  Deployment: 'deployments',
  Pod: 'pods',
  ReplicaSet: 'replicasets',
};
const LIST_KINDS: Record<string, string> = {
  applications: 'ApplicationList',
  deployments: 'DeploymentList',
  pods: 'PodList',
  replicasets: 'ReplicaSetList',
};

function groupOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? 'v1';
  return v.includes('/') ? (v.split('/')[0] as string) : '';
}

function parseRoute(pathname: string): Route | undefined {
  const core = /^\/api\/(v1)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(pathname);
  if (core) {
    const [, version, namespace, plural, name] = core as unknown as string[];
    return {
      group: '',
      version: version as string,
      namespace: namespace as string,
      plural: plural as string,
      ...(name ? { name } : {}),
    };
  }
  const named = /^\/apis\/([^/]+)\/([^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(pathname);
  if (named) {
    const [, group, version, namespace, plural, name] = named as unknown as string[];
    return {
      group: group as string,
      version: version as string,
      namespace: namespace as string,
      plural: plural as string,
      ...(name ? { name } : {}),
    };
  }
  return undefined;
}

function status(code: number, reason: string, message: string, details?: Record<string, string>) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** The fake API server; `start()` it, `put()` objects, `stop()` it. */
export class FakeKubeApi {
  /** Every request in arrival order. */
  readonly requests: SeenRequest[] = [];
  private readonly objects = new Map<string, KubeObject>();
  private readonly watchers = new Set<Watcher>();
  private readonly denied: { verb: string; group: string; plural: string }[] = [];
  private allowed: readonly AllowedRole[] | undefined;
  private readonly hung: ((path: string) => boolean)[] = [];
  private revision = 100;
  private inFlight = 0;
  /** TCP connections accepted so far. */
  connections = 0;
  /** The most requests the server was answering at the same time (a watch counts until its headers). */
  maxInFlight = 0;
  private server!: Server;
  /** `http(s)://127.0.0.1:<port>` once started. */
  url = '';

  private constructor(private readonly options: FakeKubeApiOptions) {}

  /** Starts a server on a free port of 127.0.0.1. */
  static async start(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
    const api = new FakeKubeApi(options);
    const handler = (req: IncomingMessage, res: ServerResponse) => api.handle(req, res);
    api.server = options.tls
      ? createHttps({ key: options.tls.key, cert: options.tls.cert }, handler)
      : createHttp(handler);
    api.server.on(options.tls ? 'secureConnection' : 'connection', () => {
      api.connections++;
    });
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    const { port } = api.server.address() as AddressInfo;
    api.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return api;
  }

  /** Closes every connection (watches and hung requests included) and the server. */
  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Adds or replaces an object (a new resourceVersion) and sends ADDED / MODIFIED to matching watches. */
  put(obj: KubeObject): void {
    const rv = String(++this.revision);
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: rv } };
    const key = this.key(stored);
    const type = this.objects.has(key) ? 'MODIFIED' : 'ADDED';
    this.objects.set(key, stored);
    this.emit(type, stored);
  }

  /** Removes an object and sends DELETED to matching watches. */
  remove(obj: KubeObject): void {
    const key = this.key(obj);
    const stored = this.objects.get(key);
    if (!stored) return;
    this.objects.delete(key);
    this.emit('DELETED', {
      ...stored,
      metadata: { ...stored.metadata, resourceVersion: String(++this.revision) },
    });
  }

  /** Answers 403 to `verb` on `plural` in `group` ('' for the core group), in every namespace. */
  deny(verb: 'get' | 'list' | 'watch', group: string, plural: string): void {
    this.denied.push({ verb, group, plural });
  }

  /**
   * From now on, authorizes like RBAC with only these Roles: a request passes when a rule of a Role in its
   * namespace names its API group, resource and verb, and (with resourceNames) its name; for a list or watch
   * the name is the one a `metadata.name=` field selector asks for, as the API server does.
   */
  allowOnly(roles: readonly AllowedRole[]): void {
    this.allowed = roles;
  }

  /** Requests whose path matches are accepted and never answered (until stop). */
  hang(matches: (path: string) => boolean): void {
    this.hung.push(matches);
  }

  /** Ends every open watch stream, as the API server does when a watch times out. */
  endWatches(): void {
    for (const w of [...this.watchers]) w.res.end();
    this.watchers.clear();
  }

  /** How many watch streams are open now. */
  get openWatches(): number {
    return this.watchers.size;
  }

  private key(obj: KubeObject): string {
    const plural = PLURALS[obj.kind ?? ''];
    if (!plural) throw new Error(`fake API: kind ${obj.kind} is not served`);
    return `${groupOf(obj.apiVersion)}/${plural}/${obj.metadata?.namespace}/${obj.metadata?.name}`;
  }

  private emit(type: string, obj: KubeObject): void {
    const key = this.key(obj);
    for (const w of this.watchers) {
      if (key.startsWith(`${w.route.group}/${w.route.plural}/${w.route.namespace}/`) && w.matches(obj)) {
        w.res.write(`${JSON.stringify({ type, object: obj })}\n`);
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    const watch = query.watch === 'true' || query.watch === '1';
    const route = parseRoute(url.pathname);
    const verb = route?.name ? 'get' : watch ? 'watch' : 'list';
    this.requests.push({
      verb,
      path: url.pathname,
      query,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    if (this.hung.some((h) => h(url.pathname))) return;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const send = (code: number, body: unknown) => {
      this.inFlight--;
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
      send(401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (req.method !== 'GET' || !route) {
      send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    const resource = route.group ? `${route.plural}.${route.group}` : route.plural;
    const named = route.name ?? /^metadata\.name=(.+)$/.exec(query.fieldSelector ?? '')?.[1];
    const permitted =
      this.allowed === undefined ||
      this.allowed.some(
        (role) =>
          role.namespace === route.namespace &&
          role.rules.some(
            (r) =>
              r.apiGroups.includes(route.group) &&
              r.resources.includes(route.plural) &&
              r.verbs.includes(verb) &&
              (r.resourceNames === undefined || (named !== undefined && r.resourceNames.includes(named))),
          ),
      );
    if (
      !permitted ||
      this.denied.some((d) => d.verb === verb && d.group === route.group && d.plural === route.plural)
    ) {
      const user = this.options.user ?? 'system:serviceaccount:ci:guestlist-reader';
      const subject = route.name ? `${resource} "${route.name}"` : resource;
      send(
        403,
        status(
          403,
          'Forbidden',
          `${subject} is forbidden: User "${user}" cannot ${verb} resource "${route.plural}" in API group "${route.group}" in the namespace "${route.namespace}"`,
          { ...(route.name ? { name: route.name } : {}), group: route.group, kind: route.plural },
        ),
      );
      return;
    }
    const prefix = `${route.group}/${route.plural}/${route.namespace}/`;
    if (route.name) {
      const obj = this.objects.get(`${prefix}${route.name}`);
      if (obj) send(200, obj);
      else
        send(
          404,
          status(404, 'NotFound', `${resource} "${route.name}" not found`, {
            name: route.name,
            group: route.group,
            kind: route.plural,
          }),
        );
      return;
    }
    let matches: (obj: KubeObject) => boolean;
    try {
      const labels = query.labelSelector ? parseLabelSelector(query.labelSelector) : () => true;
      const fields = query.fieldSelector ? parseFieldSelector(query.fieldSelector) : () => true;
      matches = (obj) => labels(obj.metadata?.labels ?? {}) && fields(obj);
    } catch (error) {
      send(400, status(400, 'BadRequest', (error as Error).message));
      return;
    }
    const items = [...this.objects].filter(([k, o]) => k.startsWith(prefix) && matches(o)).map(([, o]) => o);
    if (!watch) {
      // Items of a list carry no apiVersion / kind, as the API server sends them.
      send(200, {
        apiVersion: route.group ? `${route.group}/${route.version}` : route.version,
        kind: LIST_KINDS[route.plural] ?? 'List',
        metadata: { resourceVersion: String(this.revision) },
        items: items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
      });
      return;
    }
    this.inFlight--;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // Without a resourceVersion a watch starts with a synthetic ADDED for every matching object.
    if (!query.resourceVersion || query.resourceVersion === '0') {
      for (const obj of items) res.write(`${JSON.stringify({ type: 'ADDED', object: obj })}\n`);
    }
    const watcher: Watcher = { route, matches, res };
    this.watchers.add(watcher);
    const end = () => {
      this.watchers.delete(watcher);
      res.end();
    };
    res.on('close', end);
    const timeout = Number(query.timeoutSeconds);
    if (timeout > 0) setTimeout(end, timeout * 1000).unref();
  }
}
