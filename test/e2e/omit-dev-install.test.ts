// The CLI on a production install: a fresh copy of the repository, `npm ci --omit=dev` (what a CI job or an
// image that only runs the CLI does), then `npm run synth -- --check` and `npm run bump … --commit`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, REPO_ROOT } from './git-sandbox';

let copy: string;

/** The environment without the npm_* variables of an outer `npm test`, which would change the inner npm. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')),
);

function npm(...args: string[]) {
  const r = spawnSync('npm', args, { cwd: copy, env, encoding: 'utf8', timeout: 280_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'omit-dev-'));
  // The files git tracks (and new ones it does not ignore), as a clone would hold them: no node_modules, no build/.
  const files = git(REPO_ROOT, 'ls-files', '--cached', '--others', '--exclude-standard').split('\n');
  for (const file of files) {
    if (!existsSync(join(REPO_ROOT, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(REPO_ROOT, file), join(copy, file));
  }
  git(copy, 'init', '--quiet', '--initial-branch=main');
  git(copy, 'config', 'user.name', 'Omit Dev');
  git(copy, 'config', 'user.email', 'omit-dev@example.com');
  git(copy, 'config', 'commit.gpgsign', 'false');
  git(copy, 'add', '--all');
  git(copy, 'commit', '--quiet', '-m', 'copy');
}, 120_000);
afterAll(() => rmSync(copy, { recursive: true, force: true }), 60_000);

describe('npm ci --omit=dev', () => {
  it('should install without devDependencies and build the CLI in prepare', () => {
    const r = npm('ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline');
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(copy, 'node_modules', 'vitest'))).toBe(false);
    expect(existsSync(join(copy, 'node_modules', '@biomejs', 'biome'))).toBe(false);
    expect(existsSync(join(copy, 'build', 'synth.cjs'))).toBe(true);
  }, 300_000);

  it('should run npm run synth -- --check with nothing on stderr (no DEP0040 punycode warning)', () => {
    const r = npm('run', '-s', 'synth', '--', '--check');
    expect(r, r.err).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^synth --check: dist is up to date/);
  }, 60_000);

  it('should run npm run bump and commit the change', () => {
    const r = npm('run', '-s', 'bump', '--', 'dev', '--tag', '0.2.0', '--commit');
    expect(r, r.err).toMatchObject({ code: 0, err: '' });
    expect(git(copy, 'log', '-1', '--format=%s')).toBe('dev: bump image to 0.2.0');
    expect(git(copy, 'status', '--porcelain')).toBe('');
  }, 60_000);
});
