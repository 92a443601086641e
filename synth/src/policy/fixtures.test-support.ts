import { Testing } from 'cdk8s';
import type { K8sObject } from '../charts/k8s-object';
import type { EnvironmentConfig } from '../config';
import { WebService } from '../constructs/web-service';

// Tests mutate deep, loosely typed Kubernetes JSON; a typed path for every mutation would obscure them.
// biome-ignore lint/suspicious/noExplicitAny: test fixture access to arbitrary manifest fields
type Json = any;

/** A policy-clean set of objects from the web-service construct (fresh copy per call). */
export function cleanObjects(): K8sObject[] {
  const chart = Testing.chart();
  new WebService(chart, 'web', {
    name: 'web',
    image: `registry.example.com/web:1.0.0@sha256:${'a'.repeat(64)}`,
    port: 8080,
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
  overrides: { requireDigest?: boolean; allowedTags?: string } = {},
): EnvironmentConfig {
  return {
    name: 'test',
    imagePolicy: {
      requireDigest: overrides.requireDigest ?? false,
      allowedTags: overrides.allowedTags ?? '^[0-9]+\\.[0-9]+\\.[0-9]+$',
    },
    waivers: [],
  } as unknown as EnvironmentConfig;
}
