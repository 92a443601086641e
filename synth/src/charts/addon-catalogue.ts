/**
 * What each cluster add-on is: its upstream Helm chart (registry and name), the namespace it runs in, and the values
 * we install it with. Every behaviour the rendered environments rely on is written in the values explicitly, so a
 * chart upgrade that changes a default cannot change it (e.g. the ACK IAM chart turns ResourceAdoption on by
 * default from 1.5.0). The versions are not here: each cluster entry pins its own (`addons` in
 * environments/clusters/<name>.yaml). Chart values were read from the upstream charts named in docs/production.md.
 */
import type { AckController, AddonName, ClusterEntry } from '../config';
import { PERMISSIONS_BOUNDARY_POLICY } from './aws-resources';

/** ACK's public chart registry (Amazon ECR Public, OCI; Argo CD reads it through the repository Secret in argocd/). */
export const ACK_CHART_REGISTRY = 'public.ecr.aws/aws-controllers-k8s';

/** Namespace of the ACK controllers (their Pod Identity trust policies in argocd/ack/iam/ name it). */
export const ACK_NAMESPACE = 'ack-system';

/** One installable add-on. */
export interface AddonChart {
  /** Short name used in the Application's name: `addon-<cluster>-<id>`. */
  readonly id: string;
  /** Helm repository URL (or OCI registry host/path without a scheme, as Argo CD spells it). */
  readonly repoURL: string;
  /** Chart name in that repository. */
  readonly chart: string;
  /** Helm release name. */
  readonly releaseName: string;
  /** Namespace it is installed into (created by Argo CD when missing). */
  readonly namespace: string;
  /** Helm values for this cluster. */
  values(cluster: ClusterEntry): Record<string, unknown>;
}

/** The values every ACK controller gets; `adoption` only where an environment may adopt (the tables). */
function ackValues(controller: AckController, cluster: ClusterEntry, adoption: boolean) {
  return {
    aws: { region: cluster.region },
    installScope: 'cluster',
    serviceAccount: { create: true, name: `ack-${controller}-controller` },
    // An object without the services.k8s.aws/deletion-policy annotation keeps its AWS resource: deleting an
    // object never deletes data unless synth rendered "delete" on it (the tables of unprotected environments).
    deletionPolicy: 'retain',
    featureGates: {
      // Written either way: the charts' defaults differ by version (IAM 1.5.0+ turns it on). Only the DynamoDB
      // controller may adopt (dynamodb.adopt in an environment file); the IAM controller must never take over an
      // existing role of the account, nor the EKS controller an association.
      ResourceAdoption: adoption,
    },
    leaderElection: { enabled: false },
  };
}

/** The three ACK controllers, by controller. */
export const ACK_CHARTS: Readonly<Record<AckController, AddonChart>> = {
  dynamodb: {
    id: 'ack-dynamodb',
    repoURL: ACK_CHART_REGISTRY,
    chart: 'dynamodb-chart',
    releaseName: 'ack-dynamodb-controller',
    namespace: ACK_NAMESPACE,
    values: (c) => ackValues('dynamodb', c, true),
  },
  iam: {
    id: 'ack-iam',
    repoURL: ACK_CHART_REGISTRY,
    chart: 'iam-chart',
    releaseName: 'ack-iam-controller',
    namespace: ACK_NAMESPACE,
    values: (c) => ackValues('iam', c, false),
  },
  eks: {
    id: 'ack-eks',
    repoURL: ACK_CHART_REGISTRY,
    chart: 'eks-chart',
    releaseName: 'ack-eks-controller',
    namespace: ACK_NAMESPACE,
    values: (c) => ackValues('eks', c, false),
  },
};

/** The other add-ons, by their key in a cluster entry. */
export const ADDON_CHARTS: Readonly<Record<AddonName, AddonChart>> = {
  externalSecrets: {
    id: 'external-secrets',
    repoURL: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    releaseName: 'external-secrets',
    namespace: 'external-secrets',
    // The CRDs come with the chart; the environments' ExternalSecrets name a ClusterSecretStore made once per
    // cluster (docs/production.md).
    values: () => ({ installCRDs: true, serviceAccount: { create: true, name: 'external-secrets' } }),
  },
  awsLoadBalancerController: {
    id: 'aws-load-balancer-controller',
    repoURL: 'https://aws.github.io/eks-charts',
    chart: 'aws-load-balancer-controller',
    releaseName: 'aws-load-balancer-controller',
    namespace: 'kube-system',
    values: (c) => ({
      clusterName: c.eksClusterName,
      region: c.region,
      serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
      // The environments' Ingresses use the class "alb" (ingressClassName) and IngressGroups.
      createIngressClassResource: true,
      ingressClass: 'alb',
    }),
  },
  prometheusOperator: {
    id: 'kube-prometheus-stack',
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    releaseName: 'kube-prometheus-stack',
    namespace: 'monitoring',
    // Prometheus must find each environment's PodMonitor and PrometheusRule (labelled release:
    // kube-prometheus-stack, monitoring.ruleLabels) in every namespace, and Grafana its dashboard ConfigMap.
    values: () => {
      const release = { matchLabels: { release: 'kube-prometheus-stack' } };
      return {
        prometheus: {
          prometheusSpec: {
            podMonitorSelectorNilUsesHelmValues: false,
            ruleSelectorNilUsesHelmValues: false,
            podMonitorSelector: release,
            podMonitorNamespaceSelector: {},
            ruleSelector: release,
            ruleNamespaceSelector: {},
          },
        },
        kubeStateMetrics: { enabled: true },
        grafana: {
          sidecar: {
            dashboards: {
              enabled: true,
              label: 'grafana_dashboard',
              labelValue: '1',
              searchNamespace: 'ALL',
            },
          },
        },
      };
    },
  },
  metricsServer: {
    id: 'metrics-server',
    repoURL: 'https://kubernetes-sigs.github.io/metrics-server',
    chart: 'metrics-server',
    releaseName: 'metrics-server',
    namespace: 'kube-system',
    values: () => ({ apiService: { create: true } }),
  },
};

/** Name of the boundary policy the IAM controller may attach (for the admission policy and docs). */
export const IAM_BOUNDARY_POLICY = PERMISSIONS_BOUNDARY_POLICY;
