import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { K8sObject } from '../src/charts/k8s-object';
import type { EnvironmentConfig } from '../src/config';
import { isPlaceholderDigest, parseImage } from '../src/domain/image-ref';
import { identityEgress } from '../src/policy/identity-egress';
import { imageDigest } from '../src/policy/image';
import { containersOf, podTemplates } from '../src/policy/pods';
import { referencedObjects } from '../src/policy/referenced-objects';
import { shutdownTiming } from '../src/policy/shutdown-timing';
import { sourceRanges } from '../src/policy/source-ranges';
import type { Rule } from '../src/policy/types';

// Tests read deep, loosely typed manifests; a typed path per field would obscure the checks.
// biome-ignore lint/suspicious/noExplicitAny: manifest access in test support
type Json = any;

const RECOMMENDED = ['name', 'instance', 'component', 'part-of', 'managed-by'].map(
  (k) => `app.kubernetes.io/${k}`,
);
const VERSION = 'app.kubernetes.io/version';
const ALB = 'alb.ingress.kubernetes.io/';

/** The objects of `dist/<env>/` (one object per file). */
export function readFolder(dist: string, env: string): Json[] {
  return readdirSync(join(dist, env))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => parse(readFileSync(join(dist, env, f), 'utf8')));
}

const one = (objects: Json[], kind: string): Json => objects.find((o) => o.kind === kind) ?? {};
const rule = (r: Rule, objects: Json[], env: EnvironmentConfig) =>
  r.check({ objects: objects as K8sObject[], environment: env }).map((v) => `${v.object} ${v.message}`);

/**
 * The numbered findings of the EKS review, each as a check of one rendered environment folder: the problems
 * found (empty when the folder is right). Run on the folders before the fix, every finding reports.
 */
export const FINDINGS: Readonly<Record<string, (objects: Json[], env: EnvironmentConfig) => string[]>> = {
  '1 pod identity egress': (o, env) => rule(identityEgress, o, env),
  '2 tokens secret rendered': (o, env) => [
    ...rule(referencedObjects, o, env),
    ...(env.auth.required && !o.some((x) => x.kind === 'ExternalSecret')
      ? ['no ExternalSecret for the tokens']
      : []),
  ],
  '3 no placeholder digest': (o, env) => [
    ...rule(imageDigest, o, env),
    ...podTemplates(o as K8sObject[]).flatMap((p) =>
      containersOf(p)
        .map((c) => parseImage(c.image ?? '').digest)
        .filter((d): d is string => d !== undefined && isPlaceholderDigest(d))
        .map((d) => `placeholder digest ${d}`),
    ),
  ],
  '4 shutdown timing and readiness gate': (o, env) => [
    ...rule(shutdownTiming, o, env),
    ...(one(o, 'Namespace').metadata?.labels?.['elbv2.k8s.aws/pod-readiness-gate-inject'] === 'enabled'
      ? []
      : ['Namespace has no pod-readiness-gate-inject label']),
  ],
  '5 narrow ingress sources': (o, env) => [
    ...rule(sourceRanges, o, env),
    ...(env.ingress.enabled &&
    !one(o, 'NetworkPolicy').spec?.ingress?.[0]?.from?.every((p: Json) => p.ipBlock?.cidr.endsWith('/24'))
      ? ['API port sources are not the ALB subnets']
      : []),
  ],
  '7 namespace never pruned': (o) =>
    /Prune=false/.test(one(o, 'Namespace').metadata?.annotations?.['argocd.argoproj.io/sync-options'] ?? '')
      ? []
      : ['Namespace can be pruned'],
  '8 https redirect, no tokens over http': (o, env) => {
    const a = one(o, 'Ingress').metadata?.annotations ?? {};
    if (!env.ingress.enabled) return [];
    const out: string[] = [];
    if (env.ingress.scheme === 'internet-facing' && a[`${ALB}ssl-redirect`] !== '443')
      out.push('no HTTP->HTTPS redirect');
    if (env.auth.required && a[`${ALB}certificate-arn`] === undefined)
      out.push('bearer tokens over plain HTTP');
    return out;
  },
  '9 hard zone spread with matchLabelKeys': (o, env) => {
    const spread = one(o, 'Deployment').spec?.template?.spec?.topologySpreadConstraints ?? [];
    const zone = spread.find((s: Json) => s.topologyKey === 'topology.kubernetes.io/zone');
    const min = env.autoscaling.enabled ? env.autoscaling.minReplicas : env.replicas;
    const out: string[] = [];
    if (!spread.every((s: Json) => s.matchLabelKeys?.includes('pod-template-hash')))
      out.push('spread without matchLabelKeys');
    if (min >= 3 && zone?.whenUnsatisfiable !== 'DoNotSchedule') out.push('zone spread is only preferred');
    return out;
  },
  '10 only the API port exposed': (o) => {
    const ports = one(o, 'Service').spec?.ports ?? [];
    const containerPorts = one(o, 'Deployment').spec?.template?.spec?.containers?.[0]?.ports ?? [];
    const out: string[] = [];
    if (ports.length !== 1 || ports[0].targetPort !== 1111)
      out.push('Service exposes more than the API port');
    if (!containerPorts.some((p: Json) => p.name === 'metrics')) out.push('no metrics port on the pod');
    const metricsRule = (one(o, 'NetworkPolicy').spec?.ingress ?? []).find((r: Json) =>
      r.ports?.some((p: Json) => p.port === 9464),
    );
    if (metricsRule?.from?.some((p: Json) => p.ipBlock)) out.push('metrics port open to IP ranges');
    return out;
  },
  '11 labels, version, pod spec hygiene': (o, env) => {
    const out: string[] = [];
    for (const obj of o) {
      const missing = RECOMMENDED.filter((k) => obj.metadata?.labels?.[k] === undefined);
      if (missing.length > 0) out.push(`${obj.kind}/${obj.metadata.name} lacks ${missing.join(', ')}`);
      // The version is on the pods only, so a release changes the Deployment and the ConfigMap, not every file.
      if (obj.metadata?.labels?.[VERSION] !== undefined)
        out.push(`${obj.kind}/${obj.metadata.name} has ${VERSION}`);
    }
    const template = one(o, 'Deployment').spec?.template ?? {};
    const podLabels = template.metadata?.labels ?? {};
    const podMissing = [...RECOMMENDED, VERSION].filter((k) => podLabels[k] === undefined);
    if (podMissing.length > 0) out.push(`the pod template lacks ${podMissing.join(', ')}`);
    if (podLabels[VERSION] !== undefined && podLabels[VERSION] !== env.image.tag)
      out.push('pod version is not the tag');
    const pod = template.spec ?? {};
    if (
      o.find((x) => x.kind === 'ConfigMap' && x.metadata.name === 'guestlist')?.data?.SERVICE_VERSION !==
      env.image.tag
    )
      out.push('SERVICE_VERSION is not the tag');
    if (pod.enableServiceLinks !== false) out.push('service links enabled');
    if (pod.containers?.[0]?.resources?.requests?.['ephemeral-storage'] === undefined)
      out.push('no ephemeral-storage request');
    if (pod.securityContext?.fsGroupChangePolicy !== 'OnRootMismatch')
      out.push('fsGroupChangePolicy not set');
    return out;
  },
  '12 alb group': (o, env) => {
    if (!env.ingress.enabled) return [];
    const group = one(o, 'Ingress').metadata?.annotations?.[`${ALB}group.name`];
    return env.protected && env.imagePolicy.requireDigest
      ? group === undefined
        ? []
        : [`prod shares ALB group ${group}`]
      : group === undefined
        ? ['non-prod environment has an ALB of its own']
        : [];
  },
  'monitoring rendered': (o, env) =>
    env.monitoring.enabled
      ? ['PodMonitor', 'PrometheusRule']
          .filter((k) => !o.some((x) => x.kind === k))
          .concat(o.some((x) => x.metadata?.labels?.grafana_dashboard === '1') ? [] : ['no dashboard'])
      : [],
};
