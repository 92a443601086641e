// The environment file's schema: every key, its rules and defaults, and the typed EnvironmentConfig the rest
// of synth reads.
import { z } from 'zod';
import { DIGEST_PATTERN, REPOSITORY_PATTERN, TAG_PATTERN } from '../domain/image-ref';
import type { ClusterEntry } from './cluster-schema';
import { monitoringSchema } from './monitoring';
import { cidrSchema, schedulingSchema, shutdownSchema, tokensSchema } from './production';
import { VerificationSchema } from './verification';

/** Policy rule ids that an environment may waive (with a written reason). */
export const RULE_IDS = [
  'pod-security-restricted',
  'probes',
  'resources',
  'image-tag',
  'image-digest',
  'selectors',
  'hpa',
  'pdb',
  'no-aws-keys',
  'network-policy',
  'identity-egress',
  'referenced-objects',
  'source-ranges',
  'shutdown-timing',
  'tokens-over-https',
  'aws-least-privilege',
  'aws-trust',
  'aws-retain',
  'aws-own-resources',
] as const;

/** One policy rule id. */
export type RuleId = (typeof RULE_IDS)[number];

/** Defaults that do not depend on the environment name; written once, here. */
export const DEFAULTS = {
  imageRepository: 'registry.example.com/guestlist',
  replicas: 2,
  autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 70 },
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { memory: '256Mi' },
  region: 'eu-west-1',
  identity: 'irsa',
  ingressScheme: 'internal',
  sync: { automated: true, prune: true, selfHeal: true },
  // Semantic versions (optionally v-prefixed, with a pre-release) or CI's sha-<commit> tags.
  allowedTags: '^(v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?|sha-[0-9a-f]{7,40})$',
  tokensSecretName: 'guestlist-api-tokens',
  logLevel: 'info',
} as const;

const dnsLabel = z
  .string()
  .regex(
    /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/,
    'must be a DNS label: lowercase letters, digits and "-", 1-40 characters',
  );
// The forms cdk8s-plus' Cpu and Size can express exactly (see charts/container-resources.ts); plus writes memory in Mi.
const cpuQuantity = z
  .string()
  .regex(
    /^([1-9][0-9]*m|[1-9][0-9]*(\.[0-9]{1,3})?|0\.[0-9]{0,2}[1-9])$/,
    'must be CPU in millicores such as 250m, or in cores such as 0.5 or 2',
  );
const memoryQuantity = z
  .string()
  .regex(/^[1-9][0-9]*(Mi|Gi)$/, 'must be a whole number of Mi or Gi such as 128Mi or 1Gi');
const cpuTarget = z.number().int().min(1).max(100);

const cluster = dnsLabel.describe(
  'Cluster entry environments/clusters/<cluster>.yaml: how Argo CD reaches the cluster, its AWS account, region, EKS cluster, identity provider and add-ons',
);

const image = z
  .strictObject({
    repository: z
      .string()
      .regex(REPOSITORY_PATTERN, 'must be an image repository without tag')
      .default(DEFAULTS.imageRepository),
    tag: z
      .string()
      .regex(TAG_PATTERN, 'must be a valid image tag')
      .describe('Image tag, checked against imagePolicy.allowedTags; "latest" is never allowed'),
    digest: z
      .string()
      .regex(DIGEST_PATTERN, 'must be "sha256:" followed by 64 lowercase hex digits')
      .optional()
      .describe('Image digest; when set, the pod pins the image by digest'),
  })
  .describe('Container image');

const autoscaling = z
  .strictObject({
    enabled: z.boolean().default(DEFAULTS.autoscaling.enabled),
    minReplicas: z.number().int().min(1).default(DEFAULTS.autoscaling.minReplicas),
    maxReplicas: z.number().int().min(1).default(DEFAULTS.autoscaling.maxReplicas),
    targetCPUUtilizationPercentage: cpuTarget.default(DEFAULTS.autoscaling.targetCPUUtilizationPercentage),
  })
  .superRefine((a, ctx) => {
    // cdk8s-plus refuses such an HPA while the chart is built; say it here, with the file position.
    if (a.enabled && a.minReplicas > a.maxReplicas) {
      ctx.addIssue({
        code: 'custom',
        path: ['minReplicas'],
        message: `must be at most autoscaling.maxReplicas (${a.maxReplicas})`,
      });
    }
  })
  .default({ ...DEFAULTS.autoscaling })
  .describe('HorizontalPodAutoscaler; when enabled it owns the replica count');

const resources = z
  .strictObject({
    requests: z
      .strictObject({
        cpu: cpuQuantity.default(DEFAULTS.requests.cpu),
        memory: memoryQuantity.default(DEFAULTS.requests.memory),
      })
      .default({ ...DEFAULTS.requests }),
    limits: z
      .strictObject({ cpu: cpuQuantity.optional(), memory: memoryQuantity.default(DEFAULTS.limits.memory) })
      .default({ ...DEFAULTS.limits }),
  })
  .default({ requests: { ...DEFAULTS.requests }, limits: { ...DEFAULTS.limits } })
  .describe('Container resources (memory limit always set; CPU limit optional); memory is written in Mi');

const dynamodb = z
  .strictObject({
    table: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)')
      .optional()
      .describe('Table name; default GuestList-<name>'),
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/, 'must be an AWS region such as eu-west-1')
      .default(DEFAULTS.region),
    adopt: z
      .boolean()
      .default(false)
      .describe(
        'Adopt existing tables of these names (ACK adoption policy adopt-or-create) instead of failing to create them; see docs/aws-resources.md',
      ),
  })
  .default({ region: DEFAULTS.region, adopt: false })
  .describe(
    'The guests table (key seq_num) and its guard table <table>-guards (key pk), rendered as ACK Tables',
  );

const aws = z
  .strictObject({
    roleArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]{1,64}$/,
        'must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)',
      )
      .optional()
      .describe(
        "An existing IAM role to use; default: the role synth renders, guestlist-<name> in the cluster entry's account",
      ),
    identity: z
      .enum(['irsa', 'pod-identity'])
      .default(DEFAULTS.identity)
      .describe(
        'irsa: role-arn annotation on the ServiceAccount; pod-identity: a rendered EKS Pod Identity association',
      ),
  })
  .default({ identity: DEFAULTS.identity })
  .describe('AWS identity of the pods; static keys are never accepted');

const ingress = z
  .strictObject({
    enabled: z.boolean().default(false),
    host: z
      .string()
      .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a DNS host name')
      .optional(),
    certificateArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate\/[A-Za-z0-9-]+$/,
        'must be an ACM certificate ARN',
      )
      .optional(),
    scheme: z.enum(['internet-facing', 'internal']).default(DEFAULTS.ingressScheme),
    sourceCidrs: z
      .array(cidrSchema)
      .min(1)
      .optional()
      .describe(
        "CIDRs of the ALB's subnets: the only sources the NetworkPolicy admits to the API port (no default)",
      ),
    group: z
      .string()
      .regex(
        /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/,
        'must be an ALB group name (lowercase letters, digits, "-" and ".")',
      )
      .optional()
      .describe(
        'ALB group (alb.ingress.kubernetes.io/group.name): environments in one group share one load balancer',
      ),
  })
  .superRefine((i, ctx) => {
    if (i.enabled && i.host === undefined) {
      ctx.addIssue({ code: 'custom', path: ['host'], message: 'is required when ingress.enabled is true' });
    }
    if (i.enabled && i.scheme === 'internet-facing' && i.certificateArn === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['certificateArn'],
        message: 'is required when ingress.scheme is "internet-facing" (HTTPS only on the internet)',
      });
    }
    if (i.enabled && i.sourceCidrs === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['sourceCidrs'],
        message:
          "is required when ingress.enabled is true (the CIDRs of the ALB's subnets; there is no default)",
      });
    }
  })
  .default({ enabled: false, scheme: DEFAULTS.ingressScheme })
  .describe('Optional AWS ALB ingress');

const sync = z
  .strictObject({
    automated: z.boolean().default(DEFAULTS.sync.automated),
    prune: z.boolean().default(DEFAULTS.sync.prune),
    selfHeal: z.boolean().default(DEFAULTS.sync.selfHeal),
  })
  .default({ ...DEFAULTS.sync })
  .describe('Argo CD sync policy');

const imagePolicy = z
  .strictObject({
    allowedTags: z
      .string()
      .refine(
        (s) => {
          try {
            new RegExp(s);
            return true;
          } catch {
            return false;
          }
        },
        { message: 'must be a valid regular expression' },
      )
      .default(DEFAULTS.allowedTags),
    requireDigest: z.boolean().default(false),
  })
  .default({ allowedTags: DEFAULTS.allowedTags, requireDigest: false })
  .describe('Which image references this environment accepts');

const waiver = z.strictObject({
  rule: z.enum(RULE_IDS),
  reason: z.string().trim().min(1, 'must be a written reason (non-empty)'),
});

/** The zod schema of one environment file (input: what a file may hold). */
export const EnvironmentFileSchema = z
  .strictObject({
    name: dnsLabel.describe('Environment name; must equal the file name'),
    cluster,
    namespace: z
      .string()
      .regex(
        /^guestlist-[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/,
        'must be "guestlist-" then a DNS label: the Argo CD project deploys only to namespaces guestlist-*',
      )
      .optional()
      .describe('Namespace; default guestlist-<name>; always guestlist-<something>'),
    image,
    replicas: z
      .number()
      .int()
      .min(1)
      .default(DEFAULTS.replicas)
      .describe('Used only when autoscaling is disabled'),
    autoscaling,
    resources,
    dynamodb,
    aws,
    ingress,
    sync,
    promotion: z
      .strictObject({ from: dnsLabel.describe('Environment this one is promoted from') })
      .optional()
      .describe('Promotion source'),
    imagePolicy,
    auth: z
      .strictObject({
        required: z.boolean().default(false),
        tokensSecretName: dnsLabel.default(DEFAULTS.tokensSecretName),
        tokens: tokensSchema,
      })
      .default({
        required: false,
        tokensSecretName: DEFAULTS.tokensSecretName,
        tokens: { from: 'secrets-manager', secretStore: 'aws-secrets-manager' },
      })
      .describe('Bearer tokens, mounted from a Secret as a file'),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default(DEFAULTS.logLevel),
    shutdown: shutdownSchema,
    scheduling: schedulingSchema,
    monitoring: monitoringSchema,
    verification: VerificationSchema.optional(),
    protected: z
      .boolean()
      .default(false)
      .describe(
        'A protected environment is removed (its dist/ folder and Argo CD Application) only with synth --allow-remove <name>',
      ),
    pin: z
      .strictObject({
        reason: z.string().trim().min(1, 'must be a written reason (non-empty)'),
        since: z.string().optional().describe('When the pin was set (ISO 8601)'),
      })
      .optional()
      .describe(
        'Written by npm run pin / rollback: bump and promote refuse this environment until npm run unpin',
      ),
    waivers: z
      .array(waiver)
      .default([])
      .describe('Policy rules waived for this environment, each with a reason'),
  })
  .describe('One environment: only what differs from the defaults');

/** An environment file as written (optional keys). */
export type EnvironmentFile = z.input<typeof EnvironmentFileSchema>;

type Parsed = z.output<typeof EnvironmentFileSchema>;

/** An environment with every default applied (all keys present). */
export type EnvironmentConfig = Omit<Parsed, 'namespace' | 'dynamodb'> & {
  readonly namespace: string;
  readonly dynamodb: { readonly table: string; readonly region: string; readonly adopt: boolean };
  /** The cluster entry the `cluster` key names: always set by `loadEnvironments` (not by a one-file check). */
  readonly clusterEntry?: ClusterEntry;
  /**
   * The hub whose ACK manages this environment's AWS resources, when its cluster entry says `addons.ack: { hub }`
   * (set by `loadEnvironments`): the ACK objects then render into `dist/<env>-aws/` for that cluster.
   */
  readonly ackHub?: ClusterEntry;
  /** Path of the source file as shown in messages, e.g. `environments/dev.yaml`. */
  readonly source: string;
};

/** Applies the defaults that depend on the environment name. */
export function resolveDefaults(parsed: Parsed, source: string): EnvironmentConfig {
  return {
    ...parsed,
    namespace: parsed.namespace ?? `guestlist-${parsed.name}`,
    dynamodb: {
      table: parsed.dynamodb.table ?? `GuestList-${parsed.name}`,
      region: parsed.dynamodb.region,
      adopt: parsed.dynamodb.adopt,
    },
    source,
  };
}

let jsonSchema: Readonly<Record<string, unknown>> | undefined;

/**
 * JSON Schema of an environment file, for editor completion (`environments/schema.json`). Computed once per
 * process (zod's conversion costs a few milliseconds of every render): the same object each call, not to be
 * mutated.
 */
export function environmentJsonSchema(): Readonly<Record<string, unknown>> {
  jsonSchema ??= {
    ...z.toJSONSchema(EnvironmentFileSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'Guest list environment',
  };
  return jsonSchema;
}
