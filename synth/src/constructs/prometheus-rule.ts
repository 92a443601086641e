// The PrometheusRule construct: alerting rule groups for the Prometheus Operator.
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** One Prometheus alerting rule (the shape of a PrometheusRule's `groups[].rules[]`). */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One rule group. */
export interface AlertGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** Props of a Prometheus Operator PrometheusRule. */
export interface PrometheusRuleProps {
  /** Object name. */
  readonly name: string;
  /** Rule groups. */
  readonly groups: readonly AlertGroup[];
  /**
   * Labels of the PrometheusRule (Prometheus' ruleSelector matches them).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A `monitoring.coreos.com/v1` PrometheusRule holding alerting rule groups. */
export class PrometheusRule extends ApiObject {
  constructor(scope: Construct, id: string, props: PrometheusRuleProps) {
    super(scope, id, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: props.name, ...(props.labels && { labels: { ...props.labels } }) },
      spec: {
        groups: props.groups.map((g) => ({
          name: g.name,
          rules: g.rules.map((r) => ({
            alert: r.alert,
            expr: r.expr,
            for: r.for,
            labels: { ...r.labels },
            annotations: { ...r.annotations },
          })),
        })),
      },
    });
  }
}
