// The policy gate's types: a rule, what it sees and the violations it reports.
import type { K8sObject } from '../charts/k8s-object';
import type { EnvironmentConfig, RuleId } from '../config';

/** One broken rule on one object. */
export interface Violation {
  readonly rule: RuleId;
  /** `Kind/name` of the object. */
  readonly object: string;
  readonly message: string;
  /** Environment-file key to change; undefined when only construct code (or a waiver) can fix it. */
  readonly key?: string;
}

/** What a rule sees: every object of one output folder and, for environment charts, the environment. */
export interface PolicyContext {
  readonly objects: readonly K8sObject[];
  readonly environment?: EnvironmentConfig;
  /** Every other environment (for rules that compare environments). @default [] */
  readonly others?: readonly EnvironmentConfig[];
}

/** A named render-time rule. */
export interface Rule {
  readonly id: RuleId;
  /** One line: what the rule demands and why. */
  readonly description: string;
  check(context: PolicyContext): Violation[];
}

/** `Kind/name` of an object. */
export function ref(obj: K8sObject): string {
  return `${obj.kind}/${obj.metadata.name}`;
}
