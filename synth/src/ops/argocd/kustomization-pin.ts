// Rewrites argocd/install/kustomization.yaml to a pin by commit and digests, as a person would: the install
// URL at the commit (the release tag in the line's comment), and `images:` with a name and a digest per image;
// every comment and every other key kept. Written atomically (a temp file renamed over it), or not at all.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import { readInstallPin } from '../../config/argocd-install';
import { refused } from '../errors';
import { parseYaml } from '../yaml/yaml-edit';

/** The pin to write. */
export interface KustomizationPin {
  /** The install URL at the commit. */
  readonly url: string;
  /** The release tag the commit is (the URL line's comment). */
  readonly tag: string;
  /** Every image install.yaml names, by the name kustomize matches, with its digest. */
  readonly images: readonly { readonly name: string; readonly digest: string }[];
}

/** The comment above `images:` (what owns the list). */
const IMAGES_COMMENT =
  ' Every image upstream install.yaml names, by digest: written by `npm run argocd:pin`.';

/**
 * The kustomization's new text. Refuses (one line) a file that does not hold exactly one remote install.yaml,
 * and a result that would read as anything but the intended data or lose a comment.
 */
export function pinKustomization(text: string, source: string, pin: KustomizationPin): string {
  const read = readInstallPin(text, source);
  if ('problem' in read) throw refused(read.problem);
  const doc = parseYaml(text, source);
  const resources = doc.get('resources', true);
  const node = isSeq(resources)
    ? resources.items.find((item): item is Scalar => isScalar(item) && item.value === read.pin.url)
    : undefined;
  if (!node || !isMap(doc.contents)) throw refused(`${source}: cannot find ${read.pin.url} to rewrite`);
  const replaced = (node.comment ?? '').trim();
  node.value = pin.url;
  node.comment = ` ${pin.tag}`;
  const images = [...pin.images]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((i) => ({ name: i.name, digest: i.digest }));
  const existing = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'images');
  if (existing) {
    existing.value = doc.createNode(images);
  } else {
    const key = doc.createNode('images');
    key.commentBefore = IMAGES_COMMENT;
    doc.contents.items.push(doc.createPair(key, images));
  }
  const result = doc.toString({ lineWidth: 0 });
  // What the file must read as afterwards, computed on the data alone.
  const intended = parseYaml(text, source).toJS() as Record<string, unknown>;
  intended.resources = (intended.resources as unknown[]).map((r) => (r === read.pin.url ? pin.url : r));
  intended.images = images;
  if (!isDeepStrictEqual(parseYaml(result, source).toJS(), intended)) {
    throw refused(`${source}: the rewrite would not read as the intended pin; edit it by hand`);
  }
  // The URL line's own comment (the previous pin's tag) is replaced on purpose.
  const lost = commentsOf(text).filter((c) => c !== replaced && !commentsOf(result).includes(c));
  if (lost.length > 0)
    throw refused(`${source}: the rewrite would lose the comment ${JSON.stringify(lost[0])}`);
  return result;
}

/** The text of every comment (`# …` on its own line or after a value), trimmed. */
function commentsOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => /(?:^|\s)#(.*)$/.exec(line)?.[1]?.trim())
    .filter((c): c is string => c !== undefined && c !== '');
}

/**
 * Writes `text` to `path` atomically: a temp file beside it, renamed over it (a reader sees the old file or the
 * new one, never a part). The temp file is removed when anything fails.
 */
export function writeAtomically(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
