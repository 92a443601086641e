// Answers whether a pod's NetworkPolicies let it reach an address and port (used by the egress rules).
import type { K8sObject } from '../charts/k8s-object';
import { contains, type Network, parseCidr } from './cidr';
import { type PodTemplate, selects } from './pods';

interface PolicyPort {
  readonly port?: number | string;
  readonly endPort?: number;
  readonly protocol?: string;
}
interface Peer {
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}
interface EgressRule {
  readonly to?: readonly Peer[];
  readonly ports?: readonly PolicyPort[];
}
interface NetworkPolicySpec {
  readonly podSelector?: { readonly matchLabels?: Record<string, string> };
  readonly policyTypes?: readonly string[];
  readonly egress?: readonly EgressRule[];
}

/** The NetworkPolicies that select a pod and restrict its egress. */
export function egressPolicies(objects: readonly K8sObject[], pod: PodTemplate): NetworkPolicySpec[] {
  return objects
    .filter((o) => o.kind === 'NetworkPolicy')
    .map((o) => o.spec as NetworkPolicySpec)
    .filter(
      (s) => selects(s.podSelector?.matchLabels, pod.labels) && (s.policyTypes ?? []).includes('Egress'),
    );
}

function portMatches(ports: readonly PolicyPort[] | undefined, port: number): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    if (typeof p.port !== 'number') return false;
    return p.endPort === undefined ? p.port === port : port >= p.port && port <= p.endPort;
  });
}

function peerMatches(peer: Peer, target: Network): boolean {
  const block = peer.ipBlock;
  if (!block) return false; // pod and namespace selectors never match an address outside the cluster
  const cidr = parseCidr(block.cidr);
  if (!cidr || !contains(cidr, target)) return false;
  return !(block.except ?? []).some((e) => {
    const ex = parseCidr(e);
    return ex !== undefined && contains(ex, target);
  });
}

/**
 * Whether the pod may open a TCP connection to `target` (an address, or a network every address of which must
 * be reachable) on `port` under the NetworkPolicies that select it. No egress policy means no restriction.
 */
export function egressAllowed(
  objects: readonly K8sObject[],
  pod: PodTemplate,
  target: Network,
  port: number,
): boolean {
  const policies = egressPolicies(objects, pod);
  if (policies.length === 0) return true;
  return policies.some((p) =>
    (p.egress ?? []).some(
      (rule) =>
        portMatches(rule.ports, port) &&
        (rule.to === undefined || rule.to.length === 0 || rule.to.some((peer) => peerMatches(peer, target))),
    ),
  );
}
