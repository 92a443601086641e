// The PodMonitor construct: tells the Prometheus Operator which pods and port to scrape.
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** Props of a Prometheus Operator PodMonitor. */
export interface PodMonitorProps {
  /** Object name (Prometheus labels the series `job="<namespace>/<name>"`). */
  readonly name: string;
  /** Labels of the pods to scrape. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Name of the container port that serves the metrics. */
  readonly portName: string;
  /**
   * Labels of the PodMonitor itself (Prometheus' podMonitorSelector matches them).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Metrics path.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * Scrape interval.
   * @default '30s'
   */
  readonly interval?: string;
}

/**
 * A `monitoring.coreos.com/v1` PodMonitor: Prometheus scrapes the pods' metrics port directly, so the
 * metrics port never needs to be on the Service (which the load balancer reaches).
 */
export class PodMonitor extends ApiObject {
  constructor(scope: Construct, id: string, props: PodMonitorProps) {
    super(scope, id, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: props.name, ...(props.labels && { labels: { ...props.labels } }) },
      spec: {
        selector: { matchLabels: { ...props.podLabels } },
        podMetricsEndpoints: [
          {
            port: props.portName,
            path: props.path ?? '/metrics',
            interval: props.interval ?? '30s',
            scrapeTimeout: '10s',
          },
        ],
      },
    });
  }
}
