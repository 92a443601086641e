// `npm run argocd:pin` through the user's door: the bundled CLI as a process, against real local stand-ins for
// everything it asks (bare git repositories with an annotated or a lightweight tag, an HTTP server with
// install.yaml per commit, an OCI registry behind a bearer challenge), in a temp copy of argocd/install: the
// file rewritten with its comments and accepted by the real kubectl kustomize; every failure one line, exit 1
// or 2, and not one byte written.
import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kustomize } from '../../../test/argocd';
import {
  bareUpstream,
  digestOf,
  fakeRegistry,
  type LocalServer,
  type ManifestAnswer,
  rawServer,
  type Upstream,
} from '../../../test/argocd-upstream';
import { readInstallPin } from '../../config/argocd-install';
import { DEFAULT_RAW_BASE } from '../../ops/argocd/pin-install';
import { MANIFEST_ACCEPT } from '../../ops/argocd/registry';
import { CHECKED_VERSIONS } from '../../render/crd-contracts';

const REPO = join(__dirname, '..', '..', '..', '..');
const LAUNCHER = join(REPO, 'synth', 'bin', 'synth.mjs');
const TAG = CHECKED_VERSIONS.argoCd;
const KUSTOMIZATION = 'argocd/install/kustomization.yaml';
const GIT_DIR = dirname(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim());

/** An install.yaml naming these images, in a Deployment's containers and init containers and a StatefulSet. */
function installYaml(images: { server: string; init: string; redis: string; dex: string }): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: { name: argocd-cm }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: argocd-rbac-cm }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: argocd-server }
spec:
  selector: { matchLabels: { app: argocd-server } }
  template:
    metadata: { labels: { app: argocd-server } }
    spec:
      initContainers: [{ name: copyutil, image: ${images.init} }]
      containers: [{ name: argocd-server, image: ${images.server} }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: argocd-dex-server }
spec:
  selector: { matchLabels: { app: dex } }
  template:
    metadata: { labels: { app: dex } }
    spec: { containers: [{ name: dex, image: ${images.dex} }] }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: argocd-redis }
spec:
  selector: { matchLabels: { app: redis } }
  template:
    metadata: { labels: { app: redis } }
    spec: { containers: [{ name: redis, image: ${images.redis} }] }
`;
}

const GOOD = {
  server: `registry.test/argoproj/argocd:${TAG}`,
  init: `registry.test/argoproj/argocd:${TAG}`,
  redis: 'registry.test/docker/library/redis:7.2.11-alpine',
  dex: 'dex.test:5000/dexidp/dex:v2.43.0',
};
const MANIFESTS = new Map<string, ManifestAnswer>([
  [`argoproj/argocd:${TAG}`, { digest: digestOf('argocd') }],
  ['docker/library/redis:7.2.11-alpine', { digest: digestOf('redis') }],
  ['dexidp/dex:v2.43.0', { digest: digestOf('dex') }],
  ['dexidp/dex:v0-missing', { status: 404 }],
  ['dexidp/dex:v0-bad-digest', { digest: 'sha256:NOT-A-DIGEST' }],
  ['dexidp/dex:v0-bad-realm', { realm: 'not a url' }],
]);

let dir: string;
let raw: LocalServer;
let registry: Awaited<ReturnType<typeof fakeRegistry>>;
const upstreams: Record<string, Upstream> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'argocd-pin-'));
  const files = new Map<string, string>();
  const make = (name: string, annotated: boolean, images: typeof GOOD, tag: string = TAG) => {
    const text = installYaml(images);
    const u = bareUpstream(dir, name, tag, annotated, `${text}# ${name}\n`);
    files.set(u.commit, text);
    upstreams[name] = u;
  };
  make('annotated', true, GOOD);
  make('lightweight', false, GOOD);
  make('other-tag', true, GOOD, 'v0.0.1');
  make('missing-image', true, { ...GOOD, dex: 'dex.test:5000/dexidp/dex:v0-missing' });
  make('bad-digest', true, { ...GOOD, dex: 'dex.test:5000/dexidp/dex:v0-bad-digest' });
  make('bad-realm', true, { ...GOOD, dex: 'dex.test:5000/dexidp/dex:v0-bad-realm' });
  raw = await rawServer(files);
  registry = await fakeRegistry(MANIFESTS);
});
afterAll(async () => {
  await raw?.close();
  await registry?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A git checkout holding a copy of argocd/install (the command edits the repository it runs in). */
function checkout(): string {
  const root = mkdtempSync(join(dir, 'repo-'));
  execFileSync('git', ['init', '-q'], { cwd: root });
  cpSync(join(REPO, 'argocd', 'install'), join(root, 'argocd', 'install'), { recursive: true });
  return root;
}

/** Runs the CLI as a process without blocking this one (the servers answer from here). */
function pin(cwd: string, args: readonly string[], path = GIT_DIR) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(
      process.execPath,
      [LAUNCHER, 'argocd-pin', ...args],
      { cwd, encoding: 'utf8', timeout: 60_000, env: { PATH: path, HOME: dir } },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: unknown }).code ?? 1) : 0,
          out: stdout,
          err: stderr,
        }),
    );
  });
}

/** The flags that send every question to the local stand-ins. */
const local = (upstream: string) => [
  TAG,
  '--upstream',
  upstreams[upstream]?.url ?? upstream,
  '--raw-url',
  raw.base,
  '--registry',
  `registry.test=${registry.base}`,
  '--registry',
  `dex.test:5000=${registry.base}`,
];

/** The errors printed (progress lines are `argocd-pin: <verb> …`, the refusal is the last line). */
const lastLine = (err: string) => err.trim().split('\n').at(-1);

/** The install folder's files and bytes: unchanged, and no temp file left. */
const snapshot = (root: string) =>
  Object.fromEntries(
    readdirSync(join(root, 'argocd', 'install')).map((f) => [
      f,
      readFileSync(join(root, 'argocd', 'install', f), 'utf8'),
    ]),
  );

describe('npm run argocd:pin on a release tag', () => {
  it('should pin an annotated tag at the commit it tags, every image by digest, comments kept', async () => {
    const root = checkout();
    const before = readFileSync(join(root, KUSTOMIZATION), 'utf8');
    const r = await pin(root, local('annotated'));
    expect(r.code, r.err).toBe(0);
    const u = upstreams.annotated as Upstream;
    expect(u.tagRef).not.toBe(u.commit);
    const after = readFileSync(join(root, KUSTOMIZATION), 'utf8');
    // Fetched from the local stand-in over http, the file names upstream's https URL: never the fetch base.
    expect(raw.base).toMatch(/^http:/);
    const url = `${DEFAULT_RAW_BASE}/${u.commit}/manifests/install.yaml`;
    expect(url).toMatch(/^https:\/\/raw\.githubusercontent\.com\//);
    expect(after).toContain(`  - ${url} # ${TAG}\n`);
    expect(after).not.toContain('http:');
    expect(after).not.toContain(raw.base);
    expect(r.err).toContain(`argocd-pin: GET ${raw.base}/${u.commit}/manifests/install.yaml`);
    // Every comment line of the file as committed survives; only the URL line changed, images: was added.
    for (const line of before.split('\n').filter((l) => l.trimStart().startsWith('#'))) {
      expect(after).toContain(line);
    }
    expect(
      after
        .split('\n')
        .slice(0, before.split('\n').length - 1)
        .filter((l, i) => l !== before.split('\n')[i]),
    ).toEqual([`  - ${url} # ${TAG}`]);
    const doc = parse(after) as { images: { name: string; digest: string }[]; resources: string[] };
    expect(doc.images).toEqual([
      { name: 'dex.test:5000/dexidp/dex', digest: digestOf('dex') },
      { name: 'registry.test/argoproj/argocd', digest: digestOf('argocd') },
      { name: 'registry.test/docker/library/redis', digest: digestOf('redis') },
    ]);
    const read = readInstallPin(after);
    expect('pin' in read && read.pin).toMatchObject({ kind: 'commit', ref: u.commit, tag: TAG });
    expect(r.out).toContain(`argocd-pin: pinned ${KUSTOMIZATION} at ${TAG} = ${u.commit} (annotated tag)`);
    // The cosign command for Argo CD's own image only; Dex and Redis are named as not signed by it.
    expect(r.out).toContain(
      `cosign verify --certificate-identity https://github.com/argoproj/argo-cd/.github/workflows/image-reuse.yaml@refs/tags/${TAG} --certificate-oidc-issuer https://token.actions.githubusercontent.com --certificate-github-workflow-repository argoproj/argo-cd registry.test/argoproj/argocd@${digestOf('argocd')}`,
    );
    expect(r.out).toMatch(
      /not signed by Argo CD's release workflow .*: dex\.test:5000\/dexidp\/dex, registry\.test\/docker\/library\/redis/,
    );
    // The registry was asked as the distribution API says: 401, token, HEAD with the token and the Accept types.
    const heads = registry.requests.filter((q) => q.method === 'HEAD' && q.url.includes('argoproj/argocd'));
    expect(heads.some((q) => q.authorization === undefined)).toBe(true);
    expect(heads.some((q) => q.authorization === 'Bearer anon repository:argoproj/argocd:pull')).toBe(true);
    expect(heads.every((q) => q.accept === MANIFEST_ACCEPT)).toBe(true);
    expect(
      registry.requests.some((q) => q.url.startsWith('/token?service=fake-registry&scope=repository')),
    ).toBe(true);

    // The same pin again: nothing to change.
    const again = await pin(root, [...local('annotated'), '--json']);
    expect(again.code, again.err).toBe(0);
    const json = JSON.parse(again.out) as {
      status: string;
      commit: string;
      images: { digest: string; verify?: string }[];
    };
    expect(json).toMatchObject({ status: 'unchanged', commit: u.commit, annotated: true, url });
    expect(json.images.map((i) => i.digest)).toEqual(
      expect.arrayContaining([digestOf('argocd'), digestOf('dex')]),
    );
    expect(readFileSync(join(root, KUSTOMIZATION), 'utf8')).toBe(after);
  }, 90_000);

  it('should pin a lightweight tag at its commit, and the real kubectl kustomize should apply the digests', async () => {
    const root = checkout();
    const r = await pin(root, local('lightweight'));
    expect(r.code, r.err).toBe(0);
    const u = upstreams.lightweight as Upstream;
    expect(u.tagRef).toBe(u.commit);
    expect(r.out).toContain(`= ${u.commit} (lightweight tag)`);
    // kubectl kustomize on the pinned file, the remote URL swapped for the install.yaml it names (no network).
    const install = join(root, 'argocd', 'install');
    const text = readFileSync(join(install, 'kustomization.yaml'), 'utf8');
    writeFileSync(join(install, 'upstream-stand-in.yaml'), installYaml(GOOD));
    writeFileSync(
      join(install, 'kustomization.yaml'),
      text.replace(`${DEFAULT_RAW_BASE}/${u.commit}/manifests/install.yaml`, 'upstream-stand-in.yaml'),
    );
    const objects = kustomize(install) as unknown as {
      kind: string;
      spec?: {
        template?: { spec?: { containers: { image: string }[]; initContainers?: { image: string }[] } };
      };
    }[];
    const images = objects
      .flatMap((o) => [
        ...(o.spec?.template?.spec?.containers ?? []),
        ...(o.spec?.template?.spec?.initContainers ?? []),
      ])
      .map((c) => c.image);
    expect(images.sort()).toEqual(
      [
        `dex.test:5000/dexidp/dex@${digestOf('dex')}`,
        `registry.test/argoproj/argocd@${digestOf('argocd')}`,
        `registry.test/argoproj/argocd@${digestOf('argocd')}`,
        `registry.test/docker/library/redis@${digestOf('redis')}`,
      ].sort(),
    );
  }, 90_000);
});

describe('npm run argocd:pin refusing, with nothing written', () => {
  let root: string;
  let before: Record<string, string>;
  beforeAll(() => {
    root = checkout();
    before = snapshot(root);
  });

  it('should refuse a tag the upstream does not have', async () => {
    const r = await pin(root, local('other-tag'));
    expect(r.code).toBe(1);
    expect(lastLine(r.err)).toBe(
      `argocd-pin: ${upstreams['other-tag']?.url} has no tag ${TAG} (git ls-remote found none)`,
    );
    expect(snapshot(root)).toEqual(before);
  }, 60_000);

  it('should refuse an image the registry does not have (404), naming it', async () => {
    const r = await pin(root, local('missing-image'));
    expect(r.code).toBe(1);
    expect(lastLine(r.err)).toBe(
      `argocd-pin: dex.test:5000/dexidp/dex:v0-missing: HEAD ${registry.base}/v2/dexidp/dex/manifests/v0-missing answered 404`,
    );
    expect(snapshot(root)).toEqual(before);
  }, 60_000);

  it('should refuse a Docker-Content-Digest that is not a full sha256', async () => {
    const r = await pin(root, [...local('bad-digest'), '--json']);
    expect(r.code).toBe(1);
    expect(lastLine(r.err)).toMatch(
      /dex\.test:5000\/dexidp\/dex:v0-bad-digest: HEAD \S+ answered Docker-Content-Digest "sha256:NOT-A-DIGEST", not sha256:<64 hex>$/,
    );
    expect(JSON.parse(r.out)).toMatchObject({ command: 'argocd-pin', status: 'refused', exitCode: 1 });
    expect(snapshot(root)).toEqual(before);
  }, 60_000);

  it('should refuse a 401 whose token realm is not a URL, naming the image and the realm (not an internal error)', async () => {
    const r = await pin(root, local('bad-realm'));
    expect(r.code).toBe(1);
    expect(lastLine(r.err)).toBe(
      `argocd-pin: dex.test:5000/dexidp/dex:v0-bad-realm: the registry's token realm "not a url" is not an absolute URL`,
    );
    expect(r.err).not.toMatch(/internal error|bug in synth|\n\s+at /);
    expect(snapshot(root)).toEqual(before);
  }, 60_000);

  it('should refuse a release other than the one the render was checked against, before asking anyone', async () => {
    const r = await pin(root, ['v9.9.9', '--upstream', join(dir, 'nowhere.git')]);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(
      `argocd-pin: v9.9.9 is not the Argo CD release the render was checked against (${TAG}); read v9.9.9's upgrade notes and CRDs, set CHECKED_VERSIONS.argoCd in synth/src/render/crd-contracts.ts (and the contracts there) first, then pin it`,
    );
    expect(snapshot(root)).toEqual(before);
  }, 60_000);

  it('should refuse --verify without cosign on PATH, before asking anyone', async () => {
    const r = await pin(root, [...local('annotated'), '--verify']);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toMatch(/^argocd-pin: cosign is not on PATH; install it .* or run without --verify/);
    expect(snapshot(root)).toEqual(before);
  }, 60_000);

  it('should refuse when cosign verify fails, and pin when it passes (a stand-in cosign: real signatures are not checked here)', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const log = join(dir, 'cosign.log');
    writeFileSync(
      join(bin, 'cosign'),
      `#!/bin/sh\necho "$@" >> ${log}\nif [ -e ${join(dir, 'cosign-fails')} ]; then echo "Error: no matching signatures" >&2; exit 1; fi\n`,
    );
    chmodSync(join(bin, 'cosign'), 0o755);
    writeFileSync(join(dir, 'cosign-fails'), '');
    const failed = await pin(root, [...local('annotated'), '--verify'], `${bin}:${GIT_DIR}`);
    expect(failed.code).toBe(1);
    expect(lastLine(failed.err)).toBe(
      `argocd-pin: cosign verify failed for registry.test/argoproj/argocd@${digestOf('argocd')} (exit 1): Error: no matching signatures`,
    );
    expect(snapshot(root)).toEqual(before);
    rmSync(join(dir, 'cosign-fails'));
    const passed = await pin(root, [...local('annotated'), '--verify'], `${bin}:${GIT_DIR}`);
    expect(passed.code, passed.err).toBe(0);
    expect(passed.out).toContain('verified with cosign:');
    expect(readFileSync(log, 'utf8').trim().split('\n').at(-1)).toBe(
      `verify --certificate-identity https://github.com/argoproj/argo-cd/.github/workflows/image-reuse.yaml@refs/tags/${TAG} --certificate-oidc-issuer https://token.actions.githubusercontent.com --certificate-github-workflow-repository argoproj/argo-cd registry.test/argoproj/argocd@${digestOf('argocd')}`,
    );
    rmSync(root, { recursive: true, force: true });
  }, 90_000);
});

describe('npm run argocd:pin on bad usage', () => {
  it('should exit 2 with one line for a tag that is not a release tag, a missing tag and a bad --registry', async () => {
    const root = checkout();
    const before = snapshot(root);
    const notRelease = await pin(root, ['latest']);
    expect(notRelease.code).toBe(2);
    expect(notRelease.err.trim()).toBe(
      `argocd-pin: <tag>: "latest" is not a release tag vX.Y.Z (e.g. ${TAG})`,
    );
    const missing = await pin(root, []);
    expect(missing.code).toBe(2);
    expect(missing.err.trim()).toMatch(/^argocd-pin: missing <tag>; usage: npm run argocd:pin -- <tag>/);
    const registryFlag = await pin(root, [TAG, '--registry', 'registry.test']);
    expect(registryFlag.code).toBe(2);
    expect(registryFlag.err.trim()).toBe(
      'argocd-pin: --registry: expected <host>=<http(s)://host[:port]>, got "registry.test"',
    );
    const option = await pin(root, [TAG, '--upstream=--upload-pack=touch pwned']);
    expect(option.code).toBe(2);
    expect(option.err.trim()).toBe(
      'argocd-pin: --upstream: "--upload-pack=touch pwned" is not a repository (git would read it as an option)',
    );
    expect(snapshot(root)).toEqual(before);
  }, 60_000);
});
