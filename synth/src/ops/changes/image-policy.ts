// Checks an image against an environment's image policy (no `latest`, allowed tags, digest when required)
// before anything is edited.
import { formatImage, isPlaceholderDigest, type TaggedImage } from '../../domain/image-ref';
import { refused } from '../errors';

/** The part of an environment an image must satisfy. */
export interface ImagePolicyTarget {
  readonly name: string;
  /** The environment's file as named on disk (`.yaml` or `.yml`). @default `environments/<name>.yaml` */
  readonly file?: string;
  readonly imagePolicy: { readonly allowedTags: string; readonly requireDigest: boolean };
}

/**
 * Checks an image against an environment's policy before anything is edited: never `latest`, the tag matches
 * `imagePolicy.allowedTags`, a digest where `imagePolicy.requireDigest` demands one, and never a placeholder
 * digest. Throws a refusal (exit 1) naming the environment, the value and the rule.
 */
export function checkImagePolicy(env: ImagePolicyTarget, image: TaggedImage): void {
  const where = env.file ?? `environments/${env.name}.yaml`;
  if (image.tag === 'latest') {
    throw refused(
      `${where}: image tag "latest" is never allowed (pin a version; the cluster would never notice a new image)`,
    );
  }
  const allowed = env.imagePolicy.allowedTags;
  if (!new RegExp(allowed).test(image.tag)) {
    throw refused(`${where}: image tag "${image.tag}" does not match imagePolicy.allowedTags /${allowed}/`);
  }
  if (image.digest !== undefined && isPlaceholderDigest(image.digest)) {
    throw refused(
      `${where}: image ${formatImage(image)} has a placeholder digest (all zeros, a repeated pattern or under 8 distinct hex digits), never a real image`,
    );
  }
  if (env.imagePolicy.requireDigest && image.digest === undefined) {
    throw refused(
      `${where}: image ${formatImage(image)} has no digest, but imagePolicy.requireDigest is true (pass --digest sha256:<64 hex>)`,
    );
  }
}
