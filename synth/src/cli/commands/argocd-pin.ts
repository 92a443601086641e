/**
 * `argocd-pin <tag>` (`npm run argocd:pin -- v3.6.2`): pins argocd/install to the release tag's commit and its
 * images to their digests, and prints the `cosign verify` command of each signed image (runs them with
 * --verify). Thin: the work is `ops/argocd/pin-install`.
 */
import { RELEASE_TAG } from '../../config/argocd-install';
import { usageError } from '../../errors';
import {
  DEFAULT_RAW_BASE,
  DEFAULT_UPSTREAM,
  type PinInstallResult,
  pinInstall,
} from '../../ops/argocd/pin-install';
import { parseRegistryFlags } from '../../ops/argocd/registry';
import { CHECKED_VERSIONS } from '../../render/crd-contracts';
import { defineCommand, HELP_OPTION, type Io } from '../command';
import { openRepository } from './repository';

export const argocdPinCommand = defineCommand({
  name: 'argocd-pin',
  summary: 'pin the Argo CD install by commit and its images by digest (needs network)',
  script: 'argocd:pin',
  synopsis: '<tag> [--verify] [--json] [--upstream <git-url>] [--raw-url <url>] [--registry <host>=<url>...]',
  description: `Resolves the release tag to its commit (git ls-remote, an annotated tag peeled), fetches that commit's
manifests/install.yaml, resolves every image it names to its digest (OCI distribution API, anonymous token), and
rewrites argocd/install/kustomization.yaml: the https URL at the commit (the tag in its comment; always
upstream's raw.githubusercontent.com, whatever --raw-url the file was fetched from) and an images: list
with a digest per image, comments kept, written atomically; nothing is written on any error. Prints the
cosign verify command of each image Argo CD signs: run them (or pass --verify) before committing. The tag must
be the release synth/src/render/crd-contracts.ts was checked against (CHECKED_VERSIONS.argoCd).`,
  positionals: [
    { name: 'tag', help: 'the Argo CD release tag, vX.Y.Z (the one the render was checked against)' },
  ],
  options: {
    verify: { type: 'boolean', help: 'run cosign verify on every signed image first; refuse on a failure' },
    json: {
      type: 'boolean',
      help: 'one JSON document on stdout (commit, URL, images with digests and commands)',
    },
    upstream: {
      type: 'string',
      value: '<git-url>',
      help: `the git repository whose tags are releases (default: ${DEFAULT_UPSTREAM})`,
    },
    'raw-url': {
      type: 'string',
      value: '<url>',
      help: `where <url>/<commit>/manifests/install.yaml is fetched from (a mirror, or a test stand-in; default: ${DEFAULT_RAW_BASE}); the kustomization always names ${DEFAULT_RAW_BASE}`,
    },
    registry: {
      type: 'string',
      multiple: true,
      value: '<host>=<url>',
      help: 'ask this base URL for the images of this registry host (default: https://<host>)',
    },
    help: HELP_OPTION,
  },
  exitCodes: '0 pinned or already pinned, 1 refused (nothing written), 2 usage error',
  examples: [
    `npm run argocd:pin -- ${CHECKED_VERSIONS.argoCd}`,
    `npm run argocd:pin -- ${CHECKED_VERSIONS.argoCd} --verify`,
    `npm run argocd:pin -- ${CHECKED_VERSIONS.argoCd} --json`,
  ],
  wantsJson: (v) => v.json === true,
  async run({ values: v, positionals }, { io, cwd, env }) {
    const tag = positionals[0] as string;
    if (!RELEASE_TAG.test(tag)) {
      throw usageError(
        `<tag>: ${JSON.stringify(tag)} is not a release tag vX.Y.Z (e.g. ${CHECKED_VERSIONS.argoCd})`,
      );
    }
    const rawBase = (v['raw-url'] ?? DEFAULT_RAW_BASE).replace(/\/+$/, '');
    if (!/^https?:\/\/\S+$/.test(rawBase)) {
      throw usageError(`--raw-url: expected an http(s) URL, got ${JSON.stringify(v['raw-url'])}`);
    }
    if (v.upstream?.startsWith('-')) {
      throw usageError(
        `--upstream: ${JSON.stringify(v.upstream)} is not a repository (git would read it as an option)`,
      );
    }
    const registries = parseRegistryFlags(v.registry ?? []);
    const result = await pinInstall({
      root: openRepository(cwd).root(),
      tag,
      checkedTag: CHECKED_VERSIONS.argoCd,
      upstream: v.upstream ?? DEFAULT_UPSTREAM,
      rawBase,
      registries,
      verify: v.verify === true,
      path: env.PATH,
      log: (line) => io.err(`argocd-pin: ${line}`),
    });
    print(io, v.json === true, result);
    return 0;
  },
});

function print(io: Io, json: boolean, r: PinInstallResult): void {
  if (json) {
    io.out(JSON.stringify({ command: 'argocd-pin', ...r }, null, 2));
    return;
  }
  const kind = r.annotated ? 'annotated tag' : 'lightweight tag';
  io.out(
    `argocd-pin: ${r.status === 'pinned' ? 'pinned' : 'already pinned'} ${r.file} at ${r.tag} = ${r.commit} (${kind})`,
  );
  io.out(`  install.yaml sha256 ${r.installSha256}`);
  for (const i of r.images) io.out(`  ${i.reference} -> ${i.name}@${i.digest}`);
  const signed = r.images.filter((i) => i.verify !== undefined);
  const unsigned = r.images.filter((i) => i.verify === undefined);
  if (signed.length > 0) {
    const done = signed.every((i) => i.verified);
    io.out(done ? 'verified with cosign:' : 'before committing, verify (docs/security.md):');
    for (const i of signed) io.out(`  ${i.verify}`);
  }
  if (unsigned.length > 0) {
    io.out(
      `not signed by Argo CD's release workflow (pinned by digest, trusted as reviewed): ${unsigned.map((i) => i.name).join(', ')}`,
    );
  }
}
