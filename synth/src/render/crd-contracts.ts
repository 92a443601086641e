/**
 * The upstream contract of every custom resource kind synth renders: the controller release it was checked
 * against, and the `default:` values that release's CRD declares on the paths synth renders or could render.
 * Written here from reading the upstream CRDs and API types at those releases (no upstream file is copied), so a
 * test can apply them to every rendered object the way the API server would (no-drift.test.ts). A rendered kind
 * missing here (say `external-secrets.io/v1beta1`) is served by no release we checked.
 */

/**
 * One `default:` of a CRD. `path` is dot-separated from the object's root; `[]` steps into every item of a list
 * (`spec.data[].remoteRef.x`). The API server sets it when the field is absent and its parent object is present.
 */
export interface CrdDefault {
  readonly path: string;
  readonly value: unknown;
}

/** What one custom kind's CRD promises at the release we checked. */
export interface CrdContract {
  /** The controller release (and where its CRD comes from) whose CRD was read. */
  readonly release: string;
  /**
   * Its `default:` values (empty when the CRD declares none on anything synth renders), or `unrecorded` when we
   * have not enumerated them: then only an Application that compares server-side may sync the kind.
   */
  readonly defaults: readonly CrdDefault[] | 'unrecorded';
}

/**
 * The versions whose CRDs and API types were read: Argo CD's release tag, and the Helm chart versions of the
 * add-ons (chart name -> version). A test compares them with what `argocd/` installs, so upgrading an add-on
 * without reading its new CRD fails.
 */
export const CHECKED_VERSIONS = {
  argoCd: 'v3.6.2',
  charts: {
    'external-secrets': '2.10.0',
    'dynamodb-chart': '1.5.2',
    'iam-chart': '1.6.1',
    'eks-chart': '1.22.0',
    // Its Chart.yaml (prometheus-community/helm-charts 4879317) has appVersion v0.88.0: Prometheus Operator v0.88.0.
    'kube-prometheus-stack': '81.4.5',
  },
} as const;

const { charts } = CHECKED_VERSIONS;

/** Releases checked, as the contracts and their messages name them. */
export const CHECKED_RELEASES = {
  externalSecrets: `External Secrets Operator v${charts['external-secrets']} (chart external-secrets ${charts['external-secrets']})`,
  argoCd: `Argo CD ${CHECKED_VERSIONS.argoCd}`,
  // No CRD of v0.88.0 itself is stored where we read: the PodMonitor fields synth renders have the same schema in
  // the CRDs of v0.85.0 (the chart's copy), v0.87.0 and v0.91.0 (the operator's); the PrometheusRule fields the
  // same in v0.76.0, v0.77.1, v0.78.2 and v0.82.2, the newest stored (prometheus-schemas.ts lists the facts).
  prometheusOperator: `Prometheus Operator v0.88.0 (chart kube-prometheus-stack ${charts['kube-prometheus-stack']}); CRDs read at v0.85.0, v0.87.0 and v0.91.0 (PodMonitor) and v0.76.0 to v0.82.2 (PrometheusRule)`,
  ackDynamodb: `ACK dynamodb-controller, dynamodb-chart ${charts['dynamodb-chart']}`,
  ackIam: `ACK iam-controller, iam-chart ${charts['iam-chart']}`,
  ackEks: `ACK eks-controller, eks-chart ${charts['eks-chart']}`,
  // The managed ACK's version is AWS's: the shape is the one AWS's capability pages show, and the CRD was read in
  // aws-controllers-k8s/runtime at the releases that spell the selector `names` (earlier ones: `name`).
  ackCapabilityRoleSelector:
    'EKS Capability for ACK (version managed by AWS): IAMRoleSelector as the EKS user guide shows it (ack-permissions, ack-concepts: spec.arn, spec.namespaceSelector.names); CRD iamroleselectors.services.k8s.aws of aws-controllers-k8s/runtime',
} as const;

/** `apiVersion/kind` -> its contract, for every custom kind synth may render. */
export const CRD_CONTRACTS: Readonly<Record<string, CrdContract>> = {
  'external-secrets.io/v1/ExternalSecret': {
    release: CHECKED_RELEASES.externalSecrets,
    // Since v2.9.0 the remote refs' conversionStrategy, decodingStrategy and metadataPolicy, and templateFrom's
    // valuesDecodingStrategy, have no default (external-secrets#6798); nullBytePolicy's default, new in v2.3.0,
    // was dropped before (#6453). What is left:
    defaults: [
      { path: 'spec.refreshInterval', value: '1h' },
      { path: 'spec.target', value: { creationPolicy: 'Owner', deletionPolicy: 'Retain' } },
      { path: 'spec.target.creationPolicy', value: 'Owner' },
      { path: 'spec.target.deletionPolicy', value: 'Retain' },
      { path: 'spec.target.template.engineVersion', value: 'v2' },
      { path: 'spec.target.template.mergePolicy', value: 'Replace' },
      { path: 'spec.target.template.templateFrom[].target', value: 'Data' },
      { path: 'spec.target.template.templateFrom[].configMap.items[].templateAs', value: 'Values' },
      { path: 'spec.target.template.templateFrom[].secret.items[].templateAs', value: 'Values' },
      { path: 'spec.dataFrom[].rewrite[].merge.into', value: '' },
      { path: 'spec.dataFrom[].rewrite[].merge.conflictPolicy', value: 'Error' },
      { path: 'spec.dataFrom[].rewrite[].merge.strategy', value: 'Extract' },
      { path: 'spec.dataFrom[].rewrite[].merge.priorityPolicy', value: 'Strict' },
      {
        path: 'spec.data[].sourceRef.generatorRef.apiVersion',
        value: 'generators.external-secrets.io/v1alpha1',
      },
      {
        path: 'spec.dataFrom[].sourceRef.generatorRef.apiVersion',
        value: 'generators.external-secrets.io/v1alpha1',
      },
    ],
  },
  // Argo CD's own kinds: their CRDs are large and we have not enumerated their defaults; the root app, the only
  // Application that syncs them, compares server-side.
  'argoproj.io/v1alpha1/Application': { release: CHECKED_RELEASES.argoCd, defaults: 'unrecorded' },
  'argoproj.io/v1alpha1/AppProject': { release: CHECKED_RELEASES.argoCd, defaults: 'unrecorded' },
  // PodMonitor and PrometheusRule: no field synth renders or could render (prometheus-schemas.ts) has a `default:`
  // in the CRDs read ("if empty, Prometheus uses its default": nothing is written into the object). The defaults
  // these CRDs do declare are on fields synth does not render: `relabelings[].action` and
  // `metricRelabelings[].action` (`replace`), and the `name` (`""`) of every Secret or ConfigMap key reference.
  'monitoring.coreos.com/v1/PodMonitor': { release: CHECKED_RELEASES.prometheusOperator, defaults: [] },
  'monitoring.coreos.com/v1/PrometheusRule': { release: CHECKED_RELEASES.prometheusOperator, defaults: [] },
  // ACK's code generator writes no `default:` into these CRDs (helm/crds of each controller); what a controller
  // fills in from AWS it writes as its own field manager, which server-side diff leaves alone.
  'dynamodb.services.k8s.aws/v1alpha1/Table': { release: CHECKED_RELEASES.ackDynamodb, defaults: [] },
  'iam.services.k8s.aws/v1alpha1/Role': { release: CHECKED_RELEASES.ackIam, defaults: [] },
  'eks.services.k8s.aws/v1alpha1/PodIdentityAssociation': { release: CHECKED_RELEASES.ackEks, defaults: [] },
  // The runtime's CRD (controller-gen from apis/core/v1alpha1/iam_role_selector.go) declares no `default:`: arn is
  // required, namespaceSelector requires names, nothing is filled in. Synced by an Application that compares
  // server-side like every other, so a default added by a later release would not drift either.
  'services.k8s.aws/v1alpha1/IAMRoleSelector': {
    release: CHECKED_RELEASES.ackCapabilityRoleSelector,
    defaults: [],
  },
};

/** Whether `apiVersion` belongs to a kind built into Kubernetes (core, `apps`, `*.k8s.io`, ...), not to a CRD. */
export function isBuiltIn(apiVersion: string): boolean {
  if (!apiVersion.includes('/')) return true;
  const group = apiVersion.split('/')[0] as string;
  return !group.includes('.') || group.endsWith('.k8s.io');
}
