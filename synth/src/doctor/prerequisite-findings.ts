// What one environment needs from its cluster and its AWS account (docs/production.md's prerequisites, the
// add-ons its cluster entry leaves unspecified, its ACK hub and the role the hub assumes, and the AWS objects it
// names), each with the command that checks it. Pure: the caller passes the rendered objects, positions and the cluster's add-on facts.
import type { K8sObject } from '../charts';
import {
  capabilityRoleArn,
  crossAccount,
  HUB_ACCESS_ROLE,
  hubAccessRoleArn,
  hubFolder,
  hubNamespace,
  managedAckHub,
} from '../charts/guestlist-hub';
import { prerequisitesOf } from '../charts/prerequisites';
import type { EnvironmentConfig } from '../config';
import { ADD_ON_KEYS, addOnIdOf, type ClusterAddOns } from './cluster-add-ons';
import type { LineOf } from './environment-samples';
import { registryHost } from './environment-samples';
import type { Finding } from './finding';
import {
  type CheckTarget,
  kubeconfigCommand,
  prerequisiteCheck,
  remoteSecretKeys,
  secretStoreCheck,
  WHY_NEEDED,
} from './prerequisite-checks';
import { sampleAccountId, sampleHost, sampleUuid } from './sample-values';

/** The region of an environment's cluster: from the OIDC issuer of its entry, else its tables' region. */
export function clusterRegion(env: EnvironmentConfig): string {
  return /^oidc\.eks\.([^.]+)\./.exec(env.clusterEntry?.oidcProvider ?? '')?.[1] ?? env.dynamodb.region;
}

/** Every prerequisite and add-on finding of one environment. */
export function prerequisiteFindings(
  env: EnvironmentConfig,
  objects: readonly K8sObject[],
  lineOf: LineOf,
  addOns: ClusterAddOns,
): Finding[] {
  const entry = env.clusterEntry;
  const region = clusterRegion(env);
  const target: CheckTarget = {
    ...(entry && { context: entry.name, eksClusterName: entry.eksClusterName }),
    region,
    namespace: env.namespace,
    objects,
  };
  // Cluster-wide checks point at the cluster entry (the cluster that must run it), else at the destination.
  const clusterFile = entry?.source ?? env.source;
  const clusterLine =
    (entry ? lineOf(entry.source, ['eksClusterName']) : lineOf(env.source, ['cluster'])) ?? 1;
  const environments = [env.name];
  const out: Finding[] = [];
  const check = (f: Omit<Finding, 'severity' | 'rule' | 'environments'>) =>
    out.push({ severity: 'check', rule: 'prerequisite', environments, ...f });

  if (entry) {
    check({
      file: entry.source,
      line: clusterLine,
      key: 'eksClusterName',
      value: entry.eksClusterName,
      why: `every check below runs against this cluster; it must exist in account ${entry.accountId}, region ${region}`,
      fix: `expect arn:aws:eks:${region}:${entry.accountId}:cluster/${entry.eksClusterName}; then \`${kubeconfigCommand(entry.name, entry.eksClusterName, region)}\` adds the context "${entry.name}" the kubectl checks use`,
      command: `aws eks describe-cluster --region ${region} --name ${entry.eksClusterName} --query cluster.arn --output text`,
    });
  }

  for (const component of prerequisitesOf(objects, env).components) {
    const id = addOnIdOf(component);
    const provision = id === undefined ? { by: 'outside' as const } : addOns.provision(id);
    const run = prerequisiteCheck(component, target);
    if (addOns.modelled && provision.by === 'unspecified' && id !== undefined) {
      out.push({
        severity: 'breaks',
        rule: 'add-on-unspecified',
        file: clusterFile,
        line: clusterLine,
        key: ADD_ON_KEYS[id] ?? id,
        value: '',
        why: `${component} is needed (${WHY_NEEDED[component] ?? 'the render uses it'}) and the cluster entry says neither its version nor that AWS provides it, so nothing installs it`,
        fix: `set ${ADD_ON_KEYS[id] ?? id} in ${clusterFile}: a chart version synth installs, or "provided" when something else installs it`,
        ...(run && { command: run.command }),
        environments,
      });
      continue;
    }
    const how =
      provision.by === 'pinned'
        ? `pinned at ${provision.version}`
        : provision.by === 'managed'
          ? `provided by ${provision.what}`
          : 'installed outside this repository';
    check({
      file: clusterFile,
      line: clusterLine,
      key: component,
      value: how,
      why: WHY_NEEDED[component] ?? 'the render uses it',
      fix: run
        ? `expect: ${run.expect}; see docs/production.md, "Cluster prerequisites"`
        : 'see docs/production.md',
      ...(run && { command: run.command }),
    });
  }

  if (entry && env.aws.identity === 'irsa') {
    check({
      file: entry.source,
      line: lineOf(entry.source, ['oidcProvider']) ?? 1,
      key: 'IAM OIDC provider',
      value: entry.oidcProvider,
      why: 'with aws.identity irsa, STS trusts the ServiceAccount token only through this provider in the account',
      fix: "expect the provider's URL; create it with `eksctl utils associate-iam-oidc-provider` or in IAM",
      command: `aws iam get-open-id-connect-provider --open-id-connect-provider-arn arn:aws:iam::${entry.accountId}:oidc-provider/${entry.oidcProvider} --query Url --output text`,
    });
  }

  const hub = env.ackHub;
  if (entry && hub) {
    const hubLine = lineOf(entry.source, ['addons', 'ack', 'hub']) ?? clusterLine;
    const managed = managedAckHub(hub);
    check({
      file: entry.source,
      line: hubLine,
      key: 'addons.ack.hub',
      value: hub.name,
      why: `${env.name}'s tables, role and association are ACK objects on hub cluster ${hub.eksClusterName} (namespace ${hubNamespace(env)}, dist/${hubFolder(env)}/), synced by the Application guestlist-${hubFolder(env)}`,
      fix: `expect the ${managed ? 'four CRDs (the managed ACK serves them, IAMRoleSelector included)' : 'three CRDs'} on the hub; \`${kubeconfigCommand(hub.name, hub.eksClusterName, hub.region)}\` adds the context "${hub.name}" this check uses; see docs/production.md, "One ACK hub for several accounts"`,
      command: `kubectl --context ${hub.name} get crd tables.dynamodb.services.k8s.aws roles.iam.services.k8s.aws podidentityassociations.eks.services.k8s.aws${managed ? ' iamroleselectors.services.k8s.aws' : ''}`,
    });
    if (crossAccount(entry, hub)) {
      // Self-managed hub: CARM's map names the role and the three controller roles assume it. Managed hub: the
      // IAMRoleSelector <namespace>-aws names it and the capability role assumes it, with session tags.
      const principal = managed
        ? `${capabilityRoleArn(hub)} with sts:AssumeRole and sts:TagSession (argocd/ack/iam/hub-access-trust-capability.json`
        : `arn:aws:iam::${hub.accountId}:role/ack-{dynamodb,iam,eks}-controller only (argocd/ack/iam/hub-access-trust.json`;
      check({
        file: entry.source,
        line: hubLine,
        key: HUB_ACCESS_ROLE,
        value: hubAccessRoleArn(entry),
        why: managed
          ? `the managed ACK of hub ${hub.name} (account ${hub.accountId}) acts in account ${entry.accountId} for namespace ${hubNamespace(env)} by assuming this role, which the IAMRoleSelector ${hubNamespace(env)} names`
          : `the hub's ACK controllers (account ${hub.accountId}) act in account ${entry.accountId} by assuming this role, which the account map ack-role-account-map names (CARM)`,
        fix: `run with credentials of account ${entry.accountId}; expect a trust policy naming ${principal}, docs/aws-resources.md)`,
        command: `aws iam get-role --role-name ${HUB_ACCESS_ROLE} --query Role.AssumeRolePolicyDocument --output json`,
      });
    }
  }

  const store = secretStoreCheck(target);
  const authLine = lineOf(env.source, ['auth', 'required']) ?? 1;
  if (store) {
    check({
      file: env.source,
      line: authLine,
      key: 'auth.tokens.secretStore',
      value: env.auth.tokens.secretStore,
      why: 'the ExternalSecret reads the tokens through this ClusterSecretStore; without it the Secret is never made and the pods never start',
      fix: `expect: ${store.expect}`,
      command: store.command,
    });
  }
  for (const key of remoteSecretKeys(target)) {
    check({
      file: env.source,
      line: authLine,
      key: 'auth.tokens.secretsManagerKey',
      value: key,
      why: 'the tokens file the service reads comes from this Secrets Manager secret',
      fix: `expect the name ${key}; create it with aws secretsmanager create-secret --region ${env.dynamodb.region} --name ${key} --secret-string file://tokens.txt`,
      command: `aws secretsmanager describe-secret --region ${env.dynamodb.region} --secret-id ${key} --query Name --output text`,
    });
  }

  const certificate = env.ingress.enabled ? env.ingress.certificateArn : undefined;
  const certId = /certificate\/(.+)$/.exec(certificate ?? '')?.[1] ?? '';
  const certAccount = /:acm:[^:]*:([0-9]{12}):/.exec(certificate ?? '')?.[1] ?? '';
  if (certificate && !sampleUuid(certId) && !sampleAccountId(certAccount)) {
    check({
      file: env.source,
      line: lineOf(env.source, ['ingress', 'certificateArn']) ?? 1,
      key: 'ingress.certificateArn',
      value: certificate,
      why: 'the HTTPS listener needs an issued certificate in the region of the load balancer',
      fix: `expect ISSUED, and the ARN's region ${region}`,
      command: `aws acm describe-certificate --certificate-arn ${certificate} --query Certificate.Status --output text`,
    });
  }

  const imageCheck = imageExistsCommand(env);
  if (imageCheck) {
    const own = lineOf(env.source, ['image', 'digest']) ?? lineOf(env.source, ['image', 'tag']);
    check({
      file: env.source,
      line: own ?? 1,
      key: env.image.digest ? 'image.digest' : 'image.tag',
      value: env.image.digest ?? env.image.tag,
      why: 'the Deployment pulls exactly this image; a committed sample digest or an unpushed tag never starts',
      fix: 'expect the image to be listed; until CI has built one, the first `npm run bump`/`promote` sets it',
      command: imageCheck,
    });
  }
  return out;
}

/** The command that shows whether the environment's image exists in its registry (none for a sample registry). */
function imageExistsCommand(env: EnvironmentConfig): string | undefined {
  const host = registryHost(env.image.repository);
  if (host !== undefined && sampleHost(host) !== undefined) return undefined;
  const ecr = /^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host ?? '');
  if (ecr) {
    if (sampleAccountId(ecr[1] ?? '')) return undefined;
    const name = env.image.repository.slice((host ?? '').length + 1);
    const id = env.image.digest ? `imageDigest=${env.image.digest}` : `imageTag=${env.image.tag}`;
    return `aws ecr describe-images --region ${ecr[2]} --registry-id ${ecr[1]} --repository-name ${name} --image-ids ${id} --query 'imageDetails[0].imageTags' --output text`;
  }
  const ref = `${env.image.repository}${env.image.digest ? `@${env.image.digest}` : `:${env.image.tag}`}`;
  return `docker buildx imagetools inspect ${ref}`;
}
