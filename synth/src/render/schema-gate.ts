// The schema gate: validates each rendered object against its Kubernetes or CRD OpenAPI schema, unknown
// fields included.
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { K8sObject } from '../charts/k8s-object';
import { ackProblems } from './ack-schemas';
import { externalSecretProblems } from './external-secret-schema';
import { iamRoleSelectorProblems } from './iam-role-selector-schema';
import { unknownFields } from './known-fields';
import { prometheusProblems } from './prometheus-schemas';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

// Only these models are imported, so the bundle parses a dozen compiled schemas instead of all of Kubernetes.
// The keys are those of SCHEMA_KINDS (a test keeps them equal).
export const MODELS: Readonly<Record<string, ModelClass>> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'argoproj.io/v1alpha1/Application': Application,
  'argoproj.io/v1alpha1/AppProject': AppProject,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': ValidatingAdmissionPolicy,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': ValidatingAdmissionPolicyBinding,
};

interface AjvLikeError {
  readonly instancePath?: string;
  readonly message?: string;
}

/**
 * Validates one object against its Kubernetes (or Argo CD CRD) OpenAPI schema, and strictly: a field its kind
 * does not declare is a problem too (like `kubeconform -strict`). Returns readable problems, one per line.
 */
export function validateSchema(obj: K8sObject): string[] {
  // ACK, External Secrets and Prometheus Operator kinds: no package ships schemas of the releases we pin; ours
  // (ack-schemas.ts, iam-role-selector-schema.ts, external-secret-schema.ts, prometheus-schemas.ts) are strict on
  // every field.
  const own = ownSchemaProblems(obj);
  if (own !== undefined) return own;
  return [...openApiProblems(obj), ...unknownFields(obj)];
}

/** Problems against one of our own schemas; undefined when the kind has none (then the model packages check it). */
export function ownSchemaProblems(obj: object): string[] | undefined {
  return (
    ackProblems(obj) ?? iamRoleSelectorProblems(obj) ?? externalSecretProblems(obj) ?? prometheusProblems(obj)
  );
}

function openApiProblems(obj: K8sObject): string[] {
  const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (!Model) {
    return [
      `no schema known for apiVersion "${obj.apiVersion}" kind "${obj.kind}" (add it to schema-kinds.ts and schema-gate.ts)`,
    ];
  }
  try {
    // The models' public API: a model built from the data, validated by its compiled OpenAPI validator.
    new Model(obj as never).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: AjvLikeError[] }).errors;
    if (!Array.isArray(errors)) return [String((error as Error).message)];
    return errors.map(
      (e) => `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? 'is invalid'}`,
    );
  }
}
