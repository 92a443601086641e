#!/usr/bin/env node
// Launcher for the synth CLI. Rebuilds build/synth.cjs with esbuild only when a source file is newer than the
// bundle (an mtime walk of a few dozen files), then runs it through a V8 code cache (build/synth.cjs.cache),
// which halves start-up on Node 20 (no module.enableCompileCache there). No TypeScript loader at run time.
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = join(root, 'build', 'synth.cjs');
const cachePath = `${bundle}.cache`;
const inputs = [join(root, 'synth', 'src'), join(root, 'package-lock.json'), fileURLToPath(import.meta.url)];

function newestMtime(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry.endsWith('.test.ts') || entry === '__snapshots__') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

async function ensureBundle() {
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  if (built > Math.max(...inputs.map(newestMtime))) return;
  const { build } = await import('esbuild');
  // Build beside the target and rename, so concurrent launches never load a half-written bundle.
  const temp = `${bundle}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(root, 'synth', 'src', 'cli.ts')],
    outfile: temp,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    // cdk8s ships its own copy of the same yaml release; one copy halves that part of the bundle.
    // The models' validator (ajv-formats-draft2019) requires `punycode`, which resolves to Node's deprecated
    // built-in (a DEP0040 warning on every run from Node 22); the same code ships as the userland package.
    alias: {
      yaml: join(root, 'node_modules', 'yaml'),
      punycode: join(root, 'node_modules', 'punycode', 'punycode.js'),
    },
    // The PrometheusRule model validates CRD patterns with RE2 compiled to WebAssembly; re2-wasm reads its
    // .wasm beside its own file, so it is loaded from node_modules, not bundled.
    external: ['re2-wasm'],
  });
  renameSync(temp, bundle);
}

function load() {
  const source = readFileSync(bundle, 'utf8');
  const cachedData = existsSync(cachePath) ? readFileSync(cachePath) : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  const fresh = !cachedData || script.cachedDataRejected;
  return { run: module.exports.run, saveCache: fresh ? () => saveCache(script) : () => {} };
}

function saveCache(script) {
  // After a run the cache also holds the functions the run compiled; written atomically, best effort.
  try {
    const temp = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, cachePath);
  } catch {
    // A missing cache only costs start-up time.
  }
}

try {
  await ensureBundle();
  if (process.argv[2] === '--build') {
    // `npm run build:synth`: only (re)build the bundle.
    process.exitCode = 0;
  } else {
    const { run, saveCache: save } = load();
    // run() never throws: it prints every error as one line (or more for lists) and returns the exit code.
    process.exitCode = await run(process.argv.slice(2));
    save();
  }
} catch (error) {
  // Only a broken checkout gets here (the bundle cannot be built or loaded): one line, the stack on request.
  const message = String(error instanceof Error ? error.message : error).split('\n')[0];
  process.stderr.write(
    `synth: cannot start: ${message} (run npm ci; SYNTH_DEBUG=1 prints the stack trace)\n`,
  );
  if (process.env.SYNTH_DEBUG === '1')
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
}
