// The RestrictedNamespace construct: a Namespace labelled to enforce Pod Security "restricted".
import { JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';

/** Props of a namespace that enforces Pod Security "restricted". */
export interface RestrictedNamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /**
   * Pod Security Standards version the labels pin (a pinned version keeps upgrades from changing admission).
   * @default 'v1.30'
   */
  readonly podSecurityVersion?: string;
  /**
   * Extra labels.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations.
   * @default {}
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A Namespace labelled to enforce and warn on Pod Security "restricted" at a pinned version. */
export class RestrictedNamespace extends kplus.Namespace {
  constructor(scope: Construct, id: string, props: RestrictedNamespaceProps) {
    const version = props.podSecurityVersion ?? 'v1.30';
    super(scope, id, {
      metadata: {
        name: props.name,
        annotations: {
          ...props.annotations,
          // Never pruned by Argo CD: deleting it would delete everything in it.
          'argocd.argoproj.io/sync-options': 'Prune=false',
        },
        labels: {
          ...props.labels,
          // The AWS Load Balancer Controller adds a readiness gate to every pod: a rollout waits until the new
          // pod is a healthy ALB target before it stops an old one.
          'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': version,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': version,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': version,
        },
      },
    });
    // A Namespace is cluster-scoped; the chart's namespace must not be stamped on it.
    this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
