// Our strict schema of the IAMRoleSelector synth renders for a hub running the managed ACK of EKS Capabilities.
import { z } from 'zod';
import { schemaProblems } from './ack-schemas';

/**
 * Strict schema of ACK's cluster-scoped `IAMRoleSelector` (`services.k8s.aws/v1alpha1`) in the shape AWS's
 * capability pages show ("Configure ACK permissions" and "ACK concepts" of the EKS user guide: `spec.arn` and
 * `spec.namespaceSelector.names`), since the capability's version is AWS's. Written here from those pages and
 * from aws-controllers-k8s/runtime (`apis/core/v1alpha1/iam_role_selector.go`, the CRD
 * `config/crd/bases/services.k8s.aws_iamroleselectors.yaml`, `pkg/runtime/iamroleselector/matcher.go`); no
 * upstream file is copied. Only what synth renders: no `labelSelector`, no `resourceTypeSelector`, no
 * `resourceLabelSelector`. `names` is required: earlier runtime releases spelled it `name`, which this refuses
 * (did you mean), so an object in the older shape is caught here rather than matching every namespace there (the
 * runtime reads a selector without names as one for all namespaces). Exactly one name: a selector per hub
 * namespace, so no two selectors match one namespace (two matches are a conflict the runtime refuses).
 */

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a namespace name (DNS-1123 label)');

const selectorSpec = z.strictObject({
  arn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]{1,64}$/,
      'must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)',
    ),
  namespaceSelector: z.strictObject({
    names: z.array(dnsLabel).length(1, 'must name exactly one namespace'),
  }),
});

/** `apiVersion/kind` -> schema of the selector (cluster-scoped: its metadata has no namespace). */
export const IAM_ROLE_SELECTOR_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'services.k8s.aws/v1alpha1/IAMRoleSelector': z.strictObject({
    apiVersion: z.literal('services.k8s.aws/v1alpha1'),
    kind: z.literal('IAMRoleSelector'),
    metadata: z.strictObject({
      name: dnsLabel,
      labels: z.record(z.string(), z.string()).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    }),
    spec: selectorSpec,
  }),
};

/** Problems of a selector against its schema, one line each; undefined when `obj` is not a selector. */
export function iamRoleSelectorProblems(obj: object): string[] | undefined {
  return schemaProblems(IAM_ROLE_SELECTOR_SCHEMAS, obj);
}
