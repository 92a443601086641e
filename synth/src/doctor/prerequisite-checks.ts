// The exact `kubectl` / `aws` command that shows whether one prerequisite of docs/production.md is in place on
// an environment's cluster, with that environment's names filled in, and what its output must show.
import type { K8sObject } from '../charts';

/** Where an environment runs, as far as the repository knows it. */
export interface CheckTarget {
  /** kubectl context (`aws eks update-kubeconfig --alias <entry>`); undefined: the current context. */
  readonly context?: string;
  /** EKS cluster name and region from the cluster entry; undefined without one. */
  readonly eksClusterName?: string;
  readonly region: string;
  readonly namespace: string;
  /** The environment's rendered objects (API versions, names of stores and secrets). */
  readonly objects: readonly K8sObject[];
}

/** A command to run and what its output must show. */
export interface Check {
  readonly command: string;
  readonly expect: string;
}

/** Why the render needs each component (docs/production.md, "Cluster prerequisites"), in one clause. */
export const WHY_NEEDED: Readonly<Record<string, string>> = {
  'Amazon VPC CNI with network policy enforcement':
    'every environment is default-deny; without enforcement its NetworkPolicy is silently ignored',
  'metrics-server': 'the HorizontalPodAutoscaler scales on CPU; without it the HPA never scales',
  'AWS Load Balancer Controller': 'the Ingress is an ALB; without the controller no load balancer is made',
  'EKS Pod Identity Agent': 'with aws.identity pod-identity the pods get AWS credentials only from the agent',
  'ACK DynamoDB controller':
    'the tables are ACK Table objects; without the CRD the sync fails at its first wave',
  'ACK IAM controller': 'the role is an ACK Role object; without the CRD the sync fails',
  'ACK EKS controller': 'the Pod Identity association is an ACK object; without the CRD the sync fails',
  'External Secrets Operator':
    'the tokens Secret is an ExternalSecret; without the operator serving its version the pods never start',
  'Prometheus Operator': 'the PodMonitor and PrometheusRule need its CRDs; without them the sync fails',
  'kube-state-metrics': 'the pods-not-ready and crash-loop alerts read kube_pod_* series',
  'Grafana dashboard sidecar':
    'the dashboard ConfigMap is only picked up by a sidecar watching all namespaces',
};

const kubectl = (t: CheckTarget, args: string) =>
  `kubectl${t.context === undefined ? '' : ` --context ${t.context}`} ${args}`;

const objectOf = (t: CheckTarget, kind: string) => t.objects.find((o) => o.kind === kind);

/** The setup line that creates the context the other commands name: one per cluster entry. */
export function kubeconfigCommand(context: string, eksClusterName: string, region: string): string {
  return `aws eks update-kubeconfig --region ${region} --name ${eksClusterName} --alias ${context}`;
}

/** The check of one component (a name of `PREREQUISITES` in synth/src/charts/prerequisites.ts). */
export function prerequisiteCheck(component: string, t: CheckTarget): Check | undefined {
  switch (component) {
    case 'Amazon VPC CNI with network policy enforcement':
      // The add-on's enableNetworkPolicy becomes this argument of the network policy agent in aws-node.
      return {
        command: kubectl(
          t,
          "-n kube-system get daemonset aws-node -o jsonpath='{.spec.template.spec.containers[*].args}'",
        ),
        expect: 'the output contains --enable-network-policy=true',
      };
    case 'metrics-server':
      return {
        command: kubectl(
          t,
          `get apiservice v1beta1.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type=="Available")].status}'`,
        ),
        expect: 'True',
      };
    case 'AWS Load Balancer Controller':
      return {
        command: kubectl(t, 'get ingressclass alb -o jsonpath={.spec.controller}'),
        expect: 'ingress.k8s.aws/alb',
      };
    case 'EKS Pod Identity Agent':
      return t.eksClusterName === undefined
        ? {
            command: kubectl(t, '-n kube-system get daemonset eks-pod-identity-agent'),
            expect: 'READY equals DESIRED',
          }
        : {
            command: `aws eks describe-addon --region ${t.region} --cluster-name ${t.eksClusterName} --addon-name eks-pod-identity-agent --query addon.status --output text`,
            expect: 'ACTIVE',
          };
    case 'ACK DynamoDB controller':
      return crdCheck(t, 'tables.dynamodb.services.k8s.aws', objectOf(t, 'Table'));
    case 'ACK IAM controller':
      return crdCheck(t, 'roles.iam.services.k8s.aws', objectOf(t, 'Role'));
    case 'ACK EKS controller':
      return crdCheck(
        t,
        'podidentityassociations.eks.services.k8s.aws',
        objectOf(t, 'PodIdentityAssociation'),
      );
    case 'External Secrets Operator':
      return crdCheck(t, 'externalsecrets.external-secrets.io', objectOf(t, 'ExternalSecret'));
    case 'Prometheus Operator':
      return crdCheck(t, 'podmonitors.monitoring.coreos.com', objectOf(t, 'PodMonitor'));
    case 'kube-state-metrics':
      return {
        command: kubectl(t, 'get pods -A -l app.kubernetes.io/name=kube-state-metrics'),
        expect: 'a Running pod',
      };
    case 'Grafana dashboard sidecar':
      // kube-prometheus-stack's Grafana runs the sidecar with NAMESPACE=ALL when searchNamespace is ALL.
      return {
        command: kubectl(
          t,
          `get deployments -A -l app.kubernetes.io/name=grafana -o jsonpath='{..env[?(@.name=="NAMESPACE")].value}'`,
        ),
        expect: 'ALL',
      };
    default:
      return undefined;
  }
}

/** The CRD serves the API version the render uses (e.g. ExternalSecret `v1`): otherwise the sync fails. */
function crdCheck(t: CheckTarget, crd: string, rendered: K8sObject | undefined): Check {
  const version = rendered?.apiVersion.split('/')[1];
  return {
    command: kubectl(t, `get crd ${crd} -o jsonpath='{.spec.versions[?(@.served==true)].name}'`),
    expect: version === undefined ? 'the CRD exists' : `the served versions include ${version}`,
  };
}

/** The ClusterSecretStore an ExternalSecret reads through is ready. */
export function secretStoreCheck(t: CheckTarget): Check | undefined {
  const store = (objectOf(t, 'ExternalSecret')?.spec as { secretStoreRef?: { name?: string } } | undefined)
    ?.secretStoreRef?.name;
  if (store === undefined) return undefined;
  return {
    command: kubectl(
      t,
      `get clustersecretstore ${store} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`,
    ),
    expect: 'True',
  };
}

/** The Secrets Manager secrets the ExternalSecret reads exist in the environment's region. */
export function remoteSecretKeys(t: CheckTarget): string[] {
  const data = (
    objectOf(t, 'ExternalSecret')?.spec as { data?: { remoteRef?: { key?: string } }[] } | undefined
  )?.data;
  return (data ?? []).map((d) => d.remoteRef?.key).filter((k): k is string => k !== undefined);
}
