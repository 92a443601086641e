// Policy rule `network-policy`: every workload is selected by a default-deny NetworkPolicy for ingress and
// egress.
import { podTemplates, selects } from './pods';
import { type Rule, ref, type Violation } from './types';

/** Every workload's pods are selected by a NetworkPolicy governing both ingress and egress (default deny). */
export const networkPolicy: Rule = {
  id: 'network-policy',
  description: 'Each workload is selected by a NetworkPolicy with policyTypes Ingress and Egress',
  check({ objects }) {
    const out: Violation[] = [];
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    for (const pod of podTemplates(objects)) {
      const covering = policies.filter((p) =>
        selects(
          (p.spec as { podSelector?: { matchLabels?: Record<string, string> } }).podSelector?.matchLabels,
          pod.labels,
        ),
      );
      const types = new Set(
        covering.flatMap((p) => (p.spec as { policyTypes?: string[] }).policyTypes ?? []),
      );
      if (covering.length === 0) {
        out.push({
          rule: 'network-policy',
          object: ref(pod.owner),
          message: 'no NetworkPolicy selects its pods',
        });
      } else if (!types.has('Ingress') || !types.has('Egress')) {
        out.push({
          rule: 'network-policy',
          object: ref(pod.owner),
          message: `its NetworkPolicies cover policyTypes [${[...types].sort().join(', ')}], not both Ingress and Egress`,
        });
      }
    }
    return out;
  },
};
