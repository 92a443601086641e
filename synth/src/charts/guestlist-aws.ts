// Adds an environment's AWS resources as ACK objects (tables, IAM role and policies, Pod Identity
// association), ordered by Argo CD sync waves.
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { DynamoDbTable } from '../constructs/dynamodb-table';
import { IamRole, type PolicyDocument } from '../constructs/iam-role';
import { PodIdentityAssociation } from '../constructs/pod-identity-association';
import {
  type AwsResources,
  awsResourcesOf,
  partitionOf,
  SERVICE_DYNAMODB_ACTIONS,
  TABLE_KEYS,
} from './aws-resources';

/**
 * Argo CD sync waves: the Namespace first, then the tables and the role, then the Pod Identity association, then
 * everything else (wave 0). Argo CD waits until a wave is healthy (for the ACK kinds: `ACK.ResourceSynced`, see
 * argocd/install/argocd-cm.yaml) before it applies the next, so the Deployment never rolls out before its table
 * and role exist.
 */
export const SYNC_WAVES = { namespace: -3, tablesAndRole: -2, association: -1 } as const;

/** The service's permissions: exactly its DynamoDB actions, each on exactly its own table. */
export function permissionPolicy(aws: AwsResources): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: aws.tables.map((t) => ({
      Sid: t.role === 'guests' ? 'GuestsTable' : 'GuardTable',
      Effect: 'Allow' as const,
      Action: [...SERVICE_DYNAMODB_ACTIONS[t.role]],
      Resource: t.arn as string,
    })),
  };
}

/** Who may assume the role: this namespace's service account and nobody else, in the identity mode's way. */
export function trustPolicy(env: EnvironmentConfig, aws: AwsResources): PolicyDocument {
  const cluster = env.clusterEntry;
  if (cluster === undefined) throw new Error(`${env.source}: a rendered role needs aws.cluster`);
  if (env.aws.identity === 'pod-identity') {
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'EksPodIdentity',
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:RequestTag/eks-cluster-name': cluster.eksClusterName,
              'aws:RequestTag/kubernetes-namespace': aws.namespace,
              'aws:RequestTag/kubernetes-service-account': aws.serviceAccount,
            },
          },
        },
      ],
    };
  }
  const partition = partitionOf(aws.region);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Irsa',
        Effect: 'Allow',
        Principal: {
          Federated: `arn:${partition}:iam::${cluster.accountId}:oidc-provider/${cluster.oidcProvider}`,
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${cluster.oidcProvider}:aud`]: 'sts.amazonaws.com',
            [`${cluster.oidcProvider}:sub`]: `system:serviceaccount:${aws.namespace}:${aws.serviceAccount}`,
          },
        },
      },
    ],
  };
}

/**
 * Renders the environment's AWS resources as ACK objects: both tables; the role, when `aws.roleArn` does not name
 * an existing one; the Pod Identity association, in pod-identity mode. Returns what was derived.
 */
export function addAwsResources(
  scope: Construct,
  env: EnvironmentConfig,
  serviceAccount: string,
): AwsResources {
  const aws = awsResourcesOf(env, serviceAccount);
  const tags = { app: 'guestlist', environment: env.name, 'managed-by': 'argocd-ack' };
  for (const t of aws.tables) {
    new DynamoDbTable(scope, `table-${t.role}`, {
      name: t.role === 'guests' ? 'guestlist' : 'guestlist-guards',
      tableName: t.name,
      hashKey: TABLE_KEYS[t.role],
      region: aws.region,
      retain: env.protected,
      deletionProtection: env.protected,
      adopt: env.dynamodb.adopt,
      tags,
      syncWave: SYNC_WAVES.tablesAndRole,
    });
  }
  if (aws.renderedRoleName !== undefined) {
    new IamRole(scope, 'role', {
      name: 'guestlist',
      roleName: aws.renderedRoleName,
      description: `guestlist service in ${env.name} (${aws.namespace}/${serviceAccount}); rendered by synth`,
      trustPolicy: trustPolicy(env, aws),
      ...(aws.permissionsBoundary && { permissionsBoundary: aws.permissionsBoundary }),
      inlinePolicies: { 'guestlist-dynamodb': permissionPolicy(aws) },
      retain: env.protected,
      tags,
      syncWave: SYNC_WAVES.tablesAndRole,
    });
  }
  if (env.aws.identity === 'pod-identity' && env.clusterEntry && aws.roleArn) {
    new PodIdentityAssociation(scope, 'pod-identity', {
      name: 'guestlist',
      clusterName: env.clusterEntry.eksClusterName,
      namespace: aws.namespace,
      serviceAccount,
      roleArn: aws.roleArn,
      retain: env.protected,
      tags,
      syncWave: SYNC_WAVES.association,
    });
  }
  return aws;
}
