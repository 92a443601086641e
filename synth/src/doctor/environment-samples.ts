// Sample values in one loaded environment and the cluster entry it names: account ids, certificate ARNs, the
// image registry, ingress hosts, the OIDC provider. Pure: positions come from the `lineOf` the caller passes.
import type { EnvironmentConfig } from '../config';
import type { Finding } from './finding';
import { sampleAccountId, sampleHost, sampleOidcId, sampleUuid } from './sample-values';

/** 1-based line of a key in a repository file; undefined when the file does not hold that key. */
export type LineOf = (file: string, path: readonly (string | number)[]) => number | undefined;

/** Where the default image repository is written, shown when an environment does not set its own. */
export const DEFAULTS_FILE = 'synth/src/config/schema.ts';

/** Registry host of an image repository (`registry.example.com/guestlist` → `registry.example.com`). */
export function registryHost(repository: string): string | undefined {
  const first = repository.split('/')[0] ?? '';
  // Docker's rule: the first part is a registry when it has a dot or a port, or is localhost.
  return repository.includes('/') && (/[.:]/.test(first) || first === 'localhost') ? first : undefined;
}

/** Every sample value one environment would deploy with. */
export function environmentSamples(env: EnvironmentConfig, lineOf: LineOf): Finding[] {
  const out: Finding[] = [];
  const environments = [env.name];
  const file = env.source;
  const add = (
    f: Omit<Finding, 'severity' | 'environments' | 'file' | 'line'> & {
      file?: string;
      line: number | undefined;
    },
  ) => out.push({ severity: 'breaks', environments, file, ...f, line: f.line ?? 1 });

  // The image registry: the environment's own repository, or the default every environment inherits.
  const repository = env.image.repository;
  const host = registryHost(repository);
  const own = lineOf(file, ['image', 'repository']) !== undefined;
  const where = { line: lineOf(file, own ? ['image', 'repository'] : ['image']), key: 'image.repository' };
  const value = own ? repository : `${repository} (the default in ${DEFAULTS_FILE})`;
  const hostWhy = host === undefined ? undefined : sampleHost(host);
  const ecrAccount = host === undefined ? undefined : /^([0-9]{12})\.dkr\.ecr\./.exec(host)?.[1];
  const ecrWhy = ecrAccount === undefined ? undefined : sampleAccountId(ecrAccount);
  if (hostWhy !== undefined || ecrWhy !== undefined) {
    add({
      ...where,
      rule: 'sample-registry',
      value,
      why: `the registry ${host} is not real (${hostWhy ?? `account ${ecrAccount}: ${ecrWhy}`}): every pod fails with ImagePullBackOff`,
      fix: `set image.repository in ${file} to your registry, e.g. <account>.dkr.ecr.<region>.amazonaws.com/guestlist (or change DEFAULTS.imageRepository in ${DEFAULTS_FILE} for every environment)`,
    });
  }

  if (env.ingress.enabled && env.ingress.host !== undefined) {
    const why = sampleHost(env.ingress.host);
    if (why !== undefined) {
      add({
        line: lineOf(file, ['ingress', 'host']),
        key: 'ingress.host',
        rule: 'sample-host',
        value: env.ingress.host,
        why: `${why}: no DNS record can point it at the ALB and no certificate can be issued for it`,
        fix: `set ingress.host in ${file} to a name in a DNS zone you own`,
      });
    }
  }

  const certificate = env.ingress.enabled ? env.ingress.certificateArn : undefined;
  if (certificate !== undefined) {
    const [, account = '', id = ''] = /:acm:[^:]*:([0-9]{12}):certificate\/(.+)$/.exec(certificate) ?? [];
    const idWhy = sampleUuid(id);
    const accountWhy = sampleAccountId(account);
    const why =
      idWhy !== undefined
        ? `the certificate id is ${idWhy}`
        : accountWhy !== undefined
          ? `the certificate is in account ${account}, ${accountWhy}`
          : undefined;
    if (why !== undefined) {
      add({
        line: lineOf(file, ['ingress', 'certificateArn']),
        key: 'ingress.certificateArn',
        rule: 'sample-certificate',
        value: certificate,
        why: `${why}: the AWS Load Balancer Controller cannot attach it and the HTTPS listener is never created`,
        fix: `request or import the certificate for ${env.ingress.host ?? 'the host'} in ACM in the cluster's region and set its ARN (aws acm list-certificates)`,
        command: `aws acm describe-certificate --certificate-arn ${certificate} --query Certificate.Status --output text`,
      });
    }
  }

  const roleAccount = /^arn:[^:]+:iam::([0-9]{12}):/.exec(env.aws.roleArn ?? '')?.[1];
  const roleWhy = roleAccount === undefined ? undefined : sampleAccountId(roleAccount);
  if (roleWhy !== undefined) {
    add({
      line: lineOf(file, ['aws', 'roleArn']),
      key: 'aws.roleArn',
      rule: 'sample-account-id',
      value: env.aws.roleArn ?? '',
      why: `account ${roleAccount} is ${roleWhy}: the pods cannot assume the role and every DynamoDB call fails`,
      fix: `set aws.roleArn in ${file} to the role's real ARN`,
    });
  }

  const entry = env.clusterEntry;
  if (entry !== undefined) {
    const accountWhy = sampleAccountId(entry.accountId);
    if (accountWhy !== undefined) {
      add({
        file: entry.source,
        line: lineOf(entry.source, ['accountId']),
        key: 'accountId',
        rule: 'sample-account-id',
        value: entry.accountId,
        why: `${accountWhy}: the tables', role's and association's ARNs name an account you do not own, so ACK cannot create them and the pods get no credentials`,
        fix: `set accountId in ${entry.source} to the AWS account of the EKS cluster ${entry.eksClusterName} (aws sts get-caller-identity --query Account)`,
      });
    }
    const oidcId = entry.oidcProvider.split('/id/')[1] ?? '';
    const oidcWhy = sampleOidcId(oidcId);
    if (oidcWhy !== undefined) {
      const region = /^oidc\.eks\.([^.]+)\./.exec(entry.oidcProvider)?.[1] ?? env.dynamodb.region;
      // Only an IRSA trust policy names the provider: with Pod Identity the sample is inert, so it is listed
      // (it breaks the first IRSA environment on this cluster) without failing this one.
      const irsa = env.aws.identity === 'irsa';
      out.push({
        severity: irsa ? 'breaks' : 'check',
        environments,
        file: entry.source,
        line: lineOf(entry.source, ['oidcProvider']) ?? 1,
        key: 'oidcProvider',
        rule: 'sample-oidc-provider',
        value: entry.oidcProvider,
        why: irsa
          ? `the issuer id is ${oidcWhy}: the role's IRSA trust policy names a provider STS does not know, so AssumeRoleWithWebIdentity is denied`
          : `the issuer id is ${oidcWhy}; unused while ${env.name} uses aws.identity ${env.aws.identity}, it breaks the first IRSA environment on this cluster`,
        fix: `set oidcProvider in ${entry.source} to the cluster's issuer without https://`,
        command: `aws eks describe-cluster --region ${region} --name ${entry.eksClusterName} --query cluster.identity.oidc.issuer --output text`,
      });
    }
  }
  return out;
}
