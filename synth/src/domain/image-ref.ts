// The one container image reference of the project: its grammar (the environment schema's patterns), parsing,
// formatting and equality, for environment files, command-line flags, rendered manifests and running pods alike.

/** A container image reference split into its parts. */
export interface ImageRef {
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<64 lowercase hex>` when the reference pins one. */
  readonly digest?: string;
}

/** An image with a tag, as an environment file holds it (the schema requires `image.tag`). */
export type TaggedImage = ImageRef & { readonly tag: string };

/** A repository as environment files write it: lowercase path segments, an optional registry port. */
export const REPOSITORY_PATTERN = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
/** The tag grammar of the OCI distribution spec. */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** A full sha256 digest, never abbreviated. */
export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

/** Parses `repo[:tag][@sha256:…]` as Kubernetes writes it; a `:` inside the registry host (a port) is not a tag. */
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

/** `repo:tag@digest` (the parts that are set): the form of manifests, trailers and messages. */
export function formatImage(ref: ImageRef): string {
  return `${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** A short form for tables: `0.1.0@sha256:0123abcd`. */
export function shortImage(ref: ImageRef): string {
  const digest = ref.digest ? `@${ref.digest.slice(0, 15)}` : '';
  return `${ref.tag ?? ref.repository}${digest}`;
}

/**
 * Docker Hub's implicit parts removed, so `docker.io/library/nginx` equals `nginx`: a container runtime pulls the
 * same image for both (a name without a registry is on docker.io, a one-segment Docker Hub name is in `library/`).
 */
export function normalizeRepository(repository: string): string {
  return repository.replace(/^(docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
}

/**
 * Whether two references name the same image: the same repository (Docker Hub prefixes normalized, as a
 * runtime resolves them), the same tag, and the same digest or none on both sides.
 */
export function sameImage(a: ImageRef, b: ImageRef): boolean {
  return (
    normalizeRepository(a.repository) === normalizeRepository(b.repository) &&
    a.tag === b.tag &&
    (a.digest ?? '') === (b.digest ?? '')
  );
}

/**
 * A digest that is provably made up: a real sha256 looks random (about 16 distinct hex digits), a placeholder
 * repeats a short pattern (`000…0`, `deadbeef…`) or uses only a few digits.
 */
export function isPlaceholderDigest(digest: string): boolean {
  const hex = digest.startsWith('sha256:') ? digest.slice(7) : digest;
  if (new Set(hex).size < 8) return true;
  for (let period = 1; period <= hex.length / 2; period++) {
    if (hex.length % period === 0 && hex.slice(0, period).repeat(hex.length / period) === hex) return true;
  }
  return false;
}

/** What is wrong with a tag, or undefined when it is one. */
export function tagProblem(tag: string): string | undefined {
  return TAG_PATTERN.test(tag)
    ? undefined
    : 'must be an image tag (letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters)';
}

/** What is wrong with a digest given by a person, or undefined: full sha256, lowercase, never a placeholder. */
export function digestProblem(digest: string): string | undefined {
  if (!DIGEST_PATTERN.test(digest)) return 'must be "sha256:" followed by 64 lowercase hex digits';
  if (isPlaceholderDigest(digest)) {
    return 'a placeholder (all zeros, a repeated pattern or under 8 distinct hex digits), never a real image';
  }
  return undefined;
}

/**
 * Parses a reference a person typed: `repository:tag[@sha256:…]`, or just `tag[@sha256:…]` (then `repository` is
 * `defaultRepository`). Strict where {@link parseImage} is lenient: a tag is required and every part must follow
 * its pattern. Otherwise the problem in words and the part it is about (the whole text, the tag or the digest).
 */
export function parseTaggedImage(
  text: string,
  defaultRepository: string,
): { readonly image: TaggedImage } | { readonly problem: string; readonly part: string } {
  const [nameTag = '', digest, ...rest] = text.split('@');
  if (rest.length > 0 || nameTag === '') {
    return { problem: 'must be an image reference <repository>:<tag>[@sha256:<64 hex>]', part: text };
  }
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  let repository = defaultRepository;
  let tag = nameTag;
  if (slash >= 0 || colon >= 0) {
    if (colon <= slash)
      return { problem: 'has no tag (an image reference needs <repository>:<tag>)', part: text };
    repository = nameTag.slice(0, colon);
    tag = nameTag.slice(colon + 1);
    if (!REPOSITORY_PATTERN.test(repository)) {
      return { problem: `repository "${repository}" is not a valid image repository`, part: text };
    }
  }
  const badTag = tagProblem(tag);
  if (badTag) return { problem: badTag, part: tag };
  const badDigest = digest !== undefined ? digestProblem(digest) : undefined;
  if (badDigest) return { problem: badDigest, part: digest as string };
  return { image: { repository, tag, ...(digest !== undefined ? { digest } : {}) } };
}

/**
 * The digest a container actually runs, from `containerStatuses[].imageID`: containerd and CRI-O report
 * `repo@sha256:…`, dockershim `docker-pullable://repo@sha256:…`; anything without a sha256 gives undefined.
 */
export function digestOfImageId(imageID: string | undefined): string | undefined {
  if (!imageID) return undefined;
  const at = imageID.lastIndexOf('@');
  const candidate = at >= 0 ? imageID.slice(at + 1) : imageID.replace(/^[a-z-]+:\/\//, '');
  return DIGEST_PATTERN.test(candidate) ? candidate : undefined;
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
