// Policy rule `referenced-objects`: every Secret or ConfigMap a pod needs is rendered, or declared external.
import type { K8sObject } from '../charts/k8s-object';
import { type PodTemplate, podTemplates } from './pods';
import { type Rule, ref, type Violation } from './types';

/** A Secret or ConfigMap a pod needs, and how it uses it. */
interface Reference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  readonly use: string;
}

interface NamedRef {
  readonly name?: string;
  readonly secretName?: string;
  readonly optional?: boolean;
}
interface Volume {
  readonly name: string;
  readonly secret?: NamedRef;
  readonly configMap?: NamedRef;
  readonly projected?: { readonly sources?: readonly { secret?: NamedRef; configMap?: NamedRef }[] };
}
interface ContainerRefs {
  readonly name: string;
  readonly envFrom?: readonly { secretRef?: NamedRef; configMapRef?: NamedRef }[];
  readonly env?: readonly {
    name: string;
    valueFrom?: { secretKeyRef?: NamedRef; configMapKeyRef?: NamedRef };
  }[];
}

/** Every Secret and ConfigMap the pod cannot start (or run correctly) without; optional ones are skipped. */
export function requiredReferences(pod: PodTemplate): Reference[] {
  const out: Reference[] = [];
  const add = (kind: Reference['kind'], r: NamedRef | undefined, use: string) => {
    const name = r?.secretName ?? r?.name;
    if (r && name && r.optional !== true) out.push({ kind, name, use });
  };
  const spec = pod.spec as { volumes?: readonly Volume[]; imagePullSecrets?: readonly { name: string }[] };
  for (const v of spec.volumes ?? []) {
    add('Secret', v.secret, `mounts it as volume "${v.name}"`);
    add('ConfigMap', v.configMap, `mounts it as volume "${v.name}"`);
    for (const s of v.projected?.sources ?? []) {
      add('Secret', s.secret, `projects it into volume "${v.name}"`);
      add('ConfigMap', s.configMap, `projects it into volume "${v.name}"`);
    }
  }
  for (const p of spec.imagePullSecrets ?? []) add('Secret', p, 'pulls images with it');
  const containers = [
    ...((pod.spec.initContainers ?? []) as ContainerRefs[]),
    ...((pod.spec.containers ?? []) as ContainerRefs[]),
  ];
  for (const c of containers) {
    for (const e of c.envFrom ?? []) {
      add('Secret', e.secretRef, `container "${c.name}" reads it in envFrom`);
      add('ConfigMap', e.configMapRef, `container "${c.name}" reads it in envFrom`);
    }
    for (const e of c.env ?? []) {
      add('Secret', e.valueFrom?.secretKeyRef, `container "${c.name}" reads it into ${e.name}`);
      add('ConfigMap', e.valueFrom?.configMapKeyRef, `container "${c.name}" reads it into ${e.name}`);
    }
  }
  return out;
}

/** Secrets and ConfigMaps this render provides: rendered ones, and the targets of ExternalSecrets. */
export function providedObjects(objects: readonly K8sObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind === 'Secret' || o.kind === 'ConfigMap') out.add(`${o.kind}/${o.metadata.name}`);
    if (o.kind === 'ExternalSecret' && o.apiVersion.startsWith('external-secrets.io/')) {
      const target = (o.spec as { target?: { name?: string } } | undefined)?.target?.name;
      out.add(`Secret/${target ?? o.metadata.name}`);
    }
  }
  return out;
}

/** Every Secret or ConfigMap a pod needs is rendered here, or declared external in the environment file. */
export const referencedObjects: Rule = {
  id: 'referenced-objects',
  description:
    'Every Secret and ConfigMap a pod mounts or references is rendered in the same environment or declared external',
  check({ objects, environment }) {
    const provided = providedObjects(objects);
    if (environment?.auth.required && environment.auth.tokens.from === 'external') {
      provided.add(`Secret/${environment.auth.tokensSecretName}`);
    }
    const out: Violation[] = [];
    for (const pod of podTemplates(objects)) {
      for (const r of requiredReferences(pod)) {
        if (provided.has(`${r.kind}/${r.name}`)) continue;
        out.push({
          rule: 'referenced-objects',
          object: ref(pod.owner),
          message: `pod ${r.use}: ${r.kind} "${r.name}" is neither rendered in this environment nor declared external, so the pods cannot start`,
          ...(r.kind === 'Secret' && r.name === environment?.auth.tokensSecretName && { key: 'auth.tokens' }),
        });
      }
    }
    return out;
  },
};
