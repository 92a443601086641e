/** A container image reference split into its parts. */
export interface ImageRef {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DIGEST = /sha256:[a-f0-9]{64}/;

/** Parses `repo[:tag][@sha256:…]`; a `:` inside the registry host (a port) is not a tag. */
export function parseImage(reference: string): ImageRef {
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repository: rest, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** `repo:tag@digest` (the parts that are set). */
export function formatImage(ref: ImageRef): string {
  return `${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** A short form for tables: `0.1.0@sha256:0123abcd`. */
export function shortImage(ref: ImageRef): string {
  const digest = ref.digest ? `@${ref.digest.slice(0, 15)}` : '';
  return `${ref.tag ?? ref.repository}${digest}`;
}

/**
 * The digest a container actually runs, from `containerStatuses[].imageID`: containerd and CRI-O report
 * `repo@sha256:…`, dockershim `docker-pullable://repo@sha256:…`; anything without a sha256 gives undefined.
 */
export function digestOfImageId(imageID: string | undefined): string | undefined {
  if (!imageID) return undefined;
  const at = imageID.lastIndexOf('@');
  const candidate = at >= 0 ? imageID.slice(at + 1) : imageID.replace(/^[a-z-]+:\/\//, '');
  return DIGEST.test(candidate) && candidate.length === 71 ? candidate : undefined;
}

/** Docker Hub's implicit prefixes removed, so `docker.io/library/nginx` equals `nginx`. */
export function normalizeRepository(repository: string): string {
  return repository.replace(/^(docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
}

/**
 * Whether a running container is the expected image: the pulled digest when the expected reference pins
 * one (the only proof of what runs), else the same repository and tag.
 */
export function runsExpectedImage(
  expected: ImageRef,
  container: { readonly image?: string; readonly imageID?: string },
): boolean {
  if (expected.digest) return digestOfImageId(container.imageID) === expected.digest;
  if (!container.image) return false;
  const actual = parseImage(container.image);
  return (
    normalizeRepository(actual.repository) === normalizeRepository(expected.repository) &&
    actual.tag === expected.tag
  );
}

/** Whether two references name the same image (repository and tag, and digest when either pins one). */
export function sameImage(a: ImageRef, b: ImageRef): boolean {
  return (
    normalizeRepository(a.repository) === normalizeRepository(b.repository) &&
    a.tag === b.tag &&
    (a.digest ?? '') === (b.digest ?? '')
  );
}
