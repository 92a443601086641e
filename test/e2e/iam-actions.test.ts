// The IAM role synth renders grants exactly the DynamoDB actions the service really performs, table by table.
// The service's own startServer runs against DynamoDB Local through a recording proxy on 127.0.0.1, configured
// with the table names of the rendered ConfigMap; every HTTP route that touches DynamoDB is exercised. Each
// request's X-Amz-Target and body give the IAM actions it needs on each table (a TransactWriteItems needs the
// action of each item it holds), and the service's own DynamoDB observer (its /metrics `operation` labels) must
// have seen the same operations. Adding a DynamoDB call to the service without its permission in
// synth/src/charts/aws-resources.ts (or the other way round) fails here.
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createDynamoClient } from '../../service/src/dynamo/client';
import { type RunningServer, startServer } from '../../service/src/server';
import { ensureGuestTables } from '../../service/src/store';
import { type DynamoLocal, LOCAL_CREDENTIALS, startDynamoLocal } from '../../service/test/ddb-local';
import { createMemoryLogger } from '../../service/test/memory-logger';
import { testConfig } from '../../service/test/test-config';

const DIST = join(__dirname, '..', '..', 'dist');

/** Per table name, the IAM actions (`dynamodb:<Action>`) a call needs. */
type Needs = Map<string, Set<string>>;

/** Sub-operations of TransactWriteItems / TransactGetItems and the IAM action each one needs. */
const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

/** The IAM actions one DynamoDB JSON-protocol request needs, on which tables. */
function actionsOf(operation: string, body: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    for (const item of (body.TransactItems ?? []) as Record<string, { TableName?: string }>[]) {
      for (const [kind, part] of Object.entries(item)) {
        out.push([part.TableName ?? '?', `dynamodb:${TRANSACT_ITEM_ACTIONS[kind] ?? kind}`]);
      }
    }
  } else if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    for (const table of Object.keys((body.RequestItems ?? {}) as object))
      out.push([table, `dynamodb:${operation}`]);
  } else {
    out.push([typeof body.TableName === 'string' ? body.TableName : '*', `dynamodb:${operation}`]);
  }
  return out;
}

/** An HTTP proxy in front of DynamoDB Local that records every operation and the IAM actions it needs. */
class RecordingProxy {
  readonly operations = new Set<string>();
  readonly needs: Needs = new Map();
  private readonly server: Server;

  constructor(private readonly target: URL) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '?';
        this.operations.add(operation);
        for (const [table, action] of actionsOf(operation, JSON.parse(body.toString('utf8') || '{}'))) {
          const set = this.needs.get(table) ?? new Set<string>();
          set.add(action);
          this.needs.set(table, set);
        }
        const upstream = request(
          {
            host: this.target.hostname,
            port: this.target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: this.target.host },
          },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        upstream.end(body);
      });
    });
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** One rendered environment: its table names (ConfigMap) and its role's actions per table name (policy). */
interface Rendered {
  readonly env: string;
  readonly guests: string;
  readonly guards: string;
  readonly policy: Needs;
}

function renderedEnvironments(): Rendered[] {
  const out: Rendered[] = [];
  for (const env of readdirSync(DIST).sort()) {
    if (env === 'argocd') continue;
    const files = readdirSync(join(DIST, env));
    if (!files.includes('role-guestlist.yaml')) continue;
    const cm = parse(readFileSync(join(DIST, env, 'configmap-guestlist.yaml'), 'utf8'));
    const role = parse(readFileSync(join(DIST, env, 'role-guestlist.yaml'), 'utf8'));
    const policy: Needs = new Map();
    for (const json of Object.values(role.spec.inlinePolicies as Record<string, string>)) {
      for (const s of JSON.parse(json).Statement as {
        Action: string | string[];
        Resource: string | string[];
      }[]) {
        for (const arn of [s.Resource].flat()) {
          const table = /:table\/([^/]+)$/.exec(arn)?.[1] ?? arn;
          const set = policy.get(table) ?? new Set<string>();
          for (const a of [s.Action].flat()) set.add(a);
          policy.set(table, set);
        }
      }
    }
    out.push({ env, guests: cm.data.DDB_TABLE, guards: cm.data.DDB_GUARD_TABLE, policy });
  }
  return out;
}

const sorted = (s: Set<string> | undefined) => [...(s ?? [])].sort();

/** Differences between what the calls need and what the policy grants, table by table ([] = equal). */
function compare(needs: Needs, policy: Needs): string[] {
  const out: string[] = [];
  for (const table of new Set([...needs.keys(), ...policy.keys()])) {
    const need = needs.get(table) ?? new Set<string>();
    const grant = policy.get(table) ?? new Set<string>();
    for (const a of sorted(need))
      if (!grant.has(a)) out.push(`${table}: the service calls ${a}, not granted`);
    for (const a of sorted(grant)) if (!need.has(a)) out.push(`${table}: ${a} is granted, never called`);
  }
  return out;
}

/** Operation labels of the service's DynamoDB call histogram in a /metrics exposition. */
function observedOperations(exposition: string): Set<string> {
  return new Set(
    [...exposition.matchAll(/^dynamodb_call_duration_seconds_count\{operation="([^"]+)"\} [1-9]/gm)].map(
      (m) => m[1] as string,
    ),
  );
}

describe('the rendered IAM policy against the DynamoDB calls the service really makes', () => {
  const rendered = renderedEnvironments();
  const dev = rendered.find((r) => r.env === 'dev') as Rendered;
  let ddb: DynamoLocal;
  let proxy: RecordingProxy;
  let server: RunningServer;
  let exposition = '';

  beforeAll(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    ddb = await startDynamoLocal();
    // The tables are made beside the service (as ACK makes them), not through the proxy.
    const config = testConfig({
      port: 0,
      endpointUrl: ddb.endpoint,
      tableName: dev.guests,
      guardTableName: dev.guards,
      apiTokens: [],
      authRequired: false,
    });
    const admin = createDynamoClient(config, { credentials: LOCAL_CREDENTIALS });
    await ensureGuestTables(admin, config);
    admin.destroy();
    proxy = new RecordingProxy(new URL(ddb.endpoint));
    const endpointUrl = await proxy.start();
    server = await startServer(
      { ...config, endpointUrl },
      { logger: createMemoryLogger(), hostname: '127.0.0.1', dynamo: { credentials: LOCAL_CREDENTIALS } },
    );
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        ...(body !== undefined && {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      });
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      return { status: res.status, json, cursor: res.headers.get('x-next-cursor') };
    };
    const guest = (id: string) => ({
      id,
      firstname: 'Dana',
      surname: 'Levi',
      quantity: 2,
      phone: '0501234567',
      email: 'dana@example.com',
    });
    // Every route that reaches DynamoDB, on its success and its refusal paths.
    const created = [];
    for (const id of ['10001', '10002', '10003']) {
      const r = await call('POST', '/guests', guest(id));
      expect(r.status).toBe(201);
      created.push((r.json.guest as { seq_num: string }).seq_num);
    }
    expect((await call('POST', '/guests', guest('10001'))).status).toBe(409);
    const page = await call('GET', '/guests?limit=2');
    expect(page.status).toBe(200);
    expect(page.cursor).toBeTruthy();
    expect(
      (await call('GET', `/guests?limit=2&cursor=${encodeURIComponent(page.cursor ?? '')}`)).status,
    ).toBe(200);
    expect((await call('GET', `/guests/${created[0]}`)).status).toBe(200);
    expect((await call('GET', '/guests/does-not-exist')).status).toBe(404);
    expect((await call('DELETE', `/guests/${created[1]}`)).status).toBe(200);
    expect((await call('DELETE', `/guests/${created[1]}`)).status).toBe(404);
    expect((await call('GET', '/health')).status).toBe(200);
    exposition = await (await fetch(`${server.metricsUrl}/metrics`)).text();
  }, 120_000);

  afterAll(async () => {
    await server?.close(1000);
    await proxy?.stop();
    await ddb?.stop();
  });

  it('should find every environment that renders a role, with its two tables in the policy', () => {
    expect(rendered.map((r) => r.env)).toEqual(expect.arrayContaining(['dev', 'prod', 'staging']));
    for (const r of rendered) expect([...r.policy.keys()].sort()).toEqual([r.guests, r.guards].sort());
  });

  it("should record the same operations the service's own DynamoDB observer reports on /metrics", () => {
    expect([...proxy.operations].sort()).toEqual([...observedOperations(exposition)].sort());
    expect(proxy.operations.size).toBeGreaterThanOrEqual(4);
  });

  it('should grant exactly the recorded actions on exactly the recorded tables, in every environment', () => {
    const byRole = {
      guests: proxy.needs.get(dev.guests) ?? new Set<string>(),
      guards: proxy.needs.get(dev.guards) ?? new Set<string>(),
    };
    expect([...proxy.needs.keys()].sort()).toEqual([dev.guests, dev.guards].sort());
    for (const r of rendered) {
      const needs: Needs = new Map([
        [r.guests, byRole.guests],
        [r.guards, byRole.guards],
      ]);
      expect(compare(needs, r.policy), r.env).toEqual([]);
    }
  });

  it('should fail a call the policy does not grant, and a grant no call uses', () => {
    const needs: Needs = new Map([
      [dev.guests, new Set([...(proxy.needs.get(dev.guests) ?? []), 'dynamodb:Query'])],
    ]);
    needs.set(
      dev.guards,
      new Set([...(proxy.needs.get(dev.guards) ?? [])].filter((a) => a !== 'dynamodb:UpdateItem')),
    );
    expect(compare(needs, dev.policy)).toEqual([
      `${dev.guests}: the service calls dynamodb:Query, not granted`,
      `${dev.guards}: dynamodb:UpdateItem is granted, never called`,
    ]);
    expect(
      actionsOf('TransactWriteItems', { TransactItems: [{ ConditionCheck: { TableName: 't' } }] }),
    ).toEqual([['t', 'dynamodb:ConditionCheckItem']]);
  });
});
