// The policy gate: every rule in report order, run on each output folder, with the environment's waivers
// applied.
import type { K8sObject } from '../charts/k8s-object';
import type { EnvironmentConfig } from '../config';
import { awsLeastPrivilege } from './aws-least-privilege';
import { awsOwnResources } from './aws-own-resources';
import { awsRetain } from './aws-retain';
import { awsTrust } from './aws-trust';
import { identityEgress } from './identity-egress';
import { imageDigest, imageTag } from './image';
import { networkPolicy } from './network-policy';
import { noAwsKeys } from './no-aws-keys';
import { podSecurityRestricted } from './pod-security';
import { probes } from './probes';
import { referencedObjects } from './referenced-objects';
import { resources } from './resources';
import { hpa, pdb } from './scaling';
import { selectors } from './selectors';
import { shutdownTiming } from './shutdown-timing';
import { sourceRanges } from './source-ranges';
import { tokensOverHttps } from './tokens-over-https';
import type { Rule, Violation } from './types';

export type { PolicyContext, Rule, Violation } from './types';

/** Every policy rule, in report order. */
export const RULES: readonly Rule[] = [
  podSecurityRestricted,
  probes,
  resources,
  imageTag,
  imageDigest,
  selectors,
  hpa,
  pdb,
  noAwsKeys,
  networkPolicy,
  identityEgress,
  referencedObjects,
  sourceRanges,
  shutdownTiming,
  tokensOverHttps,
  awsLeastPrivilege,
  awsTrust,
  awsRetain,
  awsOwnResources,
];

/** Result of the policy gate for one output folder. */
export interface PolicyResult {
  readonly violations: Violation[];
  /** Violations dropped by a waiver in the environment file. */
  readonly waived: Violation[];
}

/**
 * Runs every rule; waivers of the environment drop the violations of their rule. `others` are the other
 * environments (rules that compare environments, such as aws-own-resources, read them).
 */
export function runPolicy(
  objects: readonly K8sObject[],
  environment?: EnvironmentConfig,
  others: readonly EnvironmentConfig[] = [],
): PolicyResult {
  const all = RULES.flatMap((rule) =>
    rule.check({ objects, ...(environment ? { environment } : {}), ...(others.length > 0 && { others }) }),
  );
  const waivedRules = new Set((environment?.waivers ?? []).map((w) => w.rule));
  return {
    violations: all.filter((v) => !waivedRules.has(v.rule)),
    waived: all.filter((v) => waivedRules.has(v.rule)),
  };
}

/** One line per violation: `<env>: <Kind/name> [<rule>] <message> (change <key> in <file>)`. */
export function formatViolation(v: Violation, outDir: string, source: string): string {
  const fix = v.key
    ? `change ${v.key} in ${source}`
    : `no environment key controls this; fix the construct or add a waiver with a reason in ${source}`;
  return `${outDir}: ${v.object} [${v.rule}] ${v.message} (${fix})`;
}
