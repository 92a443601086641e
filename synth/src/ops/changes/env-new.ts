// Plans `env new <name> --from <env>`: a new environment file copied from another, with its own name,
// namespace, table and host.
import { isMap, isScalar } from 'yaml';
import { formatImage } from '../../domain/image-ref';
import { refused } from '../errors';
import { commitMessage } from '../git/trailers';
import { parseYaml } from '../yaml/yaml-edit';
import type { AlreadyPlan, ChangePlan, Snapshot } from './apply';
import { fileOf, requireEnv } from './plan-helpers';

/** Keys a new environment must not inherit: they name the source's own resources or its place in the chain. */
const NOT_INHERITED = [['namespace'], ['dynamodb', 'table'], ['promotion'], ['pin'], ['protected']] as const;

/**
 * Plans `env new <name> --from <env>`: a new `environments/<name>.yaml` with the source's settings and image,
 * but its own name, namespace and table (the defaults derived from the name), no place in the promotion
 * chain, no pin, not protected, and an ingress host of its own. Rendering it adds `dist/<name>/` and its
 * Argo CD Application; the project already allows `guestlist-*` on the source's cluster, so Argo CD deploys
 * it with no other edit (argocd/README.md).
 */
export function planEnvNew(
  name: string,
  fromName: string,
  { texts, envs }: Snapshot,
  extension = 'yaml',
): ChangePlan | AlreadyPlan {
  const from = requireEnv(envs, fromName, 'source environment');
  const existing = envs.get(name);
  if (existing) throw refused(`${existing.file} already exists; pick another name`);
  const source = texts.get(fileOf(from)) as string;
  const doc = parseYaml(source, from.file);
  doc.set('name', name);
  for (const path of NOT_INHERITED) if (doc.hasIn(path)) doc.deleteIn(path);
  const dynamodb = doc.get('dynamodb', true);
  if (isMap(dynamodb) && dynamodb.items.length === 0) doc.delete('dynamodb');
  const host = doc.getIn(['ingress', 'host'], true);
  if (isScalar(host) && typeof host.value === 'string') host.value = hostFor(host.value, from.name, name);
  // The header comment belongs to the source (yaml attaches it to the document, the map or its first key).
  const map = isMap(doc.contents) ? doc.contents : undefined;
  const firstKey = map?.items[0]?.key as { commentBefore?: string | null } | undefined;
  const header = [doc.commentBefore, map?.commentBefore, firstKey?.commentBefore].filter(Boolean).join('\n');
  const schemaLine = header.split('\n').find((l) => l.includes('yaml-language-server'));
  doc.commentBefore = null;
  if (map) map.commentBefore = null;
  if (firstKey) firstKey.commentBefore = null;
  const comment = [
    ...(schemaLine ? [schemaLine] : []),
    ` Environment "${name}", created from ${from.name} by \`npm run env -- new ${name} --from ${from.name}\`.`,
  ].join('\n');
  if (firstKey) firstKey.commentBefore = comment;
  else doc.commentBefore = comment;
  const file = `${name}.${extension}`;
  const text = doc.toString({ lineWidth: 0 });
  return {
    kind: 'change',
    files: new Map([[file, text]]),
    message: commitMessage(
      `${name}: new environment from ${from.name}`,
      [`Create environment ${name} from ${from.name}.`],
      {
        environment: name,
        action: 'env-new',
        image: formatImage(from.image),
        ...(from.image.digest ? { digest: from.image.digest } : {}),
        source: from.name,
      },
    ),
    summary: `${name}: created from ${from.name} at ${formatImage(from.image)}`,
  };
}

/** The source's host with the source's name label replaced by the new name (or the new name prefixed). */
export function hostFor(host: string, from: string, name: string): string {
  const labels = host.split('.');
  const at = labels.indexOf(from);
  if (at >= 0) labels[at] = name;
  else labels.unshift(name);
  return labels.join('.');
}
