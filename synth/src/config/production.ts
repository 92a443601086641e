// The schemas and defaults of an environment file's production keys: shutdown timing, tokens source, ingress
// source ranges, zone spread.
import { z } from 'zod';

/** Defaults of the production keys (shutdown, tokens source, ingress sources, zone spread). */
export const PRODUCTION_DEFAULTS = {
  shutdown: { preStopSeconds: 10, drainSeconds: 3, requestTimeoutSeconds: 10 },
  secretStore: 'aws-secrets-manager',
  zoneSpreadRequiredFrom: 3,
} as const;

const seconds = (max: number) => z.number().int().min(0).max(max);

/**
 * The `shutdown` key: the one setting every shutdown timing is derived from (see {@link shutdownTiming}).
 * The service accepts at most 25 s for each of SHUTDOWN_DRAIN_MS and SHUTDOWN_TIMEOUT_MS.
 */
export const shutdownSchema = z
  .strictObject({
    preStopSeconds: seconds(60)
      .default(PRODUCTION_DEFAULTS.shutdown.preStopSeconds)
      .describe('Seconds a terminating pod keeps serving before SIGTERM, while the ALB deregisters it'),
    drainSeconds: seconds(25)
      .default(PRODUCTION_DEFAULTS.shutdown.drainSeconds)
      .describe('Seconds /readyz answers 503 after SIGTERM before the listener closes (SHUTDOWN_DRAIN_MS)'),
    requestTimeoutSeconds: seconds(25)
      .min(1)
      .default(PRODUCTION_DEFAULTS.shutdown.requestTimeoutSeconds)
      .describe(
        'Seconds in-flight requests may take to finish after the listener closed (SHUTDOWN_TIMEOUT_MS)',
      ),
  })
  .default({ ...PRODUCTION_DEFAULTS.shutdown })
  .describe(
    'Graceful shutdown; the grace period, ALB deregistration delay and health check are derived from it',
  );

/** Every shutdown timing of one environment, derived from its `shutdown` key. */
export interface ShutdownTiming {
  readonly preStopSeconds: number;
  readonly drainMs: number;
  readonly timeoutMs: number;
  /** terminationGracePeriodSeconds: preStop + drain + timeout + 5 s for the process to exit. */
  readonly gracePeriodSeconds: number;
  /** ALB `deregistration_delay.timeout_seconds`: preStop + drain + timeout, never above the grace period. */
  readonly deregistrationDelaySeconds: number;
  /** ALB health check: interval, timeout and thresholds (a draining pod is out within 2 intervals). */
  readonly healthCheck: {
    readonly intervalSeconds: number;
    readonly timeoutSeconds: number;
    readonly healthyThreshold: number;
    readonly unhealthyThreshold: number;
  };
}

/** Derives the grace period, the app's drain settings and the ALB's timings from one `shutdown` setting. */
export function shutdownTiming(s: z.output<typeof shutdownSchema>): ShutdownTiming {
  const inFlight = s.preStopSeconds + s.drainSeconds + s.requestTimeoutSeconds;
  return {
    preStopSeconds: s.preStopSeconds,
    drainMs: s.drainSeconds * 1000,
    timeoutMs: s.requestTimeoutSeconds * 1000,
    gracePeriodSeconds: inFlight + 5,
    deregistrationDelaySeconds: inFlight,
    healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 },
  };
}

/** An IPv4 or IPv6 CIDR (checked for shape; the policy checks the width). */
export const cidrSchema = z
  .string()
  .regex(
    /^(((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\/([0-9]|[12][0-9]|3[0-2])|[0-9a-f:]+:[0-9a-f:]*\/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$/,
    'must be a CIDR such as 10.20.0.0/22',
  );

/** Where the API tokens Secret comes from. */
export const tokensSchema = z
  .strictObject({
    from: z
      .enum(['secrets-manager', 'external'])
      .default('secrets-manager')
      .describe(
        'secrets-manager: rendered as an ExternalSecret from AWS Secrets Manager; external: created outside this render (declared)',
      ),
    secretsManagerKey: z
      .string()
      .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be an AWS Secrets Manager secret name')
      .optional()
      .describe('Secrets Manager secret holding the tokens file; default guestlist/<name>/api-tokens'),
    secretStore: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, 'must be a Kubernetes object name')
      .default(PRODUCTION_DEFAULTS.secretStore)
      .describe('ClusterSecretStore (External Secrets Operator) that reads AWS Secrets Manager'),
  })
  .default({ from: 'secrets-manager', secretStore: PRODUCTION_DEFAULTS.secretStore })
  .describe('Source of the tokens Secret');

/** The `scheduling` key. */
export const schedulingSchema = z
  .strictObject({
    zoneSpreadRequiredFrom: z
      .number()
      .int()
      .min(1)
      .default(PRODUCTION_DEFAULTS.zoneSpreadRequiredFrom)
      .describe('From this many (minimum) replicas on, spreading across zones is required, not preferred'),
  })
  .default({ zoneSpreadRequiredFrom: PRODUCTION_DEFAULTS.zoneSpreadRequiredFrom })
  .describe('Pod placement');
