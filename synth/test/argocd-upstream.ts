// Test stand-ins for what `npm run argocd:pin` asks, all real and local: bare git repositories with a release
// tag (annotated or lightweight) as Argo CD's upstream, an HTTP server on 127.0.0.1 serving install.yaml at
// `/<commit>/manifests/install.yaml`, and an OCI registry answering manifest HEADs behind a bearer challenge.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Upstream',
  GIT_AUTHOR_EMAIL: 'upstream@example.com',
  GIT_COMMITTER_NAME: 'Upstream',
  GIT_COMMITTER_EMAIL: 'upstream@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: GIT_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

/** A bare upstream repository: its path (the `--upstream`), the tagged commit and the tag object (if any). */
export interface Upstream {
  readonly url: string;
  readonly commit: string;
  /** The tag object's id for an annotated tag (differs from the commit), else the commit. */
  readonly tagRef: string;
}

/**
 * A bare repository under `dir/name.git` with one commit holding `manifests/install.yaml`, tagged `tag`
 * (annotated: a tag object; else lightweight).
 */
export function bareUpstream(
  dir: string,
  name: string,
  tag: string,
  annotated: boolean,
  install: string,
): Upstream {
  const work = join(dir, `${name}-work`);
  mkdirSync(join(work, 'manifests'), { recursive: true });
  git(work, 'init', '-q', '-b', 'master');
  writeFileSync(join(work, 'manifests', 'install.yaml'), install);
  git(work, 'add', '.');
  git(work, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', `release ${name}`);
  if (annotated) git(work, '-c', 'tag.gpgsign=false', 'tag', '-a', tag, '-m', `Release ${tag}`);
  else git(work, 'tag', tag);
  const url = join(dir, `${name}.git`);
  git(dir, 'clone', '-q', '--bare', work, url);
  return { url, commit: git(url, 'rev-parse', `${tag}^{commit}`), tagRef: git(url, 'rev-parse', tag) };
}

/** A running HTTP server on 127.0.0.1 (free port). */
export interface LocalServer {
  readonly base: string;
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves `files[commit]` at `/<commit>/manifests/install.yaml`; 404 for anything else. */
export function rawServer(files: Map<string, string>): Promise<LocalServer> {
  return listen((req, res) => {
    const m = /^\/([0-9a-f]{40})\/manifests\/install\.yaml$/.exec(req.url ?? '');
    const text = m ? files.get(m[1] as string) : undefined;
    if (text === undefined) {
      res.writeHead(404).end('404: Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
  });
}

/** A deterministic, random-looking sha256 digest for a name (the fake registry's answer). */
export const digestOf = (name: string) => `sha256:${createHash('sha256').update(name).digest('hex')}`;

/** One request the fake registry got. */
export interface RegistryRequest {
  readonly method: string;
  readonly url: string;
  readonly accept?: string;
  readonly authorization?: string;
}

/**
 * What the fake registry answers for `<path>:<tag>`: a digest header value, or a status; or, for `realm`, the
 * 401 challenge names that realm (whatever the request's token).
 */
export type ManifestAnswer =
  | { readonly digest: string }
  | { readonly status: number }
  | { readonly realm: string };

/**
 * A registry: `HEAD /v2/<path>/manifests/<tag>` without the right bearer token answers 401 with a
 * `WWW-Authenticate: Bearer realm=…,service=…,scope=…` challenge; `GET /token` hands out an anonymous token for
 * the scope; with it, the manifest's answer (a `Docker-Content-Digest`), 404 for a manifest it does not have.
 */
export async function fakeRegistry(
  manifests: ReadonlyMap<string, ManifestAnswer>,
): Promise<LocalServer & { readonly requests: RegistryRequest[] }> {
  const requests: RegistryRequest[] = [];
  let base = '';
  const server = await listen((req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      ...(req.headers.accept ? { accept: req.headers.accept } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const url = new URL(req.url ?? '/', base);
    if (req.method === 'GET' && url.pathname === '/token') {
      const scope = url.searchParams.get('scope') ?? '';
      if (url.searchParams.get('service') !== 'fake-registry' || !/^repository:[^:]+:pull$/.test(scope)) {
        res.writeHead(400).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: `anon ${scope}` }));
      return;
    }
    const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'HEAD' || !m) {
      res.writeHead(404).end();
      return;
    }
    const [, path = '', tag = ''] = m;
    const scope = `repository:${path}:pull`;
    const answer = manifests.get(`${path}:${tag}`);
    if (req.headers.authorization !== `Bearer anon ${scope}` || (answer && 'realm' in answer)) {
      const realm = answer && 'realm' in answer ? answer.realm : `${base}/token`;
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${realm}",service="fake-registry",scope="${scope}"`,
        })
        .end();
      return;
    }
    if (answer === undefined || !('digest' in answer)) {
      res.writeHead(answer && 'status' in answer ? answer.status : 404).end();
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'application/vnd.oci.image.index.v1+json',
        'docker-content-digest': answer.digest,
      })
      .end();
  });
  base = server.base;
  return { ...server, requests };
}
