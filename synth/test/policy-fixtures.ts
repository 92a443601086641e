import { Testing } from 'cdk8s';
import type { K8sObject } from '../src/charts/k8s-object';
import type { EnvironmentConfig } from '../src/config';
import { WebService } from '../src/constructs/web-service';

// Tests mutate deep, loosely typed Kubernetes JSON; a typed path for every mutation would obscure them.
// biome-ignore lint/suspicious/noExplicitAny: test fixture access to arbitrary manifest fields
type Json = any;

/** A digest that looks like a real one (sha256 of a file), unlike a placeholder. */
export const REAL_DIGEST = 'sha256:2ca9225ccae23b1f1a6002d514da74c5d28198302c811a3605cef62c752629f1';

/** A policy-clean set of objects from the web-service construct (fresh copy per call). */
export function cleanObjects(): K8sObject[] {
  const chart = Testing.chart();
  new WebService(chart, 'web', {
    name: 'web',
    image: `registry.example.com/web:1.0.0@${REAL_DIGEST}`,
    port: 8080,
    env: { SHUTDOWN_DRAIN_MS: '3000', SHUTDOWN_TIMEOUT_MS: '10000' },
    autoscaling: { minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 70 },
  });
  return chart.toJson() as K8sObject[];
}

/** The object of a kind among the objects (throws when missing). */
export function find(objects: readonly K8sObject[], kind: string): Json {
  const obj = objects.find((o) => o.kind === kind);
  if (!obj) throw new Error(`no ${kind}`);
  return obj as Json;
}

/** The first container of the Deployment. */
export function container(objects: readonly K8sObject[]): Json {
  return find(objects, 'Deployment').spec.template.spec.containers[0];
}

/** A minimal environment for rules that read it. */
export function environment(
  overrides: {
    requireDigest?: boolean;
    allowedTags?: string;
    protected?: boolean;
    identity?: 'irsa' | 'pod-identity';
    tokens?: 'secrets-manager' | 'external';
  } = {},
): EnvironmentConfig {
  return {
    name: 'test',
    protected: overrides.protected ?? false,
    aws: { identity: overrides.identity ?? 'irsa', roleArn: 'arn:aws:iam::111111111111:role/web' },
    auth: {
      required: true,
      tokensSecretName: 'web-tokens',
      tokens: { from: overrides.tokens ?? 'secrets-manager', secretStore: 'aws-secrets-manager' },
    },
    imagePolicy: {
      requireDigest: overrides.requireDigest ?? false,
      allowedTags: overrides.allowedTags ?? '^[0-9]+\\.[0-9]+\\.[0-9]+$',
    },
    waivers: [],
  } as unknown as EnvironmentConfig;
}
