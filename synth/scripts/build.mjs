#!/usr/bin/env node
// Builds the synth CLI: build/synth.cjs, the esbuild bundle of synth/src (build/synth-kube.cjs beside it holds
// the Kubernetes client, loaded only by the commands that read a cluster), and from it
// build/synth-<node version>-<os>-<machine>.blob, a start-up snapshot of the warmed-up bundle for the Node that
// builds it. `npm ci` runs this (the package's `prepare` script), and so does `npm run build:synth`; build/ is
// ignored by git.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildDir = join(root, 'build');
/** The bundle the launcher (synth/bin/synth.mjs) runs. */
export const BUNDLE = join(buildDir, 'synth.cjs');
/** `@kubernetes/client-node`, bundled on its own and loaded by the commands that read a cluster. */
export const KUBE_BUNDLE = join(buildDir, 'synth-kube.cjs');
/** `<os>-<machine>` as `uname -s` and `uname -m` print them (synth/bin/synth builds the same name). */
const PLATFORM = `${os.type()}-${os.machine()}`;
/**
 * The snapshot synth/bin/synth starts: a snapshot starts only on the Node version, OS and machine that wrote
 * it, so each gets its own (one checkout mounted into a container of another OS keeps both).
 */
export const SNAPSHOT = join(buildDir, `synth-${process.version}-${PLATFORM}.blob`);
/** Written instead of the snapshot when it cannot be built, so no run tries again until the sources change. */
export const SNAPSHOT_FAILED = `${SNAPSHOT}.failed`;
const resolve = createRequire(join(root, 'package.json')).resolve;

/** synth/src/cluster/kube-api.ts, the one module that imports the Kubernetes client. */
const KUBE_API = join(root, 'synth', 'src', 'cluster', 'kube-api.ts');
/** In the main bundle, kube-api.ts is kube-client.cjs, which loads the client's own bundle when first used. */
const KUBE_APART = {
  name: 'kube-api-apart',
  setup(b) {
    // Any import that resolves to kube-api.ts (`./kube-api`, `./kube-api.js`, `../cluster/kube-api`, …).
    b.onResolve({ filter: /kube-api/ }, async (args) => {
      if (args.pluginData === KUBE_API) return undefined;
      const found = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: KUBE_API,
      });
      return found.path === KUBE_API
        ? { path: join(root, 'synth', 'scripts', 'kube-client.cjs') }
        : undefined;
    });
  },
};

/** What both bundles share: one CommonJS file for Node, whitespace and syntax minified, identifiers as written. */
const COMMON = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
};
/**
 * `punycode` as the npm package: the models' validator (ajv-formats-draft2019) and the client's URL parsing
 * (tr46) require it, which would resolve to Node's deprecated built-in (a DEP0040 warning on every run).
 */
const PUNYCODE = resolve('punycode/punycode.js');

/** esbuild's options for the bundle, written to `outfile`. */
export function buildOptions(outfile) {
  return {
    ...COMMON,
    entryPoints: [join(root, 'synth', 'src', 'cli.ts')],
    outfile,
    // The Kubernetes client is its own bundle (kubeBuildOptions), loaded on first use: see kube-client.cjs.
    plugins: [KUBE_APART],
    alias: {
      // cdk8s ships its own copy of the same yaml release; one copy halves that part of the bundle.
      yaml: dirname(resolve('yaml/package.json')),
      punycode: PUNYCODE,
    },
  };
}

/** esbuild's options for the Kubernetes client's bundle (what kube-api.ts exports), written to `outfile`. */
export function kubeBuildOptions(outfile) {
  return { ...COMMON, entryPoints: [KUBE_API], outfile, alias: { punycode: PUNYCODE } };
}

/** The line that says why a `node --build-snapshot` failed: its error's message, else its first line. */
function reasonOf(output) {
  const lines = output.split('\n').map((l) => l.trim());
  return lines.find((l) => /^[A-Za-z]*Error\b/.test(l)) ?? lines.find(Boolean) ?? 'no output';
}

/**
 * Builds the start-up snapshot of the current bundle with this Node (`node --build-snapshot`, which runs the
 * bundle's warm-up render first: synth/src/cli/snapshot.ts), beside its target and renamed, dated like the
 * bundle (the moment its sources were read), and removes this platform's snapshots built from older bundles.
 * Never throws: when the snapshot cannot be built (an error of the build, a full disk, a read-only checkout)
 * it returns false, leaves the reason in `<blob>.failed` where it can, and prints one line; the CLI then runs
 * from the bundle, as fast as before snapshots.
 */
export function buildSnapshot() {
  const temp = `${SNAPSHOT}.${process.pid}.tmp`;
  // A snapshot's entry is a script with a `require` of built-in modules only, and no `module`: the bundle (which
  // requires nothing else) runs inside a function that gives it one.
  const entry = `${BUNDLE}.${process.pid}.snapshot.cjs`;
  try {
    writeFileSync(
      entry,
      `(function (module, exports) {\n${readFileSync(BUNDLE, 'utf8')}\n})({ exports: {} }, {});\n`,
    );
    // --no-warnings: Node warns that child_process is "not yet fully verified" in snapshots; the CLI's tests run
    // every command that uses it from the snapshot.
    const r = spawnSync(
      process.execPath,
      ['--no-warnings', '--snapshot-blob', temp, '--build-snapshot', entry, root],
      { cwd: root, encoding: 'utf8', timeout: 120_000 },
    );
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(reasonOf(`${r.stderr}\n${r.stdout}`));
    const { mtime } = statSync(BUNDLE);
    utimesSync(temp, mtime, mtime);
    renameSync(temp, SNAPSHOT);
    rmSync(SNAPSHOT_FAILED, { force: true });
    // This platform's snapshots of other Node versions stay while they match the current bundle (switching
    // between two Nodes does not rebuild each time); older ones are stale anyway and go, as do failure notes.
    const others = new RegExp(
      `^synth-v[\\d.]+(-${PLATFORM.replace(/[^\w-]/g, '\\$&')})?\\.blob(\\.failed)?$`,
    );
    for (const name of readdirSync(buildDir)) {
      const path = join(buildDir, name);
      if (!others.test(name) || path.startsWith(SNAPSHOT)) continue;
      const built = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Number.POSITIVE_INFINITY;
      if (built < mtime.getTime()) rmSync(path, { force: true });
    }
    return true;
  } catch (error) {
    const why = String(error instanceof Error ? error.message : error).split('\n')[0];
    try {
      writeFileSync(SNAPSHOT_FAILED, `${why}\n`);
    } catch {
      // a read-only or full disk: the next run tries again, and says so again
    }
    process.stderr.write(
      `synth: no start-up snapshot for Node ${process.version} (${why}); the CLI runs from the bundle\n`,
    );
    return false;
  } finally {
    rmSync(entry, { force: true });
    rmSync(temp, { force: true });
  }
}

/**
 * Builds the bundles beside their targets and renames them (a concurrent start never loads a half-written
 * file), dated when the build started (a source saved during the build is newer, so the next run builds again), then
 * its snapshot.
 */
export async function buildSynth() {
  const { build } = await import('esbuild');
  const started = new Date();
  const builds = [
    [KUBE_BUNDLE, kubeBuildOptions],
    [BUNDLE, buildOptions],
  ];
  const temps = builds.map(([target]) => `${target}.${process.pid}.tmp`);
  try {
    await Promise.all(builds.map(([, options], i) => build(options(temps[i]))));
    // The Kubernetes client first: a run that sees the new main bundle finds the client it was built with.
    builds.forEach(([target], i) => {
      utimesSync(temps[i], started, started);
      renameSync(temps[i], target);
    });
  } finally {
    for (const temp of temps) rmSync(temp, { force: true });
  }
  buildSnapshot();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildSynth();
}
