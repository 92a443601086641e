/**
 * The kinds synth may render, each with the `kubernetes-models` (or `@kubernetes-models/argo-cd`) module whose
 * model validates it and whose declared interface lists its fields. Adding a kind: one line here, its model in
 * `schema-gate.ts`, then `npx tsx synth/src/render/known-fields-generate.ts` to refresh `known-fields.json`.
 * Not here: the ACK, External Secrets and Prometheus Operator kinds, validated by schemas of our own
 * (ack-schemas.ts, iam-role-selector-schema.ts, external-secret-schema.ts, prometheus-schemas.ts) written for the
 * releases we pin.
 */
export const SCHEMA_KINDS: Readonly<Record<string, { readonly module: string; readonly type: string }>> = {
  'v1/Namespace': { module: 'kubernetes-models/v1/Namespace', type: 'INamespace' },
  'v1/ServiceAccount': { module: 'kubernetes-models/v1/ServiceAccount', type: 'IServiceAccount' },
  'v1/ConfigMap': { module: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
  'v1/Secret': { module: 'kubernetes-models/v1/Secret', type: 'ISecret' },
  'v1/Service': { module: 'kubernetes-models/v1/Service', type: 'IService' },
  'apps/v1/Deployment': { module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    type: 'IHorizontalPodAutoscaler',
  },
  'policy/v1/PodDisruptionBudget': {
    module: 'kubernetes-models/policy/v1/PodDisruptionBudget',
    type: 'IPodDisruptionBudget',
  },
  'networking.k8s.io/v1/NetworkPolicy': {
    module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
    type: 'INetworkPolicy',
  },
  'networking.k8s.io/v1/Ingress': {
    module: 'kubernetes-models/networking.k8s.io/v1/Ingress',
    type: 'IIngress',
  },
  // Only in `npm run status -- --rbac` (charts/cluster-reader.ts), never in dist/.
  'rbac.authorization.k8s.io/v1/Role': {
    module: 'kubernetes-models/rbac.authorization.k8s.io/v1/Role',
    type: 'IRole',
  },
  'rbac.authorization.k8s.io/v1/RoleBinding': {
    module: 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding',
    type: 'IRoleBinding',
  },
  'argoproj.io/v1alpha1/Application': {
    module: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application',
    type: 'IApplication',
  },
  'argoproj.io/v1alpha1/AppProject': {
    module: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject',
    type: 'IAppProject',
  },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': {
    module: 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy',
    type: 'IValidatingAdmissionPolicy',
  },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': {
    module: 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding',
    type: 'IValidatingAdmissionPolicyBinding',
  },
};
