// How the CLI starts: synth/bin/synth (what every npm script runs) picks the start-up snapshot when it is current
// for the Node on PATH and the sources, and the bundle launcher otherwise; a checkout without any build gets
// both on its first run, and the snapshot then runs on its own. Real sh, find and Node; one fake `node` only to
// read which of the two the wrapper chose.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/temp-repo';

const WRAPPER = join(REPO_ROOT, 'synth', 'bin', 'synth');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

describe('synth/bin/synth chooses what to start', () => {
  /** A checkout layout with the real wrapper, a blob for `version`, and a `node` that prints its arguments. */
  function layout(blobVersion: string) {
    const root = temp('synth-wrapper-');
    mkdirSync(join(root, 'synth', 'bin'), { recursive: true });
    copyFileSync(WRAPPER, join(root, 'synth', 'bin', 'synth'));
    mkdirSync(join(root, 'synth', 'src', 'cli'), { recursive: true });
    mkdirSync(join(root, 'synth', 'scripts'), { recursive: true });
    mkdirSync(join(root, 'build'));
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'synth', 'src', 'cli', 'a.ts'), '');
    writeFileSync(join(root, 'synth', 'scripts', 'build.mjs'), '');
    writeFileSync(
      join(root, 'bin', 'node'),
      '#!/bin/sh\nif [ "$1" = --version ]; then echo v99.0.0; exit 0; fi\nprintf "%s\\n" "$@"\n',
    );
    chmodSync(join(root, 'bin', 'node'), 0o755);
    // Sources an hour old, the blob a minute old: current unless a test makes a source newer.
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const p of ['synth/src/cli/a.ts', 'synth/src/cli', 'synth/src', 'synth/scripts/build.mjs']) {
      utimesSync(join(root, p), hourAgo, hourAgo);
    }
    const blob = join(root, 'build', `synth-${blobVersion}.blob`);
    writeFileSync(blob, '');
    utimesSync(blob, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    return root;
  }

  /** The arguments the wrapper handed to `node`, one per line (the fake prints them). */
  function started(root: string, ...args: string[]): string[] {
    const r = spawnSync('sh', [join(root, 'synth', 'bin', 'synth'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH}` },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout.trimEnd().split('\n');
  }

  it('should start the snapshot of this Node, with every argument after `--`', () => {
    const root = layout('v99.0.0');
    expect(started(root, '--check', 'a b')).toEqual([
      '--snapshot-blob',
      `${root}/synth/bin/../../build/synth-v99.0.0.blob`,
      '--',
      '--check',
      'a b',
    ]);
  });

  it('should still start the snapshot when only a test file is newer', () => {
    const root = layout('v99.0.0');
    writeFileSync(join(root, 'synth', 'src', 'cli', 'a.test.ts'), '');
    // Creating the file also touched its folder: put the folder back, as an edit of an existing test leaves it.
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(root, 'synth', 'src', 'cli'), hourAgo, hourAgo);
    expect(started(root)[0]).toBe('--snapshot-blob');
  });

  it.each([
    ['a source under synth/src is newer', 'synth/src/cli/a.ts'],
    ['the build script is newer', 'synth/scripts/build.mjs'],
  ])('should run the bundle launcher (which rebuilds) when %s', (_, path) => {
    const root = layout('v99.0.0');
    utimesSync(join(root, path), new Date(), new Date());
    expect(started(root, 'bump', '--tag', '1.0.0')).toEqual([
      `${root}/synth/bin/../../synth/bin/synth.mjs`,
      'bump',
      '--tag',
      '1.0.0',
    ]);
  });

  it('should run the bundle launcher when the only snapshot is of another Node version', () => {
    const root = layout('v98.0.0');
    expect(started(root, '--check')).toEqual([`${root}/synth/bin/../../synth/bin/synth.mjs`, '--check']);
  });
});

describe('a checkout without any build', () => {
  it('should build the bundle and the snapshot on its first run, and start from the snapshot alone after', () => {
    const root = temp('synth-first-run-');
    for (const path of ['synth/bin', 'synth/src', 'synth/scripts', 'environments', 'dist', 'argocd']) {
      cpSync(join(REPO_ROOT, path), join(root, path), { recursive: true });
    }
    copyFileSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
    // The Node running this test first on PATH: the wrapper's `node` is the one the snapshot is built with.
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };
    const run = () =>
      spawnSync('sh', [join(root, 'synth', 'bin', 'synth'), '--check'], {
        cwd: root,
        encoding: 'utf8',
        env,
        timeout: 120_000,
      });

    const first = run();
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^synth --check: dist is up to date/);
    expect(first.status).toBe(0);
    const blob = join(root, 'build', `synth-${process.version}.blob`);
    expect(existsSync(blob)).toBe(true);

    // Without the bundle, only the snapshot can answer.
    rmSync(join(root, 'build', 'synth.cjs'));
    const second = run();
    expect(second.stderr).toBe('');
    expect(second.stdout).toMatch(/^synth --check: dist is up to date/);
    expect(second.status).toBe(0);

    // A broken environment file is read at run time, not frozen into the snapshot by its warm-up render.
    writeFileSync(join(root, 'environments', 'dev.yaml'), 'name: dev\nreplicas: many\n');
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/dev\.yaml/);
    expect(existsSync(join(root, 'build', 'synth.cjs'))).toBe(false);
  }, 180_000);
});
