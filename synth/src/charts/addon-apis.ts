/**
 * Which chart versions of an add-on serve the API versions an environment's render uses, and the check that refuses
 * a cluster entry pinning one that does not (e.g. External Secrets 0.17.0 and later no longer serve
 * `external-secrets.io/v1beta1`: the ExternalSecret would never become a Secret). Facts from the upstream release
 * notes, per API version: the first chart version that serves it, and the first that no longer does.
 */
import type { AddonName, EnvironmentConfig } from '../config';
import type { K8sObject } from './k8s-object';

/** The chart versions `[from, until)` of an add-on that serve one API version. */
interface Served {
  readonly addon: AddonName;
  /** First chart version serving it. @default - every version */
  readonly from?: string;
  /** First chart version no longer serving it. @default - still served */
  readonly until?: string;
}

/** API version (`group/version`) → the add-on serving it and its range. */
export const SERVED_API_VERSIONS: Readonly<Record<string, Served>> = {
  // ESO v0.16.0 added v1 (May 2025); v0.17.0 stopped serving v1beta1.
  'external-secrets.io/v1beta1': { addon: 'externalSecrets', until: '0.17.0' },
  'external-secrets.io/v1': { addon: 'externalSecrets', from: '0.16.0' },
};

function compare(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * One line per rendered API version that the add-on version pinned by the environment's cluster entry does not
 * serve, at the entry's key (`file:line:col addons.<name>: "<version>" ...`).
 */
export function addonApiProblems(env: EnvironmentConfig, objects: readonly K8sObject[]): string[] {
  const entry = env.clusterEntry;
  if (entry === undefined) return [];
  const problems: string[] = [];
  for (const apiVersion of new Set(objects.map((o) => o.apiVersion))) {
    const served = SERVED_API_VERSIONS[apiVersion];
    if (served === undefined) continue;
    const version = entry.addons[served.addon];
    if (version === undefined || version === 'provided') continue;
    const tooOld = served.from !== undefined && compare(version, served.from) < 0;
    const tooNew = served.until !== undefined && compare(version, served.until) >= 0;
    if (!tooOld && !tooNew) continue;
    const range = [served.from && `from ${served.from}`, served.until && `before ${served.until}`]
      .filter(Boolean)
      .join(' and ');
    problems.push(
      `${entry.at(['addons', served.addon])} "${version}" does not serve ${apiVersion}, which ${env.source} renders (served ${range}); pin a version that does`,
    );
  }
  return problems;
}
