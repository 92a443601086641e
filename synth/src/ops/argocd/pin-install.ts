// `npm run argocd:pin -- <tag>` as one all-or-nothing step: the release tag to its commit (git ls-remote), the
// commit's install.yaml, each image it names to its digest (the registry), optionally `cosign verify` of the
// signed ones, then the kustomization rewritten. Every question is asked before the one write.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARGOCD_INSTALL_FILE, readInstallPin } from '../../config/argocd-install';
import { refused } from '../errors';
import { commandLine, cosignArgs, onPath, runCosign } from './cosign';
import { installImages } from './install-images';
import { pinKustomization, writeAtomically } from './kustomization-pin';
import { type RegistryBases, resolveDigest, splitImage } from './registry';
import { fetchText, resolveTag } from './upstream';

/** Argo CD's repository, whose tags name the releases. */
export const DEFAULT_UPSTREAM = 'https://github.com/argoproj/argo-cd.git';
/**
 * Where GitHub serves a file of that repository at a commit: `<base>/<commit>/manifests/install.yaml`. The
 * kustomization always names this (https) base, wherever the file was fetched from for the pin.
 */
export const DEFAULT_RAW_BASE = 'https://raw.githubusercontent.com/argoproj/argo-cd';

/** What to pin, and where to ask. */
export interface PinInstallOptions {
  /** The repository root (holds argocd/install/kustomization.yaml). */
  readonly root: string;
  /** The release tag, `vX.Y.Z` (checked by the command). */
  readonly tag: string;
  /** The release the render's contracts were checked against (`CHECKED_VERSIONS.argoCd`). */
  readonly checkedTag: string;
  readonly upstream: string;
  /**
   * Where `<rawBase>/<commit>/manifests/install.yaml` is fetched from to read its images (a mirror, or a local
   * stand-in in tests). Never written: the kustomization names `DEFAULT_RAW_BASE`.
   */
  readonly rawBase: string;
  readonly registries: RegistryBases;
  /** Run `cosign verify` on every signed image, refusing on a failure. */
  readonly verify: boolean;
  /** `PATH`, where cosign is looked for. */
  readonly path: string | undefined;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
}

/** One image as pinned. */
export interface PinnedInstallImage {
  /** As install.yaml names it. */
  readonly reference: string;
  /** The name kustomize's `images:` matches. */
  readonly name: string;
  readonly digest: string;
  /** The `cosign verify` command of a signed image; undefined for an image Argo CD does not sign. */
  readonly verify?: string;
  /** True when `--verify` ran cosign on it and it passed. */
  readonly verified: boolean;
}

/** What the command did. */
export interface PinInstallResult {
  /** `pinned`: the file was rewritten; `unchanged`: it already held exactly this pin. */
  readonly status: 'pinned' | 'unchanged';
  readonly file: string;
  readonly tag: string;
  readonly commit: string;
  readonly annotated: boolean;
  /** The resource URL written (always under `DEFAULT_RAW_BASE`, https). */
  readonly url: string;
  /** sha256 of the install.yaml bytes fetched (for the record; upstream does not sign the file). */
  readonly installSha256: string;
  readonly images: readonly PinnedInstallImage[];
}

/** Pins the install; throws a one-line refusal, with nothing written, on any failure. */
export async function pinInstall(o: PinInstallOptions): Promise<PinInstallResult> {
  if (o.tag !== o.checkedTag) {
    throw refused(
      `${o.tag} is not the Argo CD release the render was checked against (${o.checkedTag}); read ${o.tag}'s ` +
        'upgrade notes and CRDs, set CHECKED_VERSIONS.argoCd in synth/src/render/crd-contracts.ts (and the ' +
        'contracts there) first, then pin it',
    );
  }
  const file = join(o.root, ARGOCD_INSTALL_FILE);
  let before: string;
  try {
    before = readFileSync(file, 'utf8');
  } catch (error) {
    throw refused(`cannot read ${ARGOCD_INSTALL_FILE} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  const current = readInstallPin(before, ARGOCD_INSTALL_FILE);
  if ('problem' in current) throw refused(current.problem);
  const cosign = o.verify ? onPath('cosign', o.path) : undefined;
  if (o.verify && cosign === undefined) {
    throw refused(
      'cosign is not on PATH; install it (https://docs.sigstore.dev/cosign/system_config/installation/) or run without --verify and run the printed cosign commands yourself',
    );
  }

  o.log(`git ls-remote ${o.upstream} refs/tags/${o.tag}`);
  const { commit, annotated } = resolveTag(o.upstream, o.tag);
  const url = `${DEFAULT_RAW_BASE}/${commit}/manifests/install.yaml`;
  const fetchUrl = `${o.rawBase}/${commit}/manifests/install.yaml`;
  o.log(`GET ${fetchUrl}`);
  const install = await fetchText(fetchUrl);
  const images = installImages(install.text, fetchUrl).map(splitImage);
  const byName = new Map<string, string>();
  for (const image of images) {
    const other = byName.get(image.name);
    if (other !== undefined) {
      throw refused(
        `install.yaml names ${image.name} twice (${other}, ${image.reference}); one digest per name cannot pin both`,
      );
    }
    byName.set(image.name, image.reference);
  }
  const pinned: PinnedInstallImage[] = [];
  for (const image of images) {
    o.log(`resolve ${image.reference}`);
    const digest = await resolveDigest(image, o.registries);
    const args = cosignArgs(image.path, image.tag, o.tag, `${image.name}@${digest}`);
    pinned.push({
      reference: image.reference,
      name: image.name,
      digest,
      ...(args ? { verify: commandLine('cosign', args) } : {}),
      verified: false,
    });
  }
  if (cosign !== undefined) {
    for (const [i, image] of images.entries()) {
      const p = pinned[i] as PinnedInstallImage;
      const args = cosignArgs(image.path, image.tag, o.tag, `${image.name}@${p.digest}`);
      if (!args) continue;
      o.log(`cosign verify ${image.name}@${p.digest}`);
      runCosign(cosign, args, `${image.name}@${p.digest}`);
      pinned[i] = { ...p, verified: true };
    }
  }

  const after = pinKustomization(before, ARGOCD_INSTALL_FILE, { url, tag: o.tag, images: pinned });
  const status = after === before ? 'unchanged' : 'pinned';
  if (status === 'pinned') writeAtomically(file, after);
  return {
    status,
    file: ARGOCD_INSTALL_FILE,
    tag: o.tag,
    commit,
    annotated,
    url,
    installSha256: install.sha256,
    images: pinned,
  };
}
