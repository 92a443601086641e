/**
 * A ValidatingAdmissionPolicy (and its binding) for `roles.iam.services.k8s.aws` on each cluster that runs the ACK
 * IAM controller. No IAM condition can constrain what a trust policy says on iam:CreateRole or
 * iam:UpdateAssumeRolePolicy, so the controller's own IAM policy cannot stop a Role object, in any namespace, that
 * trusts another account. This policy stops it in the cluster: a Role's trust document must be byte-for-byte the one
 * synth renders for the namespace it is in (IRSA or Pod Identity, this cluster's identity provider or EKS cluster,
 * the service's own service account), its name `guestlist-*`, its permissions boundary the account's
 * guestlist-service-boundary, and no managed policies attached. CEL cannot parse JSON, so the documents are compared
 * whole, built from the same function that renders them. On an ACK hub, the Roles of the environments it hosts
 * (namespace `<namespace>-aws`) are held to the document synth renders for them on their own cluster.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterEntry, EnvironmentConfig } from '../config';
import { type AwsResources, awsResourcesOf, PERMISSIONS_BOUNDARY_POLICY, partitionOf } from './aws-resources';
import { trustPolicy } from './guestlist-aws';
import { hubNamespace } from './guestlist-hub';

/** Name of the policy on a cluster (one per cluster entry, so their files in dist/argocd/ never clash). */
export function iamRolePolicyName(cluster: ClusterEntry): string {
  return `guestlist-iam-role-trust-${cluster.name}`;
}

/** The files of a cluster's policy and binding in dist/argocd/, as an Argo CD directory include glob. */
export function iamRolePolicyFiles(cluster: ClusterEntry): string {
  const name = iamRolePolicyName(cluster);
  return `{validatingadmissionpolicy-${name}.yaml,validatingadmissionpolicybinding-${name}.yaml}`;
}

/** A CEL string literal (single-quoted; JSON's double quotes need no escape). */
function celString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

// Plain text, so JSON.stringify leaves it as it is (a control character would be escaped).
const MARK = '@@namespace@@';

/** A CEL expression: the trust document synth renders for a Role in `object.metadata.namespace`. */
function trustDocumentExpression(
  cluster: ClusterEntry,
  identity: 'irsa' | 'pod-identity',
  serviceAccount: string,
): string {
  const env = { source: cluster.source, clusterEntry: cluster, aws: { identity } } as EnvironmentConfig;
  const aws = { namespace: MARK, serviceAccount, region: cluster.region } as AwsResources;
  return JSON.stringify(trustPolicy(env, aws))
    .split(MARK)
    .map(celString)
    .join(' + object.metadata.namespace + ');
}

/** Props of the admission policy of one cluster. */
export interface IamRoleAdmissionProps {
  /** The cluster the policy is installed on. */
  readonly cluster: ClusterEntry;
  /** The service account every environment's pods run as (the trust documents name it). */
  readonly serviceAccount: string;
  /**
   * Environments of other clusters whose ACK objects this cluster holds as their hub: a Role in the namespace
   * `<namespace>-aws` must carry exactly the trust document synth renders for that environment on its own cluster,
   * and its account's boundary. @default - none
   */
  readonly hosted?: readonly EnvironmentConfig[];
}

/**
 * `ns == '<a>' ? <for a> : ns == '<b>' ? <for b> : <otherwise>`: per hosted namespace its own expression, the
 * cluster's own rule everywhere else.
 */
function byNamespace(
  hosted: readonly EnvironmentConfig[],
  each: (env: EnvironmentConfig) => string,
  otherwise: string,
): string {
  return hosted.reduceRight(
    (rest, env) => `(object.metadata.namespace == ${celString(hubNamespace(env))} ? ${each(env)} : ${rest})`,
    otherwise,
  );
}

/** The account's boundary policy ARN. */
function boundaryOf(entry: Pick<ClusterEntry, 'accountId' | 'region'>): string {
  return `arn:${partitionOf(entry.region)}:iam::${entry.accountId}:policy/${PERMISSIONS_BOUNDARY_POLICY}`;
}

/** Renders the policy and its binding (Deny) into `scope`. */
export function addIamRoleAdmission(scope: Construct, props: IamRoleAdmissionProps): void {
  const { cluster, serviceAccount } = props;
  const hosted = [...(props.hosted ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
  const name = iamRolePolicyName(cluster);
  const boundary = boundaryOf(cluster);
  const own = (['irsa', 'pod-identity'] as const)
    .map(
      (identity) =>
        `object.spec.assumeRolePolicyDocument == ${trustDocumentExpression(cluster, identity, serviceAccount)}`,
    )
    .join(' || ');
  const trust = byNamespace(
    hosted,
    (env) =>
      `object.spec.assumeRolePolicyDocument == ${celString(JSON.stringify(trustPolicy(env, awsResourcesOf(env, serviceAccount))))}`,
    `(${own})`,
  );
  const boundaryRule = byNamespace(
    hosted,
    (env) => `object.spec.permissionsBoundary == ${celString(boundaryOf(env.clusterEntry ?? cluster))}`,
    `object.spec.permissionsBoundary == ${celString(boundary)}`,
  );
  const hostedNote =
    hosted.length === 0
      ? ''
      : `; in ${hosted.map(hubNamespace).join(', ')} (this cluster is their ACK hub) the one synth renders for that environment on its own cluster`;
  new ApiObject(scope, name, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['iam.services.k8s.aws'],
            apiVersions: ['*'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['roles'],
          },
        ],
      },
      validations: [
        {
          expression: "object.spec.name.startsWith('guestlist-')",
          message: 'the IAM role name must start with guestlist- (the IAM controller may write only those)',
        },
        {
          expression: `has(object.spec.permissionsBoundary) && ${boundaryRule}`,
          message: `the role must carry the permissions boundary ${boundary}${hosted.length === 0 ? '' : ` (in a hub namespace, that of its environment's account)`}`,
        },
        {
          expression: '!has(object.spec.policies) || size(object.spec.policies) == 0',
          message: 'no managed policies: the role gets only its rendered inline policy',
        },
        {
          expression: `has(object.spec.assumeRolePolicyDocument) && ${trust}`,
          message: `the trust policy must be the one synth renders for this namespace's ${serviceAccount} service account on cluster ${cluster.eksClusterName} (account ${cluster.accountId})${hostedNote}: no other account, service or service account`,
        },
      ],
    },
  });
  new ApiObject(scope, `${name}-binding`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: { policyName: name, validationActions: ['Deny'] },
  });
}
