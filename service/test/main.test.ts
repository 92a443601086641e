import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freePort } from './free-port';
import { validGuest } from './harness';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'service/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const output = () => ({ stdout, stderr });
  const waitFor = async (text: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!stdout.includes(text)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`main did not print ${text}: ${stdout}${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, exited, output, waitFor };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('main', () => {
  let running: ChildProcess | undefined;
  afterEach(() => {
    if (running !== undefined && running.exitCode === null) running.kill('SIGKILL');
  });

  it('should stop with exit code 2 and name the variable when the config is invalid', async () => {
    const main = startMain({ PORT: 'abc', LOG_LEVEL: 'loud' });
    running = main.child;
    expect(await main.exited).toBe(2);
    expect(main.output().stderr).toContain(
      'Invalid configuration: PORT="abc" must be an integer from 0 to 65535; LOG_LEVEL="loud" must be one of debug, info, warn, error, silent',
    );
  });

  it('should drain on SIGTERM: readyz 503, the in-flight request finishes, then exit 0', async () => {
    const port = await freePort();
    const main = startMain({
      PORT: String(port),
      DDB_ENDPOINT_URL: inject('ddbEndpoint'),
      DDB_TABLE: `t-${randomUUID()}`,
      DDB_CREATE_TABLE: 'true',
      SHUTDOWN_DRAIN_MS: '1000',
      SHUTDOWN_TIMEOUT_MS: '10000',
    });
    running = main.child;
    await main.waitFor('"msg":"listening"');
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // A slow upload keeps a real request in flight across the signal: no test hook in the server.
    const body = JSON.stringify(validGuest({ id: '424242' }));
    const half = Math.floor(body.length / 2);
    const upload = request(`${base}/guests`, {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    const response = new Promise<{ status: number; text: string }>((resolveRes, reject) => {
      upload.on('response', (res) => {
        let text = '';
        res.on('data', (d) => {
          text += String(d);
        });
        res.on('end', () => resolveRes({ status: res.statusCode ?? 0, text }));
      });
      upload.on('error', reject);
    });
    upload.write(body.slice(0, half));
    await sleep(300);

    main.child.kill('SIGTERM');
    await main.waitFor('"msg":"shutdown started"');
    const ready = await fetch(`${base}/readyz`, { headers: { Connection: 'close' } });
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not-ready',
      reason: 'draining: the server is shutting down',
    });

    // After the drain delay the listener is closed, but the upload is still being served.
    await sleep(1300);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    expect(main.child.exitCode).toBeNull();
    upload.end(body.slice(half));
    const res = await response;
    expect(res.status).toBe(201);
    expect(JSON.parse(res.text).guest.id).toBe('424242');

    expect(await main.exited).toBe(0);
    expect(main.output().stdout).toContain('"msg":"shutdown complete"');
  });
});
