import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
      if (response.status === 200) break;
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
  it('should serve /guests against its own DynamoDB Local and stop both on Ctrl-C', async () => {
    const dev = await startDev('npm', ['run', '--silent', 'dev']);
    expect(dev.output()).toContain(
      `DynamoDB Local: http://127.0.0.1:${dev.ddbPort} (in memory, tables GuestList and GuestList-guards)`,
    );
    expect(dynamoLocalPids(dev.ddbPort)).toHaveLength(1);
    expect(dev.output()).toContain(`curl http://localhost:${dev.apiPort}/guests`);

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

  it('should stop DynamoDB Local itself and exit 0 when only the script gets SIGTERM', async () => {
    const dev = await startDev(process.execPath, ['--import', 'tsx', 'service/scripts/dev.ts']);
    dev.child.kill('SIGTERM');
    await expectStopped(dev, { code: 0, signal: null });
    expect(dev.output()).toContain('SIGTERM: stopping the API and DynamoDB Local');
  });
});
