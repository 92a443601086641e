import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

/** The clients of a server; both send over the same keep-alive sockets. */
export interface DynamoClients {
  /** For everything lib-dynamodb's plain-object input is worth. */
  readonly document: DynamoDBDocumentClient;
  /**
   * For the hot raw calls (GetItem, TransactWriteItems): it caches each command class's resolved
   * middleware (the SDK's `cacheMiddleware`) instead of rebuilding and sorting the stack on every send.
   * That option must stay off the document client: lib-dynamodb's cached handler would resend its first command.
   */
  readonly raw: DynamoDBClient;
}

/** The DynamoDB clients of a server: keep-alive sockets, bounded retries and timeouts. */
export function createDynamoClients(
  config: Pick<Config, 'region' | 'endpointUrl' | 'useLocalCredentials'>,
  options: DynamoClientOptions = {},
): DynamoClients {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  const credentials =
    options.credentials ??
    (config.useLocalCredentials ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined);
  const settings = {
    region: config.region,
    endpoint: config.endpointUrl,
    maxAttempts: options.maxAttempts ?? 3,
    ...(credentials === undefined ? {} : { credentials }),
  };
  const client = new DynamoDBClient({
    ...settings,
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 1000,
      requestTimeout: options.requestTimeoutMs ?? 2500,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    },
  });
  const raw = new DynamoDBClient({
    ...settings,
    requestHandler: client.config.requestHandler,
    cacheMiddleware: true,
  });
  const document = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { document, raw };
}
