// Reading helpers for the policy rules: the pod templates of rendered workloads and their containers.
import type { K8sObject } from '../charts/k8s-object';

/** The parts of a container the rules read. */
export interface ContainerSpec {
  readonly name: string;
  readonly image?: string;
  readonly ports?: readonly { containerPort: number; name?: string }[];
  readonly env?: readonly { name: string; value?: string }[];
  readonly resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readonly securityContext?: Record<string, unknown>;
  readonly livenessProbe?: ProbeSpec;
  readonly readinessProbe?: ProbeSpec;
  readonly startupProbe?: ProbeSpec;
}

/** The parts of a probe the rules read. */
export interface ProbeSpec {
  readonly httpGet?: { port: number | string; path?: string };
  readonly tcpSocket?: { port: number | string };
  readonly grpc?: { port: number };
  readonly exec?: unknown;
}

/** A pod template found in a workload. */
export interface PodTemplate {
  readonly owner: K8sObject;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: Readonly<Record<string, unknown>> & {
    readonly containers?: readonly ContainerSpec[];
    readonly initContainers?: readonly ContainerSpec[];
    readonly securityContext?: Record<string, unknown>;
  };
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** Pod templates of every workload (and bare Pods) among the objects. */
export function podTemplates(objects: readonly K8sObject[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const obj of objects) {
    const spec = obj.spec as Record<string, unknown> | undefined;
    let template: { metadata?: { labels?: Record<string, string> }; spec?: PodTemplate['spec'] } | undefined;
    if (obj.kind === 'Pod') template = { metadata: obj.metadata as never, spec: spec as never };
    else if (WORKLOADS.has(obj.kind)) template = spec?.template as never;
    else if (obj.kind === 'CronJob')
      template = (spec?.jobTemplate as { spec?: { template?: never } })?.spec?.template;
    if (template?.spec)
      out.push({ owner: obj, labels: template.metadata?.labels ?? {}, spec: template.spec });
  }
  return out;
}

/** Every container (init containers included) of a pod template. */
export function containersOf(pod: PodTemplate): ContainerSpec[] {
  return [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])];
}

/** True when every `matchLabels` entry is among the labels (an empty selector selects nothing here). */
export function selects(
  matchLabels: Readonly<Record<string, string>> | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  const entries = Object.entries(matchLabels ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
