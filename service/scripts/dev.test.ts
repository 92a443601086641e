import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../test/free-port';
import { validGuest } from '../test/harness';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Pids of DynamoDB Local JVMs listening on `port` (from /proc, so nothing else has to be installed). */
function dynamoLocalPids(port: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string[];
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // exited meanwhile
    }
    const portAt = cmdline.indexOf('-port');
    if (cmdline.some((a) => a.endsWith('DynamoDBLocal.jar')) && cmdline[portAt + 1] === String(port)) {
      pids.push(Number(entry));
    }
  }
  return pids;
}

interface Dev {
  readonly child: ChildProcess;
  readonly apiPort: number;
  readonly ddbPort: number;
  readonly output: () => string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Dev[] = [];

async function startDev(command: string, args: string[]): Promise<Dev> {
  const apiPort = await freePort();
  // A free port rather than 8000: a developer's own `npm run dev` (or another test) may hold 8000.
  const ddbPort = await freePort();
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, PORT: String(apiPort), DDB_LOCAL_PORT: String(ddbPort), LOG_LEVEL: 'warn' },
    // Own process group, so a test can send SIGINT to the whole group as a terminal's Ctrl-C does.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  const deadline = Date.now() + 40_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dev exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`http://127.0.0.1:${apiPort}/guests`);
      // Serving, and done starting (seeding included): the banner is the last thing printed.
      if (response.status === 200 && output.includes('Ctrl-C stops both.')) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`dev did not serve /guests within 40 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const dev = { child, apiPort, ddbPort, output: () => output, exit };
  started.push(dev);
  return dev;
}

async function expectStopped(dev: Dev, exit: { code: number | null; signal: string | null }): Promise<void> {
  expect(await dev.exit, dev.output()).toEqual(exit);
  expect(dynamoLocalPids(dev.ddbPort)).toEqual([]);
  await expect(fetch(`http://127.0.0.1:${dev.apiPort}/healthz`)).rejects.toThrow('fetch failed');
}

afterEach(() => {
  // Leave nothing behind when an assertion failed half-way.
  for (const dev of started.splice(0)) {
    if (dev.child.exitCode === null && dev.child.signalCode === null && dev.child.pid !== undefined) {
      process.kill(-dev.child.pid, 'SIGKILL');
    }
    for (const pid of dynamoLocalPids(dev.ddbPort)) process.kill(pid, 'SIGKILL');
  }
});

describe('npm run dev', () => {
  it('should serve /guests against its own DynamoDB Local, seed, and stop both on Ctrl-C', async () => {
    const dev = await startDev('npm', ['run', '--silent', 'dev', '--', '--seed', '12']);
    expect(dev.output()).toContain(
      `DynamoDB Local: http://127.0.0.1:${dev.ddbPort} (in memory, tables GuestList and GuestList-guards)`,
    );
    expect(dynamoLocalPids(dev.ddbPort)).toHaveLength(1);
    expect(dev.output()).toContain(`curl http://localhost:${dev.apiPort}/guests`);
    expect(dev.output()).toContain('Seeded 12 sample guests.');
    expect(dev.output()).not.toContain('NodeVersionSupportWarning');
    const health = await (await fetch(`http://127.0.0.1:${dev.apiPort}/health`)).json();
    expect(health).toEqual({ status: 'healthy', guests_count: 12, dynamodb: 'ok' });

    const created = await fetch(`http://127.0.0.1:${dev.apiPort}/guests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validGuest()),
    });
    expect(created.status).toBe(201);

    process.kill(-(dev.child.pid as number), 'SIGINT');
    // npm re-raises the signal on itself once its child is done, as shells expect from Ctrl-C.
    await expectStopped(dev, { code: null, signal: 'SIGINT' });
    expect(dev.output()).toContain('SIGINT: stopping the API and DynamoDB Local');
  });

  it('should say so in one line and exit 1 when DynamoDB Local dies', async () => {
    const dev = await startDev(process.execPath, ['--import', 'tsx', 'service/scripts/dev.ts']);
    for (const pid of dynamoLocalPids(dev.ddbPort)) process.kill(pid, 'SIGKILL');
    await expectStopped(dev, { code: 1, signal: null });
    expect(dev.output()).toContain(
      `DynamoDB Local on port ${dev.ddbPort} stopped unexpectedly (signal SIGKILL); stopping the API. Run npm run dev again.\n`,
    );
  });

  it('should refuse a busy port in one line before starting DynamoDB Local', async () => {
    const port = await freePort();
    const busy = createServer().listen(port, '127.0.0.1');
    await once(busy, 'listening');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'service/scripts/dev.ts'], {
        cwd: root,
        env: { ...process.env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => {
        output += String(d);
      });
      child.stderr.on('data', (d) => {
        output += String(d);
      });
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(output).toBe(
        `Cannot listen: PORT=${port} on 127.0.0.1 is already in use by another process; stop that process or set PORT\n`,
      );
    } finally {
      busy.close();
    }
  });

  it('should stop DynamoDB Local itself and exit 0 when only the script gets SIGTERM', async () => {
    const dev = await startDev(process.execPath, ['--import', 'tsx', 'service/scripts/dev.ts']);
    dev.child.kill('SIGTERM');
    await expectStopped(dev, { code: 0, signal: null });
    expect(dev.output()).toContain('SIGTERM: stopping the API and DynamoDB Local');
  });
});
