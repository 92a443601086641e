// An Argo CD Application that installs one upstream Helm chart at an exact version: how cluster add-ons are delivered.
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { COMPARE_OPTIONS, COMPARE_OPTIONS_ANNOTATION, SYNC_RETRY } from './argo-application';
import { type ArgoDestination, destinationSpec } from './argo-destination';

/** An exact chart version: no range, no `v`, no `latest`, so a chart never changes without a commit. */
const EXACT = /^[0-9]+\.[0-9]+\.[0-9]+$/;

/** Props of an Application with one Helm chart source. */
export interface ArgoHelmApplicationProps {
  /** Application name. */
  readonly name: string;
  /** Namespace Argo CD runs in. */
  readonly namespace: string;
  /** AppProject the Application belongs to (never `default`). */
  readonly project: string;
  /** Helm repository URL, or OCI registry path without a scheme. */
  readonly repoURL: string;
  /** Chart name. */
  readonly chart: string;
  /** Exact chart version `X.Y.Z`. */
  readonly version: string;
  /** Helm release name. */
  readonly releaseName: string;
  /** Helm values, written in full. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Cluster and namespace the chart is installed into. */
  readonly destination: ArgoDestination;
  /** Argo CD sync wave of the Application (lower first). @default - none */
  readonly syncWave?: number;
  /** Labels on the Application object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Syncs automatically with prune and self-heal: an add-on is platform, changed only through its cluster entry.
 * CreateNamespace (charts do not render their namespace), ServerSideApply (CRDs too large for the last-applied
 * annotation), FailOnSharedResource (never take over what another Application installed), and server-side diff
 * so fields the charts' CRDs default never show as drift.
 */
export class ArgoHelmApplication extends ApiObject {
  constructor(scope: Construct, id: string, props: ArgoHelmApplicationProps) {
    if (props.project === 'default') {
      throw new Error(
        `Application '${props.name}': project "default" is not allowed; use a locked-down project`,
      );
    }
    if (!EXACT.test(props.version)) {
      throw new Error(`Application '${props.name}': chart version "${props.version}" is not an exact X.Y.Z`);
    }
    super(scope, id, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: {
          [COMPARE_OPTIONS_ANNOTATION]: COMPARE_OPTIONS.join(','),
          ...(props.syncWave !== undefined && { 'argocd.argoproj.io/sync-wave': String(props.syncWave) }),
        },
        ...(props.labels !== undefined && { labels: { ...props.labels } }),
      },
      spec: {
        project: props.project,
        source: {
          repoURL: props.repoURL,
          chart: props.chart,
          targetRevision: props.version,
          helm: { releaseName: props.releaseName, valuesObject: { ...props.values } },
        },
        destination: destinationSpec(props.destination),
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', 'FailOnSharedResource=true'],
          retry: { limit: SYNC_RETRY.limit, backoff: { ...SYNC_RETRY.backoff } },
        },
      },
    });
  }
}
