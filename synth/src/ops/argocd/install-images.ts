// The container images an upstream `install.yaml` names: every `image` of a container, init container or
// ephemeral container of any object in it, once each, sorted. Pure: takes the file's text.
import { parseAllDocuments } from 'yaml';
import { refused } from '../errors';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** Every image reference `text` names (as written: `host/path:tag` or `…@sha256:…`), sorted and unique. */
export function installImages(text: string, source: string): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    for (const list of CONTAINER_LISTS) {
      const containers = record[list];
      if (!Array.isArray(containers)) continue;
      for (const c of containers) {
        const image = (c as { image?: unknown } | null)?.image;
        if (typeof image === 'string' && image.trim() !== '') found.add(image.trim());
      }
    }
    for (const value of Object.values(record)) visit(value);
  };
  for (const doc of parseAllDocuments(text, { prettyErrors: false })) {
    if (doc.errors.length > 0) {
      throw refused(`${source}: is not valid YAML (${doc.errors[0]?.message.split('\n')[0]})`);
    }
    visit(doc.toJS({ maxAliasCount: -1 }));
  }
  if (found.size === 0) throw refused(`${source}: names no container image; is it Argo CD's install.yaml?`);
  return [...found].sort();
}
