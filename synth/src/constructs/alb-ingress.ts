// The AlbIngress construct: an Ingress for the AWS Load Balancer Controller, targeting pod IPs, with optional
// HTTPS.
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
   * ACM certificate; when set the ALB serves HTTPS on 443 and its HTTP listener on 80 only redirects to it.
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
  /**
   * Health check interval, timeout (seconds) and healthy / unhealthy thresholds.
   * @default { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 }
   */
  readonly healthCheck?: AlbHealthCheck;
  /**
   * Seconds the ALB keeps a deregistering target for its in-flight requests (`deregistration_delay`).
   * @default 30
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * ALB group: ingresses of one group share one load balancer.
   * @default - a load balancer of its own
   */
  readonly groupName?: string;
}

/** ALB target group health check settings. */
export interface AlbHealthCheck {
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/** An Ingress for the AWS Load Balancer Controller, targeting pod IPs directly. */
export class AlbIngress extends ApiObject {
  constructor(scope: Construct, id: string, props: AlbIngressProps) {
    const tls = props.certificateArn !== undefined;
    const hc = props.healthCheck ?? {
      intervalSeconds: 5,
      timeoutSeconds: 2,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
    };
    super(scope, id, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: props.name,
        annotations: {
          'alb.ingress.kubernetes.io/scheme': props.scheme ?? 'internal',
          'alb.ingress.kubernetes.io/target-type': 'ip',
          'alb.ingress.kubernetes.io/healthcheck-path': props.healthCheckPath ?? '/readyz',
          'alb.ingress.kubernetes.io/healthcheck-interval-seconds': String(hc.intervalSeconds),
          'alb.ingress.kubernetes.io/healthcheck-timeout-seconds': String(hc.timeoutSeconds),
          'alb.ingress.kubernetes.io/healthy-threshold-count': String(hc.healthyThreshold),
          'alb.ingress.kubernetes.io/unhealthy-threshold-count': String(hc.unhealthyThreshold),
          'alb.ingress.kubernetes.io/success-codes': '200',
          'alb.ingress.kubernetes.io/target-group-attributes': `deregistration_delay.timeout_seconds=${props.deregistrationDelaySeconds ?? 30}`,
          'alb.ingress.kubernetes.io/listen-ports': tls ? '[{"HTTP":80},{"HTTPS":443}]' : '[{"HTTP":80}]',
          ...(tls ? { 'alb.ingress.kubernetes.io/ssl-redirect': '443' } : {}),
          ...(props.groupName !== undefined
            ? { 'alb.ingress.kubernetes.io/group.name': props.groupName }
            : {}),
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
