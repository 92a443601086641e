// Policy rule `selectors`: Deployment, Service, PDB and NetworkPolicy selectors match the pods they are meant
// for.
import type { K8sObject } from '../charts/k8s-object';
import { podTemplates, selects } from './pods';
import { type Rule, ref, type Violation } from './types';

type Labels = Record<string, string>;

function selectorOf(obj: K8sObject): Labels | undefined {
  const spec = (obj.spec ?? {}) as {
    selector?: Labels | { matchLabels?: Labels };
    podSelector?: { matchLabels?: Labels };
  };
  if (obj.kind === 'Service') return spec.selector as Labels | undefined;
  if (obj.kind === 'PodDisruptionBudget')
    return (spec.selector as { matchLabels?: Labels } | undefined)?.matchLabels;
  if (obj.kind === 'NetworkPolicy') return spec.podSelector?.matchLabels;
  return undefined;
}

/** Workload selectors match their own pod labels; Service, PDB and NetworkPolicy selectors match some pods. */
export const selectors: Rule = {
  id: 'selectors',
  description: 'Deployment, Service, PDB and NetworkPolicy selectors match the pod labels of a workload',
  check({ objects }) {
    const out: Violation[] = [];
    const pods = podTemplates(objects);
    for (const pod of pods) {
      const own = (pod.owner.spec as { selector?: { matchLabels?: Labels } }).selector?.matchLabels;
      if (pod.owner.kind !== 'Pod' && !selects(own, pod.labels)) {
        out.push({
          rule: 'selectors',
          object: ref(pod.owner),
          message: `selector ${JSON.stringify(own ?? {})} does not match its pod labels ${JSON.stringify(pod.labels)}`,
        });
      }
    }
    for (const obj of objects) {
      if (!['Service', 'PodDisruptionBudget', 'NetworkPolicy'].includes(obj.kind)) continue;
      const selector = selectorOf(obj);
      if (!pods.some((p) => selects(selector, p.labels))) {
        out.push({
          rule: 'selectors',
          object: ref(obj),
          message: `selector ${JSON.stringify(selector ?? {})} matches the pod labels of no workload`,
        });
      }
    }
    return out;
  },
};
