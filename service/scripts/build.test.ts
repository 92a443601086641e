import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoLocal, startDynamoLocal } from '../test/ddb-local';
import { freePort } from '../test/free-port';
import { validGuest } from '../test/harness';

const root = fileURLToPath(new URL('../../', import.meta.url));

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
}

async function waitFor200(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`bundle exited with ${child.exitCode} before ${url} answered`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm run build:service', () => {
  let ddb: DynamoLocal;
  let dir: string;

  beforeAll(async () => {
    const [local] = await Promise.all([
      startDynamoLocal(),
      promisify(execFile)('npm', ['run', '--silent', 'build:service'], { cwd: root }),
    ]);
    ddb = local;
    // Outside the repo, so the bundle cannot reach node_modules: proves it is self-contained.
    dir = await mkdtemp(join(tmpdir(), 'bundle-'));
    await copyFile(join(root, 'build/service/main.mjs'), join(dir, 'main.mjs'));
    await cp(join(root, 'service/public'), join(dir, 'public'), { recursive: true });
  });

  afterAll(async () => {
    await ddb?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should produce a self-contained bundle that serves the API and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const output: string[] = [];
    const child = spawn(process.execPath, ['main.mjs'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        PUBLIC_DIR: join(dir, 'public'),
        DDB_ENDPOINT_URL: ddb.endpoint,
        DDB_TABLE: 'bundle-test',
        DDB_CREATE_TABLE: 'true',
        // Real keys in the environment take the SDK's default credential chain, as in production.
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        SHUTDOWN_DRAIN_MS: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => output.push(String(d)));
    child.stderr?.on('data', (d) => output.push(String(d)));
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor200(`${base}/healthz`, child, 20_000);
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });

      const created = await fetch(`${base}/guests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validGuest()),
      });
      expect(created.status).toBe(201);
      const page = await fetch(`${base}/`);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('<title>Guest list</title>');

      child.kill('SIGTERM');
      expect(await exitOf(child)).toBe(0);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- bundle output ---\n${output.join('')}`, {
        cause: error,
      });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
