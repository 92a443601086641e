/**
 * The add-on versions a cluster entry pins must be the releases whose CRDs synth's schemas were written from
 * (`crd-contracts.ts`): otherwise the schema gate would pass objects that a different release rejects or defaults
 * differently. One line per mismatch, at the entry's key, naming what to do.
 */

import type { K8sObject } from '../charts/k8s-object';
import type { EnvironmentConfig } from '../config';
import { CHECKED_VERSIONS } from './crd-contracts';

type Chart = keyof typeof CHECKED_VERSIONS.charts;

/** API group of a rendered custom kind → the chart whose CRD it was checked at, and the entry key pinning it. */
const PINNED_BY: Readonly<Record<string, { readonly chart: Chart; readonly key: readonly string[] }>> = {
  'external-secrets.io': { chart: 'external-secrets', key: ['addons', 'externalSecrets'] },
  'dynamodb.services.k8s.aws': { chart: 'dynamodb-chart', key: ['addons', 'ack', 'dynamodb'] },
  'iam.services.k8s.aws': { chart: 'iam-chart', key: ['addons', 'ack', 'iam'] },
  'eks.services.k8s.aws': { chart: 'eks-chart', key: ['addons', 'ack', 'eks'] },
  'monitoring.coreos.com': { chart: 'kube-prometheus-stack', key: ['addons', 'prometheusOperator'] },
};

/** The version at a key path of the entry's add-ons, when synth installs it (not `provided` or a capability). */
function pinned(addons: unknown, key: readonly string[]): string | undefined {
  let at: unknown = { addons };
  for (const k of key)
    at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined;
  return typeof at === 'string' && /^[0-9]+\.[0-9]+\.[0-9]+$/.test(at) ? at : undefined;
}

/** One line per add-on the environment's objects depend on whose pinned version differs from the checked one. */
export function contractVersionProblems(env: EnvironmentConfig, objects: readonly K8sObject[]): string[] {
  const entry = env.clusterEntry;
  if (entry === undefined) return [];
  const groups = new Set(objects.map((o) => o.apiVersion.split('/')[0] ?? ''));
  return Object.entries(PINNED_BY).flatMap(([group, { chart, key }]) => {
    const version = groups.has(group) ? pinned(entry.addons, key) : undefined;
    const checked = CHECKED_VERSIONS.charts[chart];
    if (version === undefined || version === checked) return [];
    return [
      `${entry.at(key)} "${version}": synth checks ${group} objects against the CRDs of ${chart} ${checked}; pin ${checked}, or read the CRDs of ${version} and update synth/src/render/crd-contracts.ts and its schema first`,
    ];
  });
}
