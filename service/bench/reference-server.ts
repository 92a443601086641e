// The memory reference of bench:api: the smallest Hono + AWS SDK service that answers the measured endpoints
// with the service's tables and shapes: no validation, logging, metrics, budget or page. Its RSS, idle and
// under the same load, is what the runtime and the two libraries cost; the service's RSS above it is its own.
import { randomUUID } from 'node:crypto';
import {
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const table = process.env.DDB_TABLE ?? 'GuestList';
const guards = process.env.DDB_GUARD_TABLE ?? `${table}-guards`;
// The SDK's defaults: its node:http handler and standard retries.
const client = new DynamoDBClient({
  region: process.env.AWS_REGION ?? 'eu-west-1',
  endpoint: process.env.DDB_ENDPOINT_URL,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

const app = new Hono();
app.get('/healthz', (c) => c.json({ status: 'ok' }));
app.get('/guests/:seq_num', async (c) => {
  const out = await client.send(
    new GetItemCommand({ TableName: table, Key: { seq_num: { S: c.req.param('seq_num') } } }),
  );
  return out.Item === undefined ? c.json({ error: 'not found' }, 404) : c.json(unmarshall(out.Item));
});
app.get('/guests', async (c) => {
  const out = await client.send(
    new ScanCommand({ TableName: table, Limit: Number(c.req.query('limit') ?? 1000) }),
  );
  const body: Record<string, unknown> = {};
  for (const item of out.Items ?? []) body[item.seq_num?.S ?? ''] = unmarshall(item);
  return c.json(body);
});
app.post('/guests', async (c) => {
  const input = await c.req.json<Record<string, unknown>>();
  const guest = { seq_num: randomUUID(), ...input, quantity: String(input.quantity) };
  await client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Put: {
            TableName: table,
            Item: marshall(guest),
            ConditionExpression: 'attribute_not_exists(seq_num)',
          },
        },
        {
          Put: {
            TableName: guards,
            Item: marshall({ pk: `person#${input.id}`, guest_seq_num: guest.seq_num }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: guards,
            Key: { pk: { S: 'count#0' } },
            UpdateExpression: 'ADD guests :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          },
        },
      ],
    }),
  );
  return c.json({ message: 'Guest created successfully', guest }, 201);
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' });
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
