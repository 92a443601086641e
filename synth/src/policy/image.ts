// Policy rules `image-tag` and `image-digest`: images have an allowed, explicit tag (never `latest`) and a
// digest where required.
import { DIGEST_PATTERN, isPlaceholderDigest, parseImage } from '../domain/image-ref';
import { containersOf, podTemplates } from './pods';
import { type Rule, ref, type Violation } from './types';

/** Images carry an explicit tag, never `latest`, and match the environment's allowed tag pattern. */
export const imageTag: Rule = {
  id: 'image-tag',
  description: 'Images have an explicit tag that is not "latest" and matches imagePolicy.allowedTags',
  check({ objects, environment }) {
    const out: Violation[] = [];
    const allowed = environment ? new RegExp(environment.imagePolicy.allowedTags) : undefined;
    for (const pod of podTemplates(objects)) {
      for (const c of containersOf(pod)) {
        const image = c.image ?? '';
        const { tag } = parseImage(image);
        const add = (message: string) =>
          out.push({ rule: 'image-tag', object: ref(pod.owner), message, key: 'image.tag' });
        if (tag === undefined) add(`container "${c.name}" image "${image}" has no tag`);
        else if (tag === 'latest') add(`container "${c.name}" image "${image}" uses the tag "latest"`);
        else if (allowed && !allowed.test(tag)) {
          add(
            `container "${c.name}" image tag "${tag}" does not match imagePolicy.allowedTags /${allowed.source}/`,
          );
        }
      }
    }
    return out;
  },
};

/** Where the environment demands it, every image is pinned by digest. */
export const imageDigest: Rule = {
  id: 'image-digest',
  description:
    'Images are pinned by sha256 digest when imagePolicy.requireDigest is true; no placeholder digest in a protected or digest-pinned environment',
  check({ objects, environment }) {
    if (!environment) return [];
    // Prod-like: a protected environment or one that demands digests; there a placeholder would deploy nothing.
    const prodLike = environment.protected || environment.imagePolicy.requireDigest;
    const out: Violation[] = [];
    for (const pod of podTemplates(objects)) {
      for (const c of containersOf(pod)) {
        const image = c.image ?? '';
        const digest = parseImage(image).digest;
        if (prodLike && digest !== undefined && isPlaceholderDigest(digest)) {
          out.push({
            rule: 'image-digest',
            object: ref(pod.owner),
            message: `container "${c.name}" image digest "${digest}" is a placeholder (a repeated pattern or under 8 distinct hex digits), not an image`,
            key: 'image.digest',
          });
        } else if (environment.imagePolicy.requireDigest && !DIGEST_PATTERN.test(digest ?? '')) {
          out.push({
            rule: 'image-digest',
            object: ref(pod.owner),
            message: `container "${c.name}" image "${image}" is not pinned by digest, but imagePolicy.requireDigest is true`,
            key: 'image.digest',
          });
        }
      }
    }
    return out;
  },
};
