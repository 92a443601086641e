#!/usr/bin/env node
// Builds the synth CLI: build/synth.cjs, the one-file esbuild bundle of synth/src, and from it
// build/synth-<node version>.blob, a start-up snapshot of the warmed-up bundle for the Node that builds it.
// `npm ci` runs this (the package's `prepare` script), and so does `npm run build:synth`; build/ is ignored by git.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildDir = join(root, 'build');
/** The bundle the launcher (synth/bin/synth.mjs) runs. */
export const BUNDLE = join(buildDir, 'synth.cjs');
/** The snapshot synth/bin/synth runs: one per Node version, since a snapshot starts only on the Node that wrote it. */
export const snapshotPath = (version = process.version) => join(buildDir, `synth-${version}.blob`);
/** Written instead of the snapshot when Node cannot build it, so no run tries again until the sources change. */
export const snapshotFailedPath = (version = process.version) => `${snapshotPath(version)}.failed`;
const resolve = createRequire(join(root, 'package.json')).resolve;

/** esbuild's options for the bundle, written to `outfile`. */
export function buildOptions(outfile) {
  return {
    entryPoints: [join(root, 'synth', 'src', 'cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    alias: {
      // cdk8s ships its own copy of the same yaml release; one copy halves that part of the bundle.
      yaml: dirname(resolve('yaml/package.json')),
      // The models' validator (ajv-formats-draft2019) requires `punycode`, which resolves to Node's deprecated
      // built-in (a DEP0040 warning on every run from Node 22); the same code ships as the npm package.
      punycode: resolve('punycode/punycode.js'),
    },
  };
}

/**
 * Builds the start-up snapshot of the current bundle with this Node (`node --build-snapshot`, which runs the
 * bundle's warm-up render of environments/ first: synth/src/cli/snapshot.ts), beside its target and renamed,
 * and removes the snapshots of other Node versions. Returns false, with the reason in `<blob>.failed` and one
 * line on stderr, when Node cannot build it: the CLI then runs from the bundle, as fast as before snapshots.
 */
export function buildSnapshot() {
  const blob = snapshotPath();
  const temp = `${blob}.${process.pid}.tmp`;
  // A snapshot's entry is a script with a `require` of built-in modules only, and no `module`: the bundle (which
  // requires nothing else) runs inside a function that gives it one.
  const entry = `${BUNDLE}.${process.pid}.snapshot.cjs`;
  writeFileSync(
    entry,
    `(function (module, exports) {\n${readFileSync(BUNDLE, 'utf8')}\n})({ exports: {} }, {});\n`,
  );
  // Node warns that child_process is "not yet fully verified" in snapshots; the CLI's tests run every command
  // that uses it from the snapshot, so the warning is not shown (the output is, when the build fails).
  const r = spawnSync(process.execPath, ['--snapshot-blob', temp, '--build-snapshot', entry, root], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  rmSync(entry, { force: true });
  for (const name of readdirSync(buildDir)) {
    if (/^synth-v[\d.]+\.blob(\.failed)?$/.test(name) && !name.startsWith(`synth-${process.version}.`)) {
      rmSync(join(buildDir, name), { force: true });
    }
  }
  if (r.status !== 0) {
    rmSync(temp, { force: true });
    const why = `${r.error?.message ?? ''}${r.stderr ?? ''}`.trim() || `exit ${r.status ?? r.signal}`;
    writeFileSync(snapshotFailedPath(), `${why}\n`);
    process.stderr.write(
      `synth: no start-up snapshot for Node ${process.version} (${why.split('\n')[0]}); the CLI runs from the bundle\n`,
    );
    return false;
  }
  renameSync(temp, blob);
  rmSync(snapshotFailedPath(), { force: true });
  return true;
}

/** Builds the bundle beside its target and renames it (a concurrent start never loads a half-written file), then its snapshot. */
export async function buildSynth() {
  const { build } = await import('esbuild');
  const temp = `${BUNDLE}.${process.pid}.tmp`;
  await build(buildOptions(temp));
  renameSync(temp, BUNDLE);
  buildSnapshot();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildSynth();
}
