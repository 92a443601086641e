// An ACM certificate is usable by a load balancer only in its own region: a certificate ARN whose region is
// not the region of the environment's cluster breaks the HTTPS listener even when every value is real.
import type { EnvironmentConfig } from '../config';
import type { LineOf } from './environment-samples';
import type { Finding } from './finding';
import { clusterRegion } from './prerequisite-findings';

/** The finding when the environment's certificate lives in another region than its cluster's ALB. */
export function certificateRegionFinding(env: EnvironmentConfig, lineOf: LineOf): Finding | undefined {
  const arn = env.ingress.enabled ? env.ingress.certificateArn : undefined;
  const region = /^arn:[^:]+:acm:([^:]+):/.exec(arn ?? '')?.[1];
  // Without a cluster entry the cluster's region is unknown (the tables' region is no evidence of it).
  if (arn === undefined || region === undefined || env.clusterEntry === undefined) return undefined;
  const cluster = clusterRegion(env);
  if (region === cluster) return undefined;
  return {
    severity: 'breaks',
    rule: 'certificate-region',
    file: env.source,
    line: lineOf(env.source, ['ingress', 'certificateArn']) ?? 1,
    key: 'ingress.certificateArn',
    value: arn,
    why: `the certificate is in ${region} and the load balancer in ${cluster} (the cluster's region); ACM certificates are regional, so the HTTPS listener cannot use it`,
    fix: `request or import the certificate in ACM in ${cluster} and set that ARN`,
    environments: [env.name],
  };
}
