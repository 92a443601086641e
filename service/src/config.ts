// The service's configuration: reads and validates the environment variables (and the tokens file) once at
// start, so a wrong setting stops the process with a clear message instead of failing later.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseTokens, TokenListError } from './auth/tokens';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** Log level names accepted by `LOG_LEVEL`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Validated service configuration; built only by {@link parseConfig}. */
export interface Config {
  readonly port: number;
  /** Port of the separate metrics server (`GET /metrics`); 0 picks a free port. */
  readonly metricsPort: number;
  /** Guests' table (key `seq_num`, the old API's shape). */
  readonly tableName: string;
  /** Table of the person-id guards and counter shards (key `pk`). */
  readonly guardTableName: string;
  readonly region: string;
  /** Custom DynamoDB endpoint (DynamoDB Local); undefined means the regional AWS endpoint. */
  readonly endpointUrl: string | undefined;
  /** Bearer tokens accepted on `/guests` at start (API_TOKENS plus the file); empty means authentication is off. */
  readonly apiTokens: readonly string[];
  /**
   * File of more tokens (they are the last ones of `apiTokens`), re-read when it changes (a rotated
   * Kubernetes Secret); undefined when not set.
   */
  readonly apiTokensFile: { readonly path: string; readonly tokens: readonly string[] } | undefined;
  /** The deployment requires authentication: start-up fails without tokens (never serves without auth). */
  readonly authRequired: boolean;
  readonly logLevel: LogLevel;
  readonly environment: string;
  readonly version: string;
  readonly publicDir: string;
  /** Create the table at start when missing (local development and tests). */
  readonly createTable: boolean;
  /** How long `/readyz` reports 503 after SIGTERM before the listener closes (lets endpoints update). */
  readonly drainDelayMs: number;
  /** Upper bound for in-flight requests to finish after the listener closed. */
  readonly shutdownTimeoutMs: number;
  /** Time a request may take, its DynamoDB calls and their retries included; then 503 + Retry-After. */
  readonly requestBudgetMs: number;
  /** Use static dummy credentials (only with a custom endpoint and no AWS credentials in the environment). */
  readonly useLocalCredentials: boolean;
}

const intFrom = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be an integer from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { error: `must be an integer from ${min} to ${max}` })
        .max(max, { error: `must be an integer from ${min} to ${max}` }),
    );

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const TABLE_RULE = 'must be 3-255 characters of A-Z a-z 0-9 _ . -';
/** Suffix of the guard table's name when `DDB_GUARD_TABLE` is not set. */
export const GUARD_TABLE_SUFFIX = '-guards';

const boolean = z.enum(['true', 'false', '1', '0'], { error: 'must be one of true, false, 1, 0' });

const envSchema = z.object({
  PORT: intFrom(0, 65535).default(1111),
  METRICS_PORT: intFrom(0, 65535).default(9464),
  DDB_TABLE: z.string().regex(TABLE_NAME, { error: TABLE_RULE }).default('GuestList'),
  DDB_GUARD_TABLE: z.string().regex(TABLE_NAME, { error: TABLE_RULE }).optional(),
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, { error: 'must look like an AWS region, e.g. eu-west-1' })
    .default('eu-west-1'),
  DDB_ENDPOINT_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://localhost:8000' })
    .optional(),
  API_TOKENS: z.string().optional(),
  API_TOKENS_FILE: z.string().min(1, { error: 'must be a file path' }).optional(),
  AUTH_REQUIRED: boolean.default('false'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ENVIRONMENT: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be lowercase letters, digits and dashes' })
    .default('local'),
  SERVICE_VERSION: z.string().min(1, { error: 'must not be empty' }).max(64).default('0.1.0'),
  PUBLIC_DIR: z.string().min(1, { error: 'must be a directory path' }).optional(),
  DDB_CREATE_TABLE: boolean.default('false'),
  SHUTDOWN_DRAIN_MS: intFrom(0, 25_000).default(3000),
  SHUTDOWN_TIMEOUT_MS: intFrom(0, 25_000).default(20_000),
  DDB_REQUEST_BUDGET_MS: intFrom(100, 30_000).default(3000),
  AWS_ACCESS_KEY_ID: z.string().optional(),
});

/** Every variable the service reads (the README's configuration table is checked against this list). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** Raised for an invalid environment; its message names each variable, its value and the rule. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const isTrue = (value: string) => value === 'true' || value === '1';

function tokensOf(raw: string, source: string): string[] {
  try {
    return parseTokens(raw, source);
  } catch (err) {
    if (err instanceof TokenListError) throw new ConfigError(`Invalid configuration: ${err.message}`);
    throw err;
  }
}

/** Pure: validates an environment map into a {@link Config}; `readFile` is only used for API_TOKENS_FILE. */
export function parseConfig(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
  cwd: string = process.cwd(),
): Config {
  // Empty strings count as unset, as Kubernetes renders optional values that way.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      return `${key}=${JSON.stringify(cleaned[key])} ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = result.data;
  const guardTableName = e.DDB_GUARD_TABLE ?? `${e.DDB_TABLE}${GUARD_TABLE_SUFFIX}`;
  if (guardTableName === e.DDB_TABLE) {
    throw new ConfigError(
      `Invalid configuration: DDB_GUARD_TABLE=${JSON.stringify(guardTableName)} must differ from DDB_TABLE`,
    );
  }
  if (!TABLE_NAME.test(guardTableName)) {
    throw new ConfigError(
      `Invalid configuration: DDB_GUARD_TABLE=${JSON.stringify(guardTableName)} (DDB_TABLE + "${GUARD_TABLE_SUFFIX}") ${TABLE_RULE}; set DDB_GUARD_TABLE`,
    );
  }
  if (e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    throw new ConfigError(
      `Invalid configuration: METRICS_PORT="${e.METRICS_PORT}" must differ from PORT (metrics are never served on the API port)`,
    );
  }
  let apiTokens: string[] = [];
  if (e.API_TOKENS !== undefined) apiTokens = tokensOf(e.API_TOKENS, 'API_TOKENS');
  let apiTokensFile: Config['apiTokensFile'];
  if (e.API_TOKENS_FILE !== undefined) {
    const path = resolve(cwd, e.API_TOKENS_FILE);
    let text: string;
    try {
      text = readFile(path);
    } catch (err) {
      throw new ConfigError(
        `Invalid configuration: API_TOKENS_FILE=${JSON.stringify(e.API_TOKENS_FILE)} must be a readable file (${(err as Error).message})`,
      );
    }
    const fileTokens = tokensOf(text, `API_TOKENS_FILE=${JSON.stringify(e.API_TOKENS_FILE)}`);
    apiTokensFile = { path, tokens: fileTokens };
    apiTokens = [...apiTokens, ...fileTokens];
  }
  if (e.DDB_REQUEST_BUDGET_MS > e.SHUTDOWN_TIMEOUT_MS) {
    throw new ConfigError(
      `Invalid configuration: DDB_REQUEST_BUDGET_MS="${e.DDB_REQUEST_BUDGET_MS}" must not exceed SHUTDOWN_TIMEOUT_MS="${e.SHUTDOWN_TIMEOUT_MS}" (requests in flight at shutdown must be able to finish)`,
    );
  }
  const authRequired = isTrue(e.AUTH_REQUIRED);
  if (authRequired && apiTokens.length === 0) {
    throw new ConfigError(
      'Invalid configuration: AUTH_REQUIRED=true but no token source is set; set API_TOKENS or API_TOKENS_FILE (the service never serves /guests without authentication when it is required)',
    );
  }
  return {
    port: e.PORT,
    metricsPort: e.METRICS_PORT,
    tableName: e.DDB_TABLE,
    guardTableName,
    region: e.AWS_REGION,
    endpointUrl: e.DDB_ENDPOINT_URL,
    apiTokens,
    apiTokensFile,
    authRequired,
    logLevel: e.LOG_LEVEL,
    environment: e.ENVIRONMENT,
    version: e.SERVICE_VERSION,
    // The working directory, not the module path, so the esbuild bundle resolves it the same way.
    publicDir: resolve(cwd, e.PUBLIC_DIR ?? 'service/public'),
    createTable: isTrue(e.DDB_CREATE_TABLE),
    drainDelayMs: e.SHUTDOWN_DRAIN_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    requestBudgetMs: e.DDB_REQUEST_BUDGET_MS,
    useLocalCredentials: e.DDB_ENDPOINT_URL !== undefined && e.AWS_ACCESS_KEY_ID === undefined,
  };
}

/** Reads `process.env` (the only place that does) and validates it. */
export function loadConfig(): Config {
  return parseConfig(process.env);
}
