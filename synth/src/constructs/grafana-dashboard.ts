// The GrafanaDashboard construct: a ConfigMap holding a dashboard's JSON, labelled for Grafana's sidecar to
// load.
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';

/** Label the Grafana dashboard sidecar (kube-prometheus-stack's default) loads ConfigMaps by. */
export const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';

/** Props of a Grafana dashboard ConfigMap. */
export interface GrafanaDashboardProps {
  /** ConfigMap name. */
  readonly name: string;
  /** File name of the dashboard in the ConfigMap (`<uid>.json`). */
  readonly fileName: string;
  /** The dashboard's JSON model. */
  readonly dashboard: Readonly<Record<string, unknown>>;
  /**
   * Extra labels.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A ConfigMap holding one Grafana dashboard, labelled for the Grafana sidecar to load. */
export class GrafanaDashboard extends kplus.ConfigMap {
  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id, {
      metadata: { name: props.name, labels: { ...props.labels, [GRAFANA_DASHBOARD_LABEL]: '1' } },
      data: { [props.fileName]: `${JSON.stringify(props.dashboard, null, 2)}\n` },
    });
  }
}
