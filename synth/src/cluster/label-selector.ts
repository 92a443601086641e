// Formats a Deployment's label selector as the `labelSelector` query parameter of a list or watch.
import type { V1LabelSelector } from './kube-api';

/**
 * A Deployment's `spec.selector` as the `labelSelector` query parameter of a list or watch:
 * `matchLabels` as `key=value`, `matchExpressions` as `key in (a,b)`, `key notin (a)`, `key`, `!key`.
 */
export function formatLabelSelector(selector: V1LabelSelector | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {}).sort())
    parts.push(`${key}=${value}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else
      throw new Error(
        `label selector operator "${e.operator}" of key "${e.key}" is not one of In, NotIn, Exists, DoesNotExist`,
      );
  }
  return parts.join(',');
}
