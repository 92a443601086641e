// Policy rules `hpa` and `pdb`: an HPA alone owns its Deployment's replica count, and every Deployment has a
// PDB that still allows an eviction.
import type { K8sObject } from '../charts/k8s-object';
import { podTemplates, selects } from './pods';
import { type Rule, ref, type Violation } from './types';

interface HpaSpec {
  scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string };
  minReplicas?: number;
  maxReplicas?: number;
}

function hpas(objects: readonly K8sObject[]): { obj: K8sObject; spec: HpaSpec }[] {
  return objects
    .filter((o) => o.kind === 'HorizontalPodAutoscaler')
    .map((obj) => ({ obj, spec: (obj.spec ?? {}) as HpaSpec }));
}

function targets(spec: HpaSpec, obj: K8sObject): boolean {
  const t = spec.scaleTargetRef;
  return (
    t?.kind === obj.kind &&
    t.name === obj.metadata.name &&
    (t.apiVersion ?? obj.apiVersion) === obj.apiVersion
  );
}

/** An HPA targets an existing Deployment, has min ≤ max, and is the only owner of the replica count. */
export const hpa: Rule = {
  id: 'hpa',
  description:
    'HPAs target an existing Deployment, have minReplicas <= maxReplicas, and the Deployment sets no replicas',
  check({ objects }) {
    const out: Violation[] = [];
    for (const { obj, spec } of hpas(objects)) {
      const object = ref(obj);
      const target = objects.find((o) => targets(spec, o));
      const t = spec.scaleTargetRef;
      if (!target) {
        out.push({
          rule: 'hpa',
          object,
          message: `scaleTargetRef ${t?.kind ?? '?'}/${t?.name ?? '?'} is not an object of this environment`,
        });
      } else if ((target.spec as { replicas?: number }).replicas !== undefined) {
        out.push({
          rule: 'hpa',
          object: ref(target),
          message: `sets spec.replicas (${String((target.spec as { replicas?: number }).replicas)}) although ${object} owns the replica count`,
          key: 'autoscaling.enabled',
        });
      }
      const min = spec.minReplicas ?? 1;
      const max = spec.maxReplicas ?? 0;
      if (min > max) {
        out.push({
          rule: 'hpa',
          object,
          message: `minReplicas (${min}) must be <= maxReplicas (${max})`,
          key: 'autoscaling.minReplicas',
        });
      }
    }
    return out;
  },
};

/** Every Deployment has a PDB that still lets at least one pod be evicted at its replica floor. */
export const pdb: Rule = {
  id: 'pdb',
  description:
    'Each Deployment has a PodDisruptionBudget that allows at least one disruption at its minimum replicas',
  check({ objects }) {
    const out: Violation[] = [];
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    for (const pod of podTemplates(objects)) {
      if (pod.owner.kind !== 'Deployment') continue;
      const object = ref(pod.owner);
      const scaler = hpas(objects).find((h) => targets(h.spec, pod.owner));
      const floor = scaler
        ? (scaler.spec.minReplicas ?? 1)
        : ((pod.owner.spec as { replicas?: number }).replicas ?? 1);
      const key = scaler ? 'autoscaling.minReplicas' : 'replicas';
      const budget = budgets.find((b) =>
        selects(
          (b.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels,
          pod.labels,
        ),
      );
      if (!budget) {
        out.push({ rule: 'pdb', object, message: 'no PodDisruptionBudget selects its pods' });
        continue;
      }
      const spec = budget.spec as { minAvailable?: number | string; maxUnavailable?: number | string };
      if (typeof spec.minAvailable === 'number' && spec.minAvailable >= floor) {
        out.push({
          rule: 'pdb',
          object: ref(budget),
          message: `minAvailable (${spec.minAvailable}) must be below the minimum replicas of ${object} (${floor}), or no pod can ever be evicted`,
          key,
        });
      }
      if (spec.maxUnavailable === 0 || spec.maxUnavailable === '0%' || spec.minAvailable === '100%') {
        out.push({
          rule: 'pdb',
          object: ref(budget),
          message: 'allows no disruption at all (blocks node drains)',
        });
      }
    }
    return out;
  },
};
