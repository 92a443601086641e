// Policy rule `source-ranges`: NetworkPolicies admit no source range wider than a /16 (IPv6 /48).
import { parseCidr } from './cidr';
import { type Rule, ref, type Violation } from './types';

/** The widest source range a NetworkPolicy may admit: an IPv4 /16 (IPv6 /48). */
export const WIDEST_SOURCE = { 4: 16, 6: 48 } as const;

interface IngressRule {
  readonly from?: readonly { readonly ipBlock?: { readonly cidr: string } }[];
}

/**
 * NetworkPolicies admit no source range wider than a /16: on EKS with the VPC CNI every pod has a VPC address,
 * so a VPC-wide range admits the whole cluster. Waive with a reason where a wide range is meant.
 */
export const sourceRanges: Rule = {
  id: 'source-ranges',
  description: 'NetworkPolicy ingress admits no ipBlock wider than /16 (IPv6 /48)',
  check({ objects }) {
    const out: Violation[] = [];
    for (const policy of objects.filter((o) => o.kind === 'NetworkPolicy')) {
      const rules = ((policy.spec as { ingress?: readonly IngressRule[] }).ingress ?? []) as IngressRule[];
      for (const peer of rules.flatMap((r) => r.from ?? [])) {
        const cidr = peer.ipBlock?.cidr;
        if (cidr === undefined) continue;
        const net = parseCidr(cidr);
        const widest = net ? WIDEST_SOURCE[net.family] : 0;
        if (!net || net.prefix < widest) {
          out.push({
            rule: 'source-ranges',
            object: ref(policy),
            message: net
              ? `ingress admits ${cidr}, wider than a /${widest} (with the VPC CNI that admits every pod in it)`
              : `ingress admits "${cidr}", which is not a CIDR`,
            key: 'ingress.sourceCidrs',
          });
        }
      }
    }
    return out;
  },
};
