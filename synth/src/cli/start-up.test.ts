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
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { machine, tmpdir, type } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTree } from '../../test/cli';
import { cliCommand, copyRepo } from '../../test/launcher';
import { opsRepo } from '../../test/ops-repo';
import { REPO_ROOT } from '../../test/temp-repo';

const WRAPPER = join(REPO_ROOT, 'synth', 'bin', 'synth');
const LAUNCHER_MJS = join(REPO_ROOT, 'synth', 'bin', 'synth.mjs');
/** The snapshot's name for a Node version on this system, as synth/scripts/build.mjs writes it. */
const blobName = (version: string) => `synth-${version}-${type()}-${machine()}.blob`;
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
    writeFileSync(join(root, 'synth', 'scripts', 'kube-client.cjs'), '');
    mkdirSync(join(root, 'node_modules'));
    writeFileSync(join(root, 'node_modules', '.package-lock.json'), '{}');
    writeFileSync(
      join(root, 'bin', 'node'),
      '#!/bin/sh\nif [ "$1" = --version ]; then echo v99.0.0; exit 0; fi\nprintf "%s\\n" "$@"\n',
    );
    chmodSync(join(root, 'bin', 'node'), 0o755);
    // Sources an hour old, the blob a minute old: current unless a test makes a source newer.
    const hourAgo = new Date(Date.now() - 3_600_000);
    const paths = [
      'synth/src/cli/a.ts',
      'synth/src/cli',
      'synth/src',
      'synth/scripts/build.mjs',
      'synth/scripts/kube-client.cjs',
      'synth/scripts',
    ];
    for (const p of [...paths, 'node_modules/.package-lock.json']) {
      utimesSync(join(root, p), hourAgo, hourAgo);
    }
    writeFileSync(join(root, 'build', 'synth-kube.cjs'), '');
    const blob = join(root, 'build', blobName(blobVersion));
    writeFileSync(blob, '');
    utimesSync(blob, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    return root;
  }

  /** The arguments the wrapper handed to `node`, one per line (the fake prints them). */
  function started(root: string, ...args: string[]): string[] {
    return startedAs(join(root, 'synth', 'bin', 'synth'), root, ...args);
  }

  function startedAs(entry: string, root: string, ...args: string[]): string[] {
    const r = spawnSync('sh', [entry, ...args], {
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
      '--disable-warning=DEP0169',
      '--snapshot-blob',
      `${root}/synth/bin/../../build/${blobName('v99.0.0')}`,
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
    expect(started(root)[1]).toBe('--snapshot-blob');
  });

  it.each([
    ['a source under synth/src is newer', 'synth/src/cli/a.ts'],
    ['the build script is newer', 'synth/scripts/build.mjs'],
    ["the Kubernetes client's stand-in is newer", 'synth/scripts/kube-client.cjs'],
    ['the installed packages are newer (npm install)', 'node_modules/.package-lock.json'],
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

  it('should find the checkout through a symbolic link to the wrapper', () => {
    const root = layout('v99.0.0');
    const link = join(temp('synth-link-'), 'synth');
    symlinkSync(join(root, 'synth', 'bin', 'synth'), link);
    expect(startedAs(link, root, '--check')).toEqual([
      '--disable-warning=DEP0169',
      '--snapshot-blob',
      `${root}/synth/bin/../../build/${blobName('v99.0.0')}`,
      '--',
      '--check',
    ]);
  });

  it('should run the bundle launcher (which rebuilds) when the Kubernetes client bundle is missing', () => {
    const root = layout('v99.0.0');
    rmSync(join(root, 'build', 'synth-kube.cjs'));
    expect(started(root, 'status')).toEqual([`${root}/synth/bin/../../synth/bin/synth.mjs`, 'status']);
  });

  it('should run the bundle launcher when the only snapshot is of another Node version', () => {
    const root = layout('v98.0.0');
    expect(started(root, '--check')).toEqual([`${root}/synth/bin/../../synth/bin/synth.mjs`, '--check']);
  });
});

/** A temporary checkout of the CLI (sources, settings, dist/; this repository's node_modules linked), no build/. */
function checkout(edit?: (root: string) => void) {
  const root = temp('synth-checkout-');
  for (const path of ['synth/bin', 'synth/src', 'synth/scripts', 'environments', 'dist', 'argocd']) {
    cpSync(join(REPO_ROOT, path), join(root, path), { recursive: true });
  }
  copyFileSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  edit?.(root);
  // The Node running this test first on PATH: the wrapper's `node` is the one the snapshot is built with.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };
  const run = (...args: string[]) =>
    spawnSync('sh', [join(root, 'synth', 'bin', 'synth'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env,
      timeout: 120_000,
    });
  return { root, run };
}

describe('a checkout without any build', () => {
  it('should build the bundle and the snapshot on its first run without touching the checkout, then start from the snapshot alone', () => {
    const { root, run } = checkout();
    // A stale environments/schema.json: the build's warm-up render must not repair it behind the check's back.
    const schema = join(root, 'environments', 'schema.json');
    const committed = readFileSync(schema, 'utf8');
    writeFileSync(schema, `${committed}\n`);

    const first = run('--check');
    expect(first.stderr).toMatch(/schema\.json/);
    expect(first.status).toBe(1);
    expect(readFileSync(schema, 'utf8')).toBe(`${committed}\n`);
    expect(existsSync(join(root, 'build', blobName(process.version)))).toBe(true);
    writeFileSync(schema, committed);

    // Without the bundle, only the snapshot can answer.
    rmSync(join(root, 'build', 'synth.cjs'));
    const second = run('--check');
    expect(second.stderr).toBe('');
    expect(second.stdout).toMatch(/^synth --check: dist is up to date/);
    expect(second.status).toBe(0);

    // A broken environment file is read at run time, not frozen into the snapshot by its warm-up render.
    writeFileSync(join(root, 'environments', 'dev.yaml'), 'name: dev\nreplicas: many\n');
    const broken = run('--check');
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/dev\.yaml/);
    expect(existsSync(join(root, 'build', 'synth.cjs'))).toBe(false);
  }, 180_000);

  it('should run from the bundle, saying so once, when the snapshot cannot be built', () => {
    const { root, run } = checkout((dir) => {
      const cli = join(dir, 'synth', 'src', 'cli.ts');
      writeFileSync(
        cli,
        `${readFileSync(cli, 'utf8')}\nif (buildingSnapshot()) throw new Error('no snapshot here');\n`,
      );
    });
    const first = run('--check');
    expect(first.stderr).toBe(
      `synth: no start-up snapshot for Node ${process.version} (Error: no snapshot here); the CLI runs from the bundle\n`,
    );
    expect(first.stdout).toMatch(/^synth --check: dist is up to date/);
    expect(first.status).toBe(0);
    const blob = join(root, 'build', blobName(process.version));
    expect(existsSync(blob)).toBe(false);
    expect(readFileSync(`${blob}.failed`, 'utf8')).toBe('Error: no snapshot here\n');
    // The failure is remembered until the sources change: no second attempt, no second message.
    const second = run('--check');
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
  }, 180_000);
});

describe('this checkout', () => {
  it('should have a current snapshot for this Node, so every CLI test runs from it', () => {
    // Any run rebuilds what is stale first (an edit before this test).
    expect(spawnSync('sh', [WRAPPER, 'help'], { encoding: 'utf8' }).status).toBe(0);
    const blob = join(REPO_ROOT, 'build', blobName(process.version));
    expect(existsSync(`${blob}.failed`)).toBe(false);
    expect(existsSync(blob)).toBe(true);
    const find = spawnSync(
      'find',
      [join(REPO_ROOT, 'synth', 'src'), '-newer', blob, '!', '-name', '*.test.ts', '-print'],
      { encoding: 'utf8' },
    );
    expect(find.stdout).toBe('');
  });

  it('should render the same files and print the same report from the snapshot as from the bundle', () => {
    const work = copyRepo('synth-same-');
    temps.push(work);
    const bundle = spawnSync(process.execPath, [LAUNCHER_MJS, '--out', 'a'], { cwd: work, encoding: 'utf8' });
    const snapshot = spawnSync(...cliCommand('--out', 'b'), { cwd: work, encoding: 'utf8' });
    const report = (out: string) => out.replace(/\(\d+ ms\)/, '(… ms)').replace(/ into [ab]:/, ' into …:');
    expect(bundle.status).toBe(0);
    expect(snapshot.status).toBe(0);
    expect(report(snapshot.stdout)).toBe(report(bundle.stdout));
    const fromBundle = readTree(join(work, 'a'), ['.']);
    expect(Object.keys(fromBundle).length).toBeGreaterThan(50);
    expect(readTree(join(work, 'b'), ['.'])).toEqual(fromBundle);
  });
});

describe('the Kubernetes client, bundled apart', () => {
  it.each([[['status']], [['verify', 'dev']], [['promote', 'dev', 'staging']]])(
    'should load for %j from the snapshot and print only the command’s own one-line refusal',
    (args) => {
      const repo = opsRepo();
      const r = spawnSync(...cliCommand(...args), {
        cwd: repo.dir,
        encoding: 'utf8',
        // A home without a kubeconfig, no KUBECONFIG: the command loads the client, finds no cluster, refuses.
        env: { PATH: process.env.PATH ?? '', HOME: join(repo.dir, 'home') },
        timeout: 60_000,
      });
      repo.cleanup();
      expect(r.stderr).toMatch(/no kubeconfig: /);
      // One line: no deprecation or other warning from the client's bundle (DEP0040 came from its `punycode`).
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.status).toBe(1);
    },
  );
});
