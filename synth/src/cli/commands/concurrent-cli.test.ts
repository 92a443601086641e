import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cliCommand } from '../../../test/launcher';
import { opsRepo } from '../../../test/ops-repo';
import type { TempRepo } from '../../../test/temp-repo';

let repo: TempRepo;
afterEach(() => repo.cleanup());

/** Runs the real CLI (`npm run <command>` without npm) as its own process in `cwd`. */
function cli(cwd: string, args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(...cliCommand(...args), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out, err });
    });
  });
}

const images = (dir: string, ref: string) =>
  repo
    .git(['log', '--format=%(trailers:key=Guestlist-Image,valueonly,separator=%x2C)', ref], dir)
    .split('\n')
    .filter((l) => l !== '');

describe('concurrent ops processes', () => {
  it('should land both bumps when two clones push at the same time', async () => {
    repo = opsRepo();
    const a = repo.clone('a');
    const b = repo.clone('b');
    const [ra, rb] = await Promise.all([
      cli(a, ['bump', 'dev', '--tag', '0.2.0', '--commit', '--push', '--retries', '5', '--json']),
      cli(b, ['bump', 'staging', '--tag', '0.3.0', '--commit', '--push', '--retries', '5', '--json']),
    ]);
    expect([ra.code, rb.code], `${ra.err}\n${rb.err}`).toEqual([0, 0]);
    expect(JSON.parse(ra.out)).toMatchObject({ status: 'changed', pushed: true });
    expect(JSON.parse(rb.out)).toMatchObject({ status: 'changed', pushed: true });
    expect(images(repo.origin, 'main').sort()).toEqual([
      'registry.example.com/guestlist:0.2.0',
      'registry.example.com/guestlist:0.3.0',
    ]);
    const dev = repo.git(['show', 'main:dist/dev/deployment-guestlist.yaml'], repo.origin);
    const staging = repo.git(['show', 'main:dist/staging/deployment-guestlist.yaml'], repo.origin);
    expect(dev).toContain('guestlist:0.2.0');
    expect(staging).toContain('guestlist:0.3.0');
  });

  it('should account for both intents when two processes bump one file in one working tree', async () => {
    repo = opsRepo();
    const [r1, r2] = await Promise.all([
      cli(repo.dir, ['bump', 'dev', '--tag', '0.2.0', '--commit', '--json']),
      cli(repo.dir, ['bump', 'dev', '--tag', '0.3.0', '--commit', '--json']),
    ]);
    // The second waits for the first's lock, and only then checks the files it commits are clean (the first's
    // written files are committed by then) and runs git (no index.lock taken by a concurrent `git status`).
    expect([r1.code, r2.code], `${r1.err}\n${r2.err}`).toEqual([0, 0]);
    // Both commits exist; the second one read the first one's file (its previous image is the first's image).
    const log = repo
      .git([
        'log',
        '--format=%(trailers:key=Guestlist-Image,valueonly,separator=%x2C) <- %(trailers:key=Guestlist-Previous-Image,valueonly,separator=%x2C)',
        '-2',
      ])
      .split('\n');
    const [last, first] = log;
    expect(last?.split(' <- ')[1]).toBe(first?.split(' <- ')[0]);
    expect(first?.split(' <- ')[1]).toBe('registry.example.com/guestlist:0.1.0');
    const final = last?.split(' <- ')[0] as string;
    expect(repo.read('environments/dev.yaml')).toContain(`tag: "${final.split(':').pop()}"`);
    expect(repo.read('dist/dev/deployment-guestlist.yaml')).toContain(`image: ${final}`);
    expect(repo.git(['status', '--porcelain'])).toBe('');
  });
});
