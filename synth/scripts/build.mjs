#!/usr/bin/env node
// Builds the synth CLI's one file, build/synth.cjs, from synth/src with esbuild. `npm ci` runs it (the
// package's `prepare` script), and so does `npm run build:synth`; build/ is ignored by git.
import { renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The bundle the launcher (synth/bin/synth.mjs) runs. */
export const BUNDLE = join(root, 'build', 'synth.cjs');
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

/** Builds the bundle beside its target and renames it, so a concurrent start never loads a half-written file. */
export async function buildSynth() {
  const { build } = await import('esbuild');
  const temp = `${BUNDLE}.${process.pid}.tmp`;
  await build(buildOptions(temp));
  renameSync(temp, BUNDLE);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildSynth();
}
