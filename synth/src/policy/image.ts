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

/** Where the environment demands it, every image is pinned by digest. */
export const imageDigest: Rule = {
  id: 'image-digest',
  description: 'Images are pinned by sha256 digest when imagePolicy.requireDigest is true',
  check({ objects, environment }) {
    if (!environment?.imagePolicy.requireDigest) return [];
    const out: Violation[] = [];
    for (const pod of podTemplates(objects)) {
      for (const c of containersOf(pod)) {
        const image = c.image ?? '';
        if (!/^sha256:[a-f0-9]{64}$/.test(parseImage(image).digest ?? '')) {
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
