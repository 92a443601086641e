// Reading helpers for the AWS policy rules: the rendered ACK objects, their IAM statements and role specs.
import type { K8sObject } from '../charts/k8s-object';

/** One statement of a rendered IAM policy document (loosely typed: rules check what was rendered). */
export interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: { readonly Service?: string | string[]; readonly Federated?: string | string[] };
  readonly Action?: string | string[];
  readonly NotAction?: unknown;
  readonly Resource?: string | string[];
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** A rendered ACK Role's spec. */
export interface RoleSpec {
  readonly name?: string;
  readonly assumeRolePolicyDocument?: string;
  readonly inlinePolicies?: Record<string, string>;
  readonly permissionsBoundary?: string;
}

/** The objects of one ACK kind (by group and kind) among the rendered objects. */
export function ackObjects(objects: readonly K8sObject[], group: string, kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind && o.apiVersion.startsWith(`${group}/`));
}

/** The statements of a policy document given as a JSON string; undefined when it is not one. */
export function statementsOf(json: unknown): Statement[] | undefined {
  if (typeof json !== 'string') return undefined;
  try {
    const doc = JSON.parse(json) as { Statement?: unknown };
    if (Array.isArray(doc.Statement)) return doc.Statement as Statement[];
    return doc.Statement && typeof doc.Statement === 'object' ? [doc.Statement as Statement] : undefined;
  } catch {
    return undefined;
  }
}

/** A string-or-list field as a list. */
export function listOf(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** The spec of an object (an empty object when it has none). */
export function specOf<T>(obj: K8sObject): Partial<T> {
  return (obj.spec ?? {}) as Partial<T>;
}
