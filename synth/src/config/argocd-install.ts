// Reads how `argocd/install/kustomization.yaml` pins upstream Argo CD: its one remote `install.yaml` resource
// (at a release tag, or at a 40-hex commit with the tag in the line's comment) and its `images:` digests. Pure:
// takes the file's text; doctor, the tests and `npm run argocd:pin` read the pin through it.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

/** The kustomization that installs Argo CD, relative to the repository root. */
export const ARGOCD_INSTALL_FILE = 'argocd/install/kustomization.yaml';

/** An Argo CD release tag, as upstream names them: `vX.Y.Z`. */
export const RELEASE_TAG = /^v[0-9]+\.[0-9]+\.[0-9]+$/;
/** A full git commit id (never abbreviated). */
export const COMMIT_ID = /^[0-9a-f]{40}$/;
/** A full sha256 image digest (never abbreviated). */
export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The remote resource: `<base>/<ref>/manifests/install.yaml`. */
const INSTALL_URL = /^(https?:\/\/[^\s]+)\/([^/\s]+)\/manifests\/install\.yaml$/;

/** One `images:` entry of the kustomization. */
export interface PinnedImage {
  readonly name: string;
  /** `sha256:…`, when the entry pins one. */
  readonly digest?: string;
}

/** How the install is pinned, as the kustomization says. */
export interface InstallPin {
  /** `tag`: at a release tag; `commit`: at a 40-hex commit; `other`: at a branch or anything else. */
  readonly kind: 'tag' | 'commit' | 'other';
  /** The resource URL as written. */
  readonly url: string;
  /** Where the URL's repository lives (`<base>` of `<base>/<ref>/manifests/install.yaml`). */
  readonly base: string;
  /** The ref in the URL: a tag, a commit, or something else. */
  readonly ref: string;
  /** The release tag: the ref itself, or for a commit the `# vX.Y.Z` comment after it. */
  readonly tag?: string;
  /** 1-based line of the URL. */
  readonly line: number;
  /** The `images:` entries (empty when there is none). */
  readonly images: readonly PinnedImage[];
}

/** Why the kustomization could not be read as a pin (one line), or the pin. */
export type InstallPinRead = { readonly pin: InstallPin } | { readonly problem: string };

/**
 * The pin of the Argo CD install in the kustomization's text: the one remote resource ending in
 * `/manifests/install.yaml`, and the `images:` list. A problem (one line) when the file does not parse, or does
 * not hold exactly one such resource.
 */
export function readInstallPin(text: string, file = ARGOCD_INSTALL_FILE): InstallPinRead {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = counter.linePos(error.pos[0]);
    return { problem: `${file}:${line}:${col} (yaml): ${error.message.split('\n')[0]}` };
  }
  if (!isMap(doc.contents)) return { problem: `${file}: is not a mapping` };
  const resources = doc.get('resources', true);
  const remote = (isSeq(resources) ? resources.items : []).filter(
    (item) => isScalar(item) && typeof item.value === 'string' && INSTALL_URL.test(item.value),
  );
  if (remote.length !== 1) {
    return {
      problem: `${file}: resources holds ${remote.length} remote .../manifests/install.yaml; expected exactly one`,
    };
  }
  const node = remote[0] as { value: string; comment?: string | null; range?: [number, number, number] };
  const [, base = '', ref = ''] = INSTALL_URL.exec(node.value) ?? [];
  const comment = (node.comment ?? '').trim();
  const kind = RELEASE_TAG.test(ref) ? 'tag' : COMMIT_ID.test(ref) ? 'commit' : 'other';
  const tag = kind === 'tag' ? ref : kind === 'commit' && RELEASE_TAG.test(comment) ? comment : undefined;
  const imagesNode = doc.get('images', true);
  const images = (isSeq(imagesNode) ? imagesNode.items : []).flatMap((item): PinnedImage[] => {
    if (!isMap(item)) return [];
    const name = item.get('name');
    const digest = item.get('digest');
    if (typeof name !== 'string') return [];
    return [{ name, ...(typeof digest === 'string' ? { digest } : {}) }];
  });
  return {
    pin: {
      kind,
      url: node.value,
      base,
      ref,
      ...(tag !== undefined ? { tag } : {}),
      line: counter.linePos(node.range?.[0] ?? 0).line,
      images,
    },
  };
}

/**
 * True when the pin is complete: the install at a commit with its release tag noted, and every image entry by
 * a full sha256 digest (at least one).
 */
export function isFullyPinned(pin: InstallPin): boolean {
  return (
    pin.kind === 'commit' &&
    pin.tag !== undefined &&
    pin.images.length > 0 &&
    pin.images.every((i) => i.digest !== undefined && IMAGE_DIGEST.test(i.digest))
  );
}
