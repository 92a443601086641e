#!/usr/bin/env node
// The synth CLI from its bundle: runs build/synth.cjs, the one-file build of synth/src that `npm ci` makes
// (synth/scripts/build.mjs, the package's `prepare`), under Node's compile cache, after rebuilding what is stale.
// npm's scripts start synth/bin/synth, which starts the CLI's snapshot instead when it is current and comes here
// when it is not; `node synth/bin/synth.mjs <args>` works wherever there is no POSIX shell.
import { readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// V8 bytecode of the bundle is cached between runs (in the OS temp folder): start-up without recompiling.
module.enableCompileCache?.();

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = join(root, 'build', 'synth.cjs');

/** Newest modification time under a source path (tests excluded): a few dozen stat calls. */
function newestMtime(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st?.isDirectory()) return st?.mtimeMs ?? 0;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (!entry.endsWith('.test.ts')) newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

const mtimeOf = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/**
 * In a checkout whose sources changed after the build (an edit, a pull, another branch, an `npm install`),
 * running the old bundle would render with old code: build again first (bundle and snapshot). A current bundle
 * without a current snapshot for this Node (another Node version, a deleted blob) gets its snapshot built,
 * unless an earlier build found that it cannot be built (`.failed`). Needs esbuild, a dependency.
 */
async function ensureCurrent() {
  const sources = [
    join(root, 'synth', 'src'),
    join(root, 'synth', 'scripts'),
    join(root, 'node_modules', '.package-lock.json'),
  ];
  const newest = Math.max(...sources.map(newestMtime));
  // The main bundle and the Kubernetes client's, built together (synth/scripts/build.mjs).
  if (Math.min(mtimeOf(bundle), mtimeOf(join(root, 'build', 'synth-kube.cjs'))) > newest) {
    const { SNAPSHOT, SNAPSHOT_FAILED, buildSnapshot } = await import('../scripts/build.mjs');
    if (Math.max(mtimeOf(SNAPSHOT), mtimeOf(SNAPSHOT_FAILED)) <= newest) buildSnapshot();
    return;
  }
  await (await import('../scripts/build.mjs')).buildSynth();
}

try {
  await ensureCurrent();
  const { run } = module.createRequire(import.meta.url)(bundle);
  // run() never throws: it prints every error as one line (or more for lists) and returns the exit code.
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  // Only a broken install gets here (the bundle cannot be built or loaded): one line, the stack on request.
  const message = String(error instanceof Error ? error.message : error).split('\n')[0];
  process.stderr.write(
    `synth: cannot start: ${message} (run npm ci; SYNTH_DEBUG=1 prints the stack trace)\n`,
  );
  if (process.env.SYNTH_DEBUG === '1')
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
}
