// The DefaultDenyNetworkPolicy construct: denies all traffic to and from the pods except the service port,
// DNS and optional HTTPS.
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** A NetworkPolicy peer (Kubernetes shape). */
export type NetworkPeer = Readonly<Record<string, unknown>>;

/** Props of a default-deny NetworkPolicy with explicit allows. */
export interface DefaultDenyNetworkPolicyProps {
  /** Object name. */
  readonly name: string;
  /** Labels of the pods the policy applies to. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Container port that may receive traffic. */
  readonly port: number;
  /**
   * Who may connect to `port`; for an ALB in IP target mode, the CIDRs of the ALB's subnets (never the whole
   * VPC: with the VPC CNI every pod has a VPC address).
   * @default [{ podSelector: {} }] - pods of the same namespace only
   */
  readonly ingressFrom?: readonly NetworkPeer[];
  /**
   * A second port (metrics) and who may connect to it.
   * @default - none
   */
  readonly metricsPort?: number;
  /**
   * Who may connect to `metricsPort`; an empty list admits nobody.
   * @default []
   */
  readonly metricsFrom?: readonly NetworkPeer[];
  /**
   * Extra egress rules, e.g. the EKS Pod Identity agent on a link-local address.
   * @default []
   */
  readonly extraEgress?: readonly Readonly<Record<string, unknown>>[];
  /**
   * Allow egress HTTPS (443) anywhere, e.g. AWS APIs such as DynamoDB and STS.
   * @default true
   */
  readonly allowHttpsEgress?: boolean;
}

/** Denies all ingress and egress of the selected pods except the service port, DNS and (optionally) HTTPS. */
export class DefaultDenyNetworkPolicy extends ApiObject {
  constructor(scope: Construct, id: string, props: DefaultDenyNetworkPolicyProps) {
    const from = props.ingressFrom ?? [{ podSelector: {} }];
    const metricsFrom = props.metricsFrom ?? [];
    // An empty `from` would admit everyone, so a port nobody may reach gets no rule at all.
    const metrics =
      props.metricsPort !== undefined && metricsFrom.length > 0
        ? [{ from: [...metricsFrom], ports: [{ port: props.metricsPort, protocol: 'TCP' }] }]
        : [];
    const dns = {
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        },
      ],
      ports: [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ],
    };
    const https = { ports: [{ port: 443, protocol: 'TCP' }] };
    super(scope, id, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: props.name },
      spec: {
        podSelector: { matchLabels: { ...props.podLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [...from], ports: [{ port: props.port, protocol: 'TCP' }] }, ...metrics],
        egress: [
          ...(props.allowHttpsEgress === false ? [dns] : [dns, https]),
          ...(props.extraEgress ?? []).map((e) => ({ ...e })),
        ],
      },
    });
  }
}
