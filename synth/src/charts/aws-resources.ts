// The AWS resources an environment needs (tables, role, IAM actions), derived once from its file and cluster
// entry.
import type { EnvironmentConfig } from '../config';

/**
 * The IAM actions the service needs on each of its tables, and nothing else. They mirror the calls in
 * `service/src/store/dynamo-guest-store.ts` (a TransactWriteItems needs the action of each item it holds:
 * Put -> PutItem, Update -> UpdateItem, Delete -> DeleteItem); `test/e2e/iam-actions.test.ts` runs the service
 * against DynamoDB Local, records every call it makes and fails when these lists differ from them.
 */
export const SERVICE_DYNAMODB_ACTIONS = {
  /** Guests' table: create (transaction Put), get, delete (read, then transaction Delete), list (Scan). */
  guests: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan'],
  /** Guard table: guard Put/Delete and counter Update in the transactions, the count's BatchGetItem. */
  guards: ['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
} as const;

/** Hash key of the guests' table (the old API's) and of the guard table (the service's `guard-keys.ts`). */
export const TABLE_KEYS = { guests: 'seq_num', guards: 'pk' } as const;

/**
 * Name of the managed policy that bounds every role synth renders (made once per AWS account from
 * argocd/ack/iam/guestlist-service-boundary.json). The ACK IAM controller may create and change roles only with
 * this boundary, so even a Role object written by hand, past the policy gate, cannot grant more than it.
 */
export const PERMISSIONS_BOUNDARY_POLICY = 'guestlist-service-boundary';

/** Suffix of the guard table's name (the service's default too; synth still passes it explicitly). */
export const GUARD_TABLE_SUFFIX = '-guards';

/** One DynamoDB table of an environment. */
export interface TableName {
  /** `guests` or `guards`. */
  readonly role: keyof typeof TABLE_KEYS;
  readonly name: string;
  /** Its ARN; undefined when the account is not known (no cluster entry). */
  readonly arn?: string;
}

/** The AWS resources of one environment, derived once from its file and its cluster entry. */
export interface AwsResources {
  readonly region: string;
  /** From the cluster entry, else from `aws.roleArn`. */
  readonly accountId?: string;
  /** The guests' table, then the guard table. */
  readonly tables: readonly [TableName, TableName];
  /** Name of the role synth renders; undefined when `aws.roleArn` names an existing role. */
  readonly renderedRoleName?: string;
  /** ARN of {@link PERMISSIONS_BOUNDARY_POLICY} in the account, for the rendered role. */
  readonly permissionsBoundary?: string;
  /** The role the pods assume: `aws.roleArn`, or the rendered role's ARN. */
  readonly roleArn?: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** IAM partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The AWS resources of `env`, whose pods run as `serviceAccount`. */
export function awsResourcesOf(env: EnvironmentConfig, serviceAccount: string): AwsResources {
  const region = env.dynamodb.region;
  const partition = partitionOf(region);
  const accountId =
    env.clusterEntry?.accountId ?? /^arn:[^:]+:iam::([0-9]{12}):/.exec(env.aws.roleArn ?? '')?.[1];
  const table = (role: TableName['role'], name: string): TableName => ({
    role,
    name,
    ...(accountId && { arn: `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}` }),
  });
  const renderedRoleName = env.aws.roleArn === undefined ? `guestlist-${env.name}` : undefined;
  const roleArn =
    env.aws.roleArn ??
    (accountId && renderedRoleName
      ? `arn:${partition}:iam::${accountId}:role/${renderedRoleName}`
      : undefined);
  return {
    region,
    ...(accountId && { accountId }),
    tables: [
      table('guests', env.dynamodb.table),
      table('guards', `${env.dynamodb.table}${GUARD_TABLE_SUFFIX}`),
    ],
    ...(renderedRoleName && { renderedRoleName }),
    ...(renderedRoleName &&
      accountId && {
        permissionsBoundary: `arn:${partition}:iam::${accountId}:policy/${PERMISSIONS_BOUNDARY_POLICY}`,
      }),
    ...(roleArn && { roleArn }),
    namespace: env.namespace,
    serviceAccount,
  };
}
