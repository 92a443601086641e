// Resolves an image tag to its digest through the OCI distribution API: `HEAD /v2/<name>/manifests/<tag>`
// asking for an index, a manifest list or a manifest, the anonymous bearer-token challenge of `WWW-Authenticate`
// followed when the registry answers 401, and the `Docker-Content-Digest` header checked to be a full sha256.
// No registry host is written here: hosts come from the image names, base URLs may be overridden (tests).
import { IMAGE_DIGEST } from '../../config/argocd-install';
import { refused, usageError } from '../errors';
import { reasonOf } from './upstream';

/** What a manifest HEAD accepts: the multi-platform forms first, so the digest is the one a node resolves. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** An image reference split for the distribution API. */
export interface RegistryImage {
  /** As written in install.yaml. */
  readonly reference: string;
  /** The registry host (with port), as written in the reference. */
  readonly host: string;
  /** The repository path on the registry (`argoproj/argocd`). */
  readonly path: string;
  /** `host/path`: the name kustomize's `images:` matches. */
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Splits `host/path[:tag][@digest]`. The first segment is a registry host when it has a dot, a port or is
 * `localhost`; a reference without one (an implicit Docker Hub name) is refused: which registry serves it is not
 * this command's guess.
 */
export function splitImage(reference: string): RegistryImage {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  let rest = at >= 0 ? reference.slice(0, at) : reference;
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  if (!(first.includes('.') || first.includes(':') || first === 'localhost')) {
    throw refused(
      `install.yaml names the image ${reference} without a registry host; pin it by hand (this command does not guess the registry)`,
    );
  }
  if (tag === undefined && digest === undefined) {
    throw refused(`install.yaml names the image ${reference} without a tag or digest`);
  }
  return {
    reference,
    host: first,
    path: rest.slice(slash + 1),
    name: rest,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** Registry host -> base URL (`http://127.0.0.1:5000` in tests); a host not listed is `https://<host>`. */
export type RegistryBases = Readonly<Record<string, string>>;

/** Parses `--registry host=url` values (each one usage error when malformed). */
export function parseRegistryFlags(values: readonly string[]): RegistryBases {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const host = value.slice(0, eq);
    const url = value.slice(eq + 1).replace(/\/+$/, '');
    if (eq <= 0 || !/^https?:\/\/[^\s/]+$/.test(url)) {
      throw usageError(`--registry: expected <host>=<http(s)://host[:port]>, got ${JSON.stringify(value)}`);
    }
    out[host] = url;
  }
  return out;
}

/** The parameters of a `Bearer realm="…",service="…",scope="…"` challenge; undefined for another scheme. */
export function bearerChallenge(header: string | null): Record<string, string> | undefined {
  if (header === null || !/^\s*bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.replace(/^\s*bearer\s+/i, '').matchAll(/([A-Za-z_]+)\s*=\s*"([^"]*)"/g)) {
    params[(m[1] ?? '').toLowerCase()] = m[2] ?? '';
  }
  return params.realm ? params : undefined;
}

/**
 * The digest of `image` on its registry (an image already written by digest keeps it). Refuses, naming the image
 * and the URL: an answer other than 200, an unusable challenge or token, a missing or malformed digest header.
 */
export async function resolveDigest(
  image: RegistryImage,
  bases: RegistryBases,
  timeoutMs = 30_000,
): Promise<string> {
  if (image.digest !== undefined) {
    if (!IMAGE_DIGEST.test(image.digest))
      throw refused(`${image.reference}: the digest is not a full sha256`);
    return image.digest;
  }
  const base = bases[image.host] ?? `https://${image.host}`;
  const url = `${base}/v2/${image.path}/manifests/${image.tag}`;
  const head = async (authorization?: string) => {
    try {
      return await fetch(url, {
        method: 'HEAD',
        headers: { accept: MANIFEST_ACCEPT, ...(authorization ? { authorization } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw refused(`${image.reference}: HEAD ${url} failed: ${reasonOf(error)}`);
    }
  };
  let response = await head();
  if (response.status === 401) {
    const challenge = bearerChallenge(response.headers.get('www-authenticate'));
    if (!challenge) {
      throw refused(
        `${image.reference}: ${url} answered 401 without a bearer challenge (only anonymous pulls are supported)`,
      );
    }
    const token = await anonymousToken(image, challenge, base, timeoutMs);
    response = await head(`Bearer ${token}`);
  }
  if (response.status !== 200) {
    throw refused(`${image.reference}: HEAD ${url} answered ${response.status}`);
  }
  const digest = response.headers.get('docker-content-digest');
  if (digest === null || !IMAGE_DIGEST.test(digest)) {
    throw refused(
      `${image.reference}: HEAD ${url} answered Docker-Content-Digest ${JSON.stringify(digest)}, not sha256:<64 hex>`,
    );
  }
  return digest;
}

/** The token of an anonymous pull from the challenge's realm (`token` or `access_token` of its JSON). */
async function anonymousToken(
  image: RegistryImage,
  challenge: Record<string, string>,
  base: string,
  timeoutMs: number,
): Promise<string> {
  let realm: URL;
  try {
    realm = new URL(challenge.realm as string);
  } catch {
    throw refused(
      `${image.reference}: the registry's token realm ${JSON.stringify(challenge.realm)} is not an absolute URL`,
    );
  }
  // A registry reached over https must not send the token request over plain http.
  if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && base.startsWith('http:'))) {
    throw refused(`${image.reference}: the token realm ${realm.href} is not https`);
  }
  if (challenge.service) realm.searchParams.set('service', challenge.service);
  realm.searchParams.set('scope', challenge.scope ?? `repository:${image.path}:pull`);
  let response: Response;
  let body: { token?: unknown; access_token?: unknown } = {};
  try {
    response = await fetch(realm, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.status === 200) body = (await response.json()) as typeof body;
    else await response.body?.cancel();
  } catch (error) {
    throw refused(`${image.reference}: the token request ${realm.href} failed: ${reasonOf(error)}`);
  }
  if (response.status !== 200) {
    throw refused(`${image.reference}: the token request ${realm.href} answered ${response.status}`);
  }
  const token = typeof body.token === 'string' ? body.token : body.access_token;
  if (typeof token !== 'string' || token === '') {
    throw refused(`${image.reference}: the token request ${realm.href} returned no token`);
  }
  return token;
}
