// What each cluster must run (controllers, CRDs) for an environment's rendered objects to work, derived from
// what was rendered.
import type { EnvironmentConfig } from '../config';
import type { K8sObject } from './k8s-object';

/** Something the cluster must run for an environment's rendered objects to work. */
export interface Prerequisite {
  /** Component name as `docs/production.md` lists it. */
  readonly component: string;
  /** API groups whose kinds only this component serves (their CRDs); a rendered kind of one needs it. */
  readonly groups: readonly string[];
  /** Whether an environment's render needs it. */
  needed(objects: readonly K8sObject[], environment: EnvironmentConfig): boolean;
}

const renders = (objects: readonly K8sObject[], kind: string) => objects.some((o) => o.kind === kind);

/** What the rendered environments assume of each target cluster (see docs/production.md). */
export const PREREQUISITES: readonly Prerequisite[] = [
  {
    component: 'Amazon VPC CNI with network policy enforcement',
    groups: [],
    needed: (o) => renders(o, 'NetworkPolicy'),
  },
  { component: 'metrics-server', groups: [], needed: (o) => renders(o, 'HorizontalPodAutoscaler') },
  {
    component: 'AWS Load Balancer Controller',
    groups: ['elbv2.k8s.aws'],
    needed: (o) => renders(o, 'Ingress'),
  },
  {
    component: 'EKS Pod Identity Agent',
    groups: [],
    needed: (_, env) => env.aws.identity === 'pod-identity',
  },
  {
    component: 'ACK DynamoDB controller',
    groups: ['dynamodb.services.k8s.aws'],
    needed: (o) => renders(o, 'Table'),
  },
  { component: 'ACK IAM controller', groups: ['iam.services.k8s.aws'], needed: (o) => renders(o, 'Role') },
  {
    component: 'ACK EKS controller',
    groups: ['eks.services.k8s.aws'],
    needed: (o) => renders(o, 'PodIdentityAssociation'),
  },
  {
    component: 'External Secrets Operator',
    groups: ['external-secrets.io'],
    needed: (o) => renders(o, 'ExternalSecret'),
  },
  {
    component: 'Prometheus Operator',
    groups: ['monitoring.coreos.com'],
    needed: (o) => renders(o, 'PodMonitor') || renders(o, 'PrometheusRule'),
  },
  { component: 'kube-state-metrics', groups: [], needed: (o) => renders(o, 'PrometheusRule') },
  {
    component: 'Grafana dashboard sidecar',
    groups: [],
    needed: (o) =>
      o.some((x) => (x.metadata.labels as Record<string, string> | undefined)?.grafana_dashboard),
  },
];

/** API groups every conformant Kubernetes cluster serves. */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'batch',
]);

/** The components one environment's render needs, and any rendered API group no prerequisite provides. */
export function prerequisitesOf(
  objects: readonly K8sObject[],
  environment: EnvironmentConfig,
): { components: string[]; unprovided: string[] } {
  const components = PREREQUISITES.filter((p) => p.needed(objects, environment)).map((p) => p.component);
  const provided = new Set(PREREQUISITES.flatMap((p) => p.groups));
  const groups = new Set(objects.map((o) => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '')));
  const unprovided = [...groups].filter(
    (g) => g !== undefined && !BUILT_IN_GROUPS.has(g) && !provided.has(g),
  );
  return { components, unprovided: unprovided as string[] };
}
