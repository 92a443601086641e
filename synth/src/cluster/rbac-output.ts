// `status --rbac <subject>`: which reads to grant, from the environments' targets; the chart and its gates are
// the render pipeline's (render/reader-rbac.ts).
import type { RbacSubject } from '../constructs/cluster-reader-rbac';
import { usageError } from '../errors';
import { renderReaderRbac as renderChart } from '../render/reader-rbac';
import type { EnvironmentTarget } from './targets';

/** Parses `--rbac group:<name>`, `user:<name>` or `serviceaccount:<namespace>/<name>`. */
export function parseSubject(text: string): RbacSubject {
  const m = /^(group|user|serviceaccount):(.+)$/i.exec(text);
  const kind = m?.[1]?.toLowerCase();
  const name = m?.[2] ?? '';
  if (kind === 'group') return { kind: 'Group', name };
  if (kind === 'user') return { kind: 'User', name };
  const sa = /^([a-z0-9-]+)\/([a-z0-9.-]+)$/.exec(name);
  if (kind === 'serviceaccount' && sa)
    return { kind: 'ServiceAccount', namespace: sa[1] as string, name: sa[2] as string };
  throw usageError(`--rbac "${text}" must be group:<name>, user:<name> or serviceaccount:<namespace>/<name>`);
}

/**
 * The read-only RBAC that status and verify need for these environments, as YAML for `kubectl apply -f -`:
 * a Role and RoleBinding in Argo CD's namespace and in each environment's namespace.
 */
export function renderReaderRbac(
  targets: readonly EnvironmentTarget[],
  subjects: readonly RbacSubject[],
): string {
  const usable = targets.filter((t) => t.application && t.deployment);
  const argocd = [...new Set(usable.map((t) => t.application?.namespace as string))];
  const grants = argocd.map((namespace) => {
    const here = usable.filter((t) => t.application?.namespace === namespace);
    return {
      argocdNamespace: namespace,
      applications: here.map((t) => t.application?.name as string),
      namespaces: [...new Set(here.map((t) => t.deployment?.namespace as string))],
      deployments: [...new Set(here.map((t) => t.deployment?.name as string))],
    };
  });
  return renderChart({ grants, subjects });
}
