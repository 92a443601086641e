// Our strict schema of the ExternalSecret synth renders, at the External Secrets release we pin.
import { z } from 'zod';
import { schemaProblems } from './ack-schemas';

/**
 * Strict schema of the External Secrets Operator `ExternalSecret` synth renders, at the API version the pinned
 * release serves (`external-secrets.io/v1`; ESO stopped serving `v1beta1` in v0.17.0). Written here from ESO's
 * own API types (`apis/externalsecrets/v1/externalsecret_types.go`) and CRD at the release named in
 * `crd-contracts.ts`; no upstream file is copied. `@kubernetes-models/external-secrets` 2.0 is not used: it is
 * generated from ESO 0.16.2, whose `v1` differs from the pinned release (enums, defaults, fields). Like the ACK
 * schemas it holds only the fields synth renders, with the CRD's names, enums, patterns and required fields, so
 * anything else is an error naming its JSON path.
 */

/** A DNS-1123 subdomain, the CRD's pattern for store and Secret names. */
const subdomain = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a DNS-1123 subdomain');

/** A Go duration as `metav1.Duration` parses it (e.g. `1h`, `2h30m`, `0`). */
const duration = z
  .string()
  .regex(/^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/, 'must be a Go duration such as "1h" or "30m"');

const metadata = z.strictObject({
  name: subdomain,
  namespace: z.string().min(1),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const spec = z.strictObject({
  refreshInterval: duration.optional(),
  secretStoreRef: z.strictObject({
    name: subdomain,
    kind: z.enum(['SecretStore', 'ClusterSecretStore']).optional(),
  }),
  target: z
    .strictObject({
      name: subdomain.optional(),
      creationPolicy: z.enum(['Owner', 'Orphan', 'Merge', 'None']).optional(),
      deletionPolicy: z.enum(['Delete', 'Merge', 'Retain']).optional(),
    })
    .optional(),
  data: z
    .array(
      z.strictObject({
        secretKey: z
          .string()
          .min(1)
          .max(253)
          .regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key (letters, digits, "-", "_", ".")'),
        remoteRef: z.strictObject({ key: z.string().min(1), property: z.string().min(1).optional() }),
      }),
    )
    .min(1),
});

/** `apiVersion/kind` -> schema of every External Secrets kind synth may render. */
export const EXTERNAL_SECRET_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'external-secrets.io/v1/ExternalSecret': z.strictObject({
    apiVersion: z.literal('external-secrets.io/v1'),
    kind: z.literal('ExternalSecret'),
    metadata,
    spec,
  }),
};

/** Problems of an External Secrets object, one line each; undefined when it is not a kind listed above. */
export function externalSecretProblems(obj: object): string[] | undefined {
  return schemaProblems(EXTERNAL_SECRET_SCHEMAS, obj);
}
