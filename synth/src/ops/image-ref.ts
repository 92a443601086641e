import { isPlaceholderDigest } from '../policy/image';
import { usageError } from './errors';

/** An image as an environment file holds it. */
export interface ImageRef {
  readonly repository: string;
  readonly tag: string;
  /** `sha256:<64 lowercase hex>`; absent when the environment is not pinned by digest. */
  readonly digest?: string;
}

/** The image tag grammar of the OCI distribution spec (also the schema's rule for `image.tag`). */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** A full sha256 digest, never abbreviated. */
export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
const REPOSITORY_PATTERN = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const ZERO_DIGEST = `sha256:${'0'.repeat(64)}`;

/** `repository:tag[@sha256:…]`, the form used in trailers and messages. */
export function formatImage(image: ImageRef): string {
  return `${image.repository}:${image.tag}${image.digest ? `@${image.digest}` : ''}`;
}

/** True when both references name the same image (repository, tag and digest). */
export function sameImage(a: ImageRef, b: ImageRef): boolean {
  return a.repository === b.repository && a.tag === b.tag && (a.digest ?? '') === (b.digest ?? '');
}

/**
 * True for a made-up digest: all zeros, a repeated pattern or under 8 distinct hex digits (the policy gate's
 * rule, `isPlaceholderDigest`). A real sha256 never looks like that.
 */
export function isPlaceholder(digest: string | undefined): boolean {
  return digest !== undefined && (digest === ZERO_DIGEST || isPlaceholderDigest(digest));
}

/** Checks a tag given on the command line (usage error naming the value and the rule). */
export function checkTag(tag: string, flag = '--tag'): string {
  if (!TAG_PATTERN.test(tag)) {
    throw usageError(
      `${flag} ${JSON.stringify(tag)}: must be an image tag (letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters)`,
    );
  }
  return tag;
}

/** Checks a digest given on the command line: full sha256, lowercase, never a placeholder. */
export function checkDigest(digest: string, flag = '--digest'): string {
  if (!DIGEST_PATTERN.test(digest)) {
    throw usageError(
      `${flag} ${JSON.stringify(digest)}: must be "sha256:" followed by 64 lowercase hex digits`,
    );
  }
  if (isPlaceholder(digest)) {
    throw usageError(
      `${flag} ${JSON.stringify(digest)}: a placeholder (all zeros, a repeated pattern or under 8 distinct hex digits), never a real image`,
    );
  }
  return digest;
}

/**
 * Parses an image reference given on the command line: `repository:tag[@sha256:…]` or just `tag[@sha256:…]`
 * (then `repository` is the environment's). A registry port (`host:5000/x`) is not mistaken for a tag.
 */
export function parseImageRef(text: string, defaultRepository: string, flag = '--to'): ImageRef {
  const [nameTag = '', digest, ...rest] = text.split('@');
  if (rest.length > 0 || nameTag === '') {
    throw usageError(
      `${flag} ${JSON.stringify(text)}: must be an image reference <repository>:<tag>[@sha256:<64 hex>]`,
    );
  }
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  let repository = defaultRepository;
  let tag = nameTag;
  if (slash >= 0 || colon >= 0) {
    if (colon <= slash) {
      throw usageError(
        `${flag} ${JSON.stringify(text)}: has no tag (an image reference needs <repository>:<tag>)`,
      );
    }
    repository = nameTag.slice(0, colon);
    tag = nameTag.slice(colon + 1);
    if (!REPOSITORY_PATTERN.test(repository)) {
      throw usageError(
        `${flag} ${JSON.stringify(text)}: repository "${repository}" is not a valid image repository`,
      );
    }
  }
  checkTag(tag, flag);
  if (digest !== undefined) checkDigest(digest, flag);
  return { repository, tag, ...(digest !== undefined ? { digest } : {}) };
}
