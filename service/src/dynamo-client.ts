import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from './config';

/** Tuning of the DynamoDB client; the defaults make an outage answer within a few seconds. */
export interface DynamoClientOptions {
  /** Attempts per call including the first. @default 3 */
  readonly maxAttempts?: number;
  /** TCP connect timeout. @default 1000 */
  readonly connectionTimeoutMs?: number;
  /** Per-attempt response timeout. @default 2500 */
  readonly requestTimeoutMs?: number;
  /** @default environment credential chain, or dummy keys when a local endpoint has none */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The one DynamoDB client of a server: keep-alive sockets, bounded retries and timeouts.
 * `cacheMiddleware` makes the SDK reuse each command class's resolved middleware stack instead of
 * rebuilding and sorting it on every send (it applies to sends without per-call options). Items are
 * converted with `@aws-sdk/util-dynamodb` by the store, so no document client is needed.
 */
export function createDynamoClient(
  config: Pick<Config, 'region' | 'endpointUrl' | 'useLocalCredentials'>,
  options: DynamoClientOptions = {},
): DynamoDBClient {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  const credentials =
    options.credentials ??
    (config.useLocalCredentials ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined);
  return new DynamoDBClient({
    region: config.region,
    endpoint: config.endpointUrl,
    maxAttempts: options.maxAttempts ?? 3,
    ...(credentials === undefined ? {} : { credentials }),
    cacheMiddleware: true,
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 1000,
      requestTimeout: options.requestTimeoutMs ?? 2500,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    },
  });
}
