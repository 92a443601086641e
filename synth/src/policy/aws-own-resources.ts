// Policy rule `aws-own-resources`: an environment's objects name only its own tables and role, never another
// environment's.
import { type AwsResources, awsResourcesOf } from '../charts/aws-resources';
import type { K8sObject } from '../charts/k8s-object';
import type { EnvironmentConfig } from '../config';
import { ackObjects, listOf, type RoleSpec, specOf, statementsOf } from './aws-objects';
import { type Rule, ref, type Violation } from './types';

type Kind = 'table' | 'role';
interface Reference {
  readonly object: K8sObject;
  readonly kind: Kind;
  /** A table name or a role ARN. */
  readonly value: string;
  readonly where: string;
}

const KEYS: Record<Kind, string> = { table: 'dynamodb.table', role: 'aws.roleArn' };

/** Every table and role the objects name: ACK specs, the service's env, policy resources, role ARNs. */
function referencesOf(objects: readonly K8sObject[]): Reference[] {
  const refs: Reference[] = [];
  const add = (object: K8sObject, kind: Kind, value: unknown, where: string) => {
    if (typeof value === 'string' && value !== '') refs.push({ object, kind, value, where });
  };
  for (const t of ackObjects(objects, 'dynamodb.services.k8s.aws', 'Table'))
    add(t, 'table', specOf<{ tableName: string }>(t).tableName, 'spec.tableName');
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
    const data = (cm.data ?? {}) as Record<string, string>;
    for (const key of ['DDB_TABLE', 'DDB_GUARD_TABLE']) add(cm, 'table', data[key], `data.${key}`);
  }
  for (const sa of objects.filter((o) => o.kind === 'ServiceAccount')) {
    const annotations = (sa.metadata.annotations ?? {}) as Record<string, string>;
    add(sa, 'role', annotations['eks.amazonaws.com/role-arn'], 'the eks.amazonaws.com/role-arn annotation');
  }
  for (const a of ackObjects(objects, 'eks.services.k8s.aws', 'PodIdentityAssociation'))
    add(a, 'role', specOf<{ roleARN: string }>(a).roleARN, 'spec.roleARN');
  for (const role of ackObjects(objects, 'iam.services.k8s.aws', 'Role')) {
    add(role, 'role', specOf<RoleSpec>(role).name, 'spec.name');
    for (const [name, json] of Object.entries(specOf<RoleSpec>(role).inlinePolicies ?? {})) {
      for (const s of statementsOf(json) ?? []) {
        for (const arn of listOf(s.Resource)) {
          const table = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)/.exec(arn)?.[1];
          add(role, 'table', table ?? arn, `inline policy "${name}" Resource`);
        }
      }
    }
  }
  return refs;
}

interface Owned {
  readonly env: EnvironmentConfig;
  readonly resources: AwsResources;
}

// One index per list of environments (a render passes the same, unchanged list for every environment).
const INDEXES = new WeakMap<readonly EnvironmentConfig[], Map<string, Owned[]>>();

/** `table <name>`, `role <arn>` and `role-name <name>` → the environments that own it, in file order. */
function ownersIndex(others: readonly EnvironmentConfig[], sa: string): Map<string, Owned[]> {
  const cached = INDEXES.get(others);
  if (cached !== undefined) return cached;
  const index = new Map<string, Owned[]>();
  for (const env of others) {
    const owned: Owned = { env, resources: awsResourcesOf(env, sa) };
    const add = (key: string) => {
      const list = index.get(key);
      if (list === undefined) index.set(key, [owned]);
      else list.push(owned);
    };
    for (const t of owned.resources.tables) add(`table ${t.name}`);
    if (owned.resources.roleArn) add(`role ${owned.resources.roleArn}`);
    if (owned.resources.renderedRoleName) add(`role-name ${owned.resources.renderedRoleName}`);
  }
  INDEXES.set(others, index);
  return index;
}

/** Whether two environments may share names: same account (or an account that is not known). */
function sameAccount(a: AwsResources, b: AwsResources): boolean {
  return a.accountId === undefined || b.accountId === undefined || a.accountId === b.accountId;
}

/**
 * An environment's objects name only its own tables and role; naming another environment's (same account) is
 * refused outright, so no environment can read or write another one's data.
 */
export const awsOwnResources: Rule = {
  id: 'aws-own-resources',
  description:
    "An environment's objects name only its own DynamoDB tables and IAM role, never another environment's",
  check({ objects, environment, others = [] }) {
    const refs = referencesOf(objects);
    if (!environment || refs.length === 0) return [];
    const sa = 'guestlist';
    const own = awsResourcesOf(environment, sa);
    const mine: Record<Kind, Set<string>> = {
      table: new Set(own.tables.map((t) => t.name)),
      role: new Set(own.roleArn ? [own.roleArn] : []),
    };
    // The role object names the role by name; the rest by ARN.
    const roleName = (arn: string) => arn.replace(/^arn:[^:]+:iam::[0-9]{12}:role\/(.*\/)?/, '');
    // The last other environment (in file order) of the same account that owns the name, as before; the
    // index of every environment's names is built once per render, so N environments cost O(N), not O(N²).
    const index = ownersIndex(others, sa);
    const ownerOf = (key: string): EnvironmentConfig | undefined =>
      (index.get(key) ?? []).findLast((o) => o.env.name !== environment.name && sameAccount(own, o.resources))
        ?.env;
    const out: Violation[] = [];
    for (const r of refs) {
      const byName = r.object.kind === 'Role' && r.where === 'spec.name';
      const owner = ownerOf(byName ? `role-name ${r.value}` : `${r.kind} ${r.value}`);
      const label = `${r.kind} "${r.value}" (${r.where})`;
      if (owner) {
        out.push({
          rule: 'aws-own-resources',
          object: ref(r.object),
          message: `names ${label}, which belongs to environment ${owner.name} (${owner.source}); an environment uses only its own tables and role`,
          key: KEYS[r.kind],
        });
      } else if (!mine[r.kind].has(r.value) && !(byName && own.renderedRoleName === r.value)) {
        const list = [...mine[r.kind]].map((v) => (r.kind === 'role' ? roleName(v) : v)).join(', ') || 'none';
        out.push({
          rule: 'aws-own-resources',
          object: ref(r.object),
          message: `names ${label}, which is not one of this environment's (${list})`,
          key: KEYS[r.kind],
        });
      }
    }
    return out;
  },
};
