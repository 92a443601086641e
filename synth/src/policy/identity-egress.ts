// Policy rule `identity-egress`: the pods' egress reaches where their AWS identity gets its credentials.
import { parseCidr } from './cidr';
import { egressAllowed } from './network-reach';
import { podTemplates } from './pods';
import { type Rule, ref, type Violation } from './types';

/** Credential endpoints of each AWS identity, which the pods' egress must reach. */
export const IDENTITY_ENDPOINTS = {
  // The EKS Pod Identity agent on every node (link-local), HTTP.
  'pod-identity': [
    { what: 'the EKS Pod Identity agent', cidr: '169.254.170.23/32', port: 80 },
    { what: 'the EKS Pod Identity agent (IPv6)', cidr: 'fd00:ec2::23/128', port: 80 },
  ],
  // IRSA exchanges the projected token at the regional STS endpoint (public addresses), HTTPS.
  irsa: [{ what: 'AWS STS (any address, HTTPS)', cidr: '0.0.0.0/0', port: 443 }],
} as const;

/** The pods can reach where their AWS identity gets its credentials. */
export const identityEgress: Rule = {
  id: 'identity-egress',
  description: "Pods' NetworkPolicy egress reaches the credential endpoint of aws.identity",
  check({ objects, environment }) {
    if (!environment) return [];
    const out: Violation[] = [];
    const endpoints = IDENTITY_ENDPOINTS[environment.aws.identity];
    for (const pod of podTemplates(objects)) {
      for (const e of endpoints) {
        const target = parseCidr(e.cidr);
        if (target && !egressAllowed(objects, pod, target, e.port)) {
          out.push({
            rule: 'identity-egress',
            object: ref(pod.owner),
            message: `egress does not reach ${e.what} at ${e.cidr} port ${e.port}, so aws.identity "${environment.aws.identity}" gets no credentials`,
            key: 'aws.identity',
          });
        }
      }
    }
    return out;
  },
};
