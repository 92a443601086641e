import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** Props of an AWS Load Balancer Controller (ALB) ingress. */
export interface AlbIngressProps {
  /** Object name. */
  readonly name: string;
  /** Host name routed to the service. */
  readonly host: string;
  /** Service that receives the traffic. */
  readonly serviceName: string;
  /** Service port number. */
  readonly servicePort: number;
  /**
   * ACM certificate; when set the ALB listens on HTTPS only and redirects nothing over plain HTTP.
   * @default - plain HTTP listener (internal use only)
   */
  readonly certificateArn?: string;
  /**
   * ALB scheme.
   * @default 'internal'
   */
  readonly scheme?: 'internet-facing' | 'internal';
  /**
   * Path the ALB health check calls.
   * @default '/readyz'
   */
  readonly healthCheckPath?: string;
}

/** An Ingress for the AWS Load Balancer Controller, targeting pod IPs directly. */
export class AlbIngress extends ApiObject {
  constructor(scope: Construct, id: string, props: AlbIngressProps) {
    const tls = props.certificateArn !== undefined;
    super(scope, id, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: props.name,
        annotations: {
          'alb.ingress.kubernetes.io/scheme': props.scheme ?? 'internal',
          'alb.ingress.kubernetes.io/target-type': 'ip',
          'alb.ingress.kubernetes.io/healthcheck-path': props.healthCheckPath ?? '/readyz',
          'alb.ingress.kubernetes.io/listen-ports': tls ? '[{"HTTPS":443}]' : '[{"HTTP":80}]',
          ...(tls ? { 'alb.ingress.kubernetes.io/certificate-arn': props.certificateArn as string } : {}),
          ...(tls ? { 'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06' } : {}),
        },
      },
      spec: {
        ingressClassName: 'alb',
        rules: [
          {
            host: props.host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: props.serviceName, port: { number: props.servicePort } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}
