// Strict schemas of the ACK objects synth renders (tables, roles, Pod Identity associations), since no
// package ships them.
import { z } from 'zod';
import { nearest } from '../config';

/**
 * Strict schemas of the AWS Controllers for Kubernetes (ACK) objects synth renders, written for this
 * repository from ACK's API reference (dynamodb-controller `Table`, iam-controller `Role`, eks-controller
 * `PodIdentityAssociation`, all `v1alpha1`). No package ships them, and the CRDs are not copied here. They hold
 * only the fields synth renders (a subset of each CRD's spec, with the CRD's field names and required fields),
 * so a field outside them, misspelled or not, is an error naming its JSON path. The IAM policy documents inside a
 * Role (JSON strings) are parsed and checked too.
 */

const metadata = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 name'),
  namespace: z.string().min(1),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const awsTag = z.strictObject({ key: z.string().min(1).max(128), value: z.string().max(256) });
const tableName = z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name');

const tableSpec = z.strictObject({
  tableName,
  attributeDefinitions: z
    .array(z.strictObject({ attributeName: z.string().min(1), attributeType: z.enum(['S', 'N', 'B']) }))
    .min(1),
  keySchema: z
    .array(z.strictObject({ attributeName: z.string().min(1), keyType: z.enum(['HASH', 'RANGE']) }))
    .min(1)
    .max(2),
  billingMode: z.enum(['PAY_PER_REQUEST', 'PROVISIONED']).optional(),
  continuousBackups: z.strictObject({ pointInTimeRecoveryEnabled: z.boolean() }).optional(),
  sseSpecification: z
    .strictObject({
      enabled: z.boolean(),
      sseType: z.enum(['AES256', 'KMS']).optional(),
      kmsMasterKeyID: z.string().min(1).optional(),
    })
    .optional(),
  deletionProtectionEnabled: z.boolean().optional(),
  tableClass: z.enum(['STANDARD', 'STANDARD_INFREQUENT_ACCESS']).optional(),
  tags: z.array(awsTag).max(50).optional(),
});

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'must be a string or a non-empty list of strings',
});

/** An IAM policy document (identity or trust policy), as IAM's grammar allows the parts synth writes. */
const policyDocument = z.strictObject({
  Version: z.literal('2012-10-17'),
  Statement: z
    .array(
      z.strictObject({
        Sid: z
          .string()
          .regex(/^[A-Za-z0-9]+$/, 'must be letters and digits')
          .optional(),
        Effect: z.enum(['Allow', 'Deny']),
        Principal: z
          .strictObject({ Service: stringOrList.optional(), Federated: stringOrList.optional() })
          .optional(),
        Action: stringOrList,
        Resource: stringOrList.optional(),
        Condition: z.record(z.string(), z.record(z.string(), stringOrList)).optional(),
      }),
    )
    .min(1),
});

/** A JSON string holding a policy document; its own problems are reported below the string's path. */
const policyJson = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a JSON policy document (the text does not parse as JSON)',
    });
    return z.NEVER;
  }
});

const roleSpec = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9+=,.@_-]{1,64}$/, 'must be an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-)'),
  description: z.string().max(1000).optional(),
  path: z
    .string()
    .regex(/^\/([!-~]*\/)?$/, 'must be "/" or begin and end with "/"')
    .optional(),
  maxSessionDuration: z.number().int().min(3600).max(43200).optional(),
  permissionsBoundary: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:iam::[0-9]{12}:policy\/[A-Za-z0-9+=,.@_/-]{1,128}$/,
      'must be the ARN of a managed policy (arn:aws:iam::<12 digits>:policy/<name>)',
    )
    .optional(),
  assumeRolePolicyDocument: policyJson.pipe(policyDocument),
  inlinePolicies: z
    .record(
      z.string().regex(/^[A-Za-z0-9+=,.@_-]{1,128}$/, 'must be a policy name'),
      policyJson.pipe(policyDocument),
    )
    .optional(),
  tags: z.array(awsTag).max(50).optional(),
});

const podIdentityAssociationSpec = z.strictObject({
  clusterName: z.string().min(1),
  namespace: z.string().min(1),
  serviceAccount: z.string().min(1),
  roleARN: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]{1,64}$/, 'must be an IAM role ARN'),
  tags: z.record(z.string(), z.string()).optional(),
});

const object = <A extends string, K extends string, S extends z.ZodType>(apiVersion: A, kind: K, spec: S) =>
  z.strictObject({ apiVersion: z.literal(apiVersion), kind: z.literal(kind), metadata, spec });

/** `apiVersion/kind` -> schema of every ACK kind synth may render. */
export const ACK_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'dynamodb.services.k8s.aws/v1alpha1/Table': object(
    'dynamodb.services.k8s.aws/v1alpha1',
    'Table',
    tableSpec,
  ),
  'iam.services.k8s.aws/v1alpha1/Role': object('iam.services.k8s.aws/v1alpha1', 'Role', roleSpec),
  'eks.services.k8s.aws/v1alpha1/PodIdentityAssociation': object(
    'eks.services.k8s.aws/v1alpha1',
    'PodIdentityAssociation',
    podIdentityAssociationSpec,
  ),
};

/**
 * Problems of an ACK object against its schema, one line each: `<json pointer>: unknown field` (with the nearest
 * known field when one is close) or `<json pointer> <message>`. Undefined when the kind is not an ACK kind.
 */
export function ackProblems(obj: object): string[] | undefined {
  return schemaProblems(ACK_SCHEMAS, obj);
}

/**
 * Problems of `obj` against the schema its `apiVersion/kind` has in `schemas` (our own zod schemas of CRD kinds),
 * in the same one-line form as `ackProblems`. Undefined when `schemas` has no entry for the kind.
 */
export function schemaProblems(
  schemas: Readonly<Record<string, z.ZodType>>,
  obj: object,
): string[] | undefined {
  const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
  const schema = schemas[`${String(apiVersion)}/${String(kind)}`];
  if (!schema) return undefined;
  const result = schema.safeParse(obj);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => {
    const at = pointer(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, issue.path);
      return issue.keys.map((key) => {
        const hint = nearest(key, known);
        return `${at}/${escapePointer(key)}: unknown field${hint ? `; did you mean "${hint}"?` : ''}`;
      });
    }
    const missing = issue.path.length > 0 && valueAt(obj, issue.path) === undefined;
    return [`${at === '' ? '(root)' : at} ${missing ? 'is required' : issue.message}`];
  });
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const segment of path) {
    // A policy document is a JSON string; its issues have paths into the parsed document.
    if (typeof current === 'string') {
      try {
        current = JSON.parse(current) as unknown;
      } catch {
        return undefined;
      }
    }
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function pointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${escapePointer(String(p))}`).join('');
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Keys of the object schema at `path` (for "did you mean"). */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = schema;
  for (const segment of path) {
    s = unwrap(s);
    if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else if (s instanceof z.ZodObject) s = s.shape[String(segment)] as z.ZodType | undefined;
    else s = undefined;
  }
  s = unwrap(s);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.out as z.ZodType;
    else return s;
  }
}
