import { containersOf, podTemplates } from './pods';
import { type Rule, ref, type Violation } from './types';

/** Splits `repo[:tag][@digest]` (a registry port is not a tag). */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
  const [nameTag = '', digest] = image.split('@', 2);
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    repository: hasTag ? nameTag.slice(0, colon) : nameTag,
    ...(hasTag ? { tag: nameTag.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

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

/**
 * A digest the policy can prove is made up: a real sha256 looks random (about 16 distinct hex digits), a
 * placeholder repeats a short pattern (`000…0`, `deadbeef…`) or uses only a few digits.
 */
export function isPlaceholderDigest(digest: string): boolean {
  const hex = digest.startsWith('sha256:') ? digest.slice(7) : digest;
  if (new Set(hex).size < 8) return true;
  for (let period = 1; period <= hex.length / 2; period++) {
    if (hex.length % period === 0 && hex.slice(0, period).repeat(hex.length / period) === hex) return true;
  }
  return false;
}

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
        } else if (environment.imagePolicy.requireDigest && !/^sha256:[a-f0-9]{64}$/.test(digest ?? '')) {
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
