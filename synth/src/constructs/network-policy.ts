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
   * Who may connect to `port`.
   * @default [{ ipBlock: { cidr: '10.0.0.0/8' } }] - the VPC, where an ALB in IP target mode connects from
   */
  readonly ingressFrom?: readonly NetworkPeer[];
  /**
   * Allow egress HTTPS (443) anywhere, e.g. AWS APIs such as DynamoDB and STS.
   * @default true
   */
  readonly allowHttpsEgress?: boolean;
}

/** Denies all ingress and egress of the selected pods except the service port, DNS and (optionally) HTTPS. */
export class DefaultDenyNetworkPolicy extends ApiObject {
  constructor(scope: Construct, id: string, props: DefaultDenyNetworkPolicyProps) {
    const from = props.ingressFrom ?? [{ ipBlock: { cidr: '10.0.0.0/8' } }];
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
        ingress: [{ from: [...from], ports: [{ port: props.port, protocol: 'TCP' }] }],
        egress: props.allowHttpsEgress === false ? [dns] : [dns, https],
      },
    });
  }
}
