// The one DynamoDB client of a process: its HTTP handler, timeouts, retries and the budget middlewares.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UndiciHttpHandler } from '@smithy/undici-http-handler';
import { Agent } from 'undici';
import type { Config } from '../config';
import { retryBrokenAnswers } from './broken-answers';
import { BudgetRequestHandler } from './budget-request-handler';
import { BudgetRetryStrategy } from './budget-retry-strategy';
import { applyCallBudgets } from './call-budget';

/** Tuning of the DynamoDB client; the defaults make an outage answer within a few seconds. */
export interface DynamoClientOptions {
  /** Attempts per call including the first (the SDK's standard retry strategy). @default 3 */
  readonly maxAttempts?: number;
  /** TCP connect timeout. @default 1000 */
  readonly connectionTimeoutMs?: number;
  /**
   * Per-attempt timeout: an attempt without an answer by then is dropped and retried on another socket,
   * if the request's budget leaves room. @default half the request budget (1500 ms for the default 3 s)
   */
  readonly requestTimeoutMs?: number;
  /** @default environment credential chain, or dummy keys when a local endpoint has none */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The handler the SDK sends through: undici, through the SDK team's `@smithy/undici-http-handler`, instead of
 * the SDK's default `node:http` handler, which cost a fifth more of the client's CPU per GetItem (measured by
 * `npm run bench:budget` before the switch; the service README, "One DynamoDB client"). Up to 64 kept-alive
 * connections per endpoint, the connect timeout, and a per-attempt timeout after which the attempt fails with
 * a retryable TimeoutError (no headers, or no body chunk, for that long).
 */
function httpHandler(options: DynamoClientOptions, budgetMs: number): UndiciHttpHandler {
  const requestTimeout = options.requestTimeoutMs ?? Math.ceil(budgetMs / 2);
  const dispatcher = new Agent({
    connections: 64,
    connect: { timeout: options.connectionTimeoutMs ?? 1000 },
    headersTimeout: requestTimeout,
    bodyTimeout: requestTimeout,
  });
  return new UndiciHttpHandler({ dispatcher });
}

/** The request budget when the config has none (tools, benches): the service's default. */
const DEFAULT_BUDGET_MS = 3000;

/**
 * The one DynamoDB client of a server: keep-alive sockets, bounded retries and timeouts.
 * A command put under a request's budget (`withinBudget`, ./call-budget.ts) is bounded by it: the
 * request handler aborts the attempt in flight at the deadline and the retry strategy keeps jittered
 * retries inside it (./budget-request-handler.ts, ./budget-retry-strategy.ts).
 * `cacheMiddleware` makes the SDK reuse each command class's resolved middleware stack instead of
 * rebuilding and sorting it on every send (it applies to sends without per-call options, which is why
 * the budget reaches the handler through two middlewares and not through `send` options). Items are
 * converted with `@aws-sdk/util-dynamodb` by the store, so no document client is needed.
 */
export function createDynamoClient(
  config: Pick<Config, 'region' | 'endpointUrl' | 'useLocalCredentials'> & {
    readonly requestBudgetMs?: number;
  },
  options: DynamoClientOptions = {},
): DynamoDBClient {
  const credentials =
    options.credentials ??
    (config.useLocalCredentials ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined);
  const maxAttempts = options.maxAttempts ?? 3;
  const budgetMs = config.requestBudgetMs ?? DEFAULT_BUDGET_MS;
  const client = new DynamoDBClient({
    region: config.region,
    endpoint: config.endpointUrl,
    maxAttempts,
    retryStrategy: new BudgetRetryStrategy(maxAttempts),
    ...(credentials === undefined ? {} : { credentials }),
    cacheMiddleware: true,
    requestHandler: new BudgetRequestHandler<object>(httpHandler(options, budgetMs)),
  });
  // The SDK's logger middleware feeds the (default, no-op) logger a copy of every input and output run
  // through the sensitive-data filter, which walks every attribute of every item: measured at half the
  // CPU of a 1,000-item Scan (10.5 -> 5.4 ms per call). The service logs each call itself (the store's
  // observer and metrics), never through the SDK's logger, so the middleware goes.
  client.middlewareStack.remove('loggerMiddleware');
  retryBrokenAnswers(client.middlewareStack);
  applyCallBudgets(client.middlewareStack);
  return client;
}
