// `@kubernetes/client-node` as the CLI's bundle sees it (synth/scripts/build.mjs aliases the package to this
// file): the package is bundled on its own, build/synth-kube.cjs, and loaded when a command first reaches a
// cluster (status, verify, promote's gate). It is half of all the CLI's code, and the main bundle, which every
// command loads, and its start-up snapshot, which every start deserializes, are smaller without it.
const { createRequire } = require('node:module');
const { dirname, resolve } = require('node:path');

// Started from the snapshot (`node --snapshot-blob build/<blob> -- …`): the builds are beside the blob.
// Loaded from build/synth.cjs: beside this bundle.
const flag = process.execArgv.findIndex((a) => a === '--snapshot-blob' || a.startsWith('--snapshot-blob='));
const blob =
  flag < 0
    ? undefined
    : process.execArgv[flag].includes('=')
      ? process.execArgv[flag].slice('--snapshot-blob='.length)
      : process.execArgv[flag + 1];
const buildDir = blob === undefined ? __dirname : dirname(resolve(blob));
// V8's bytecode of the client's bundle is cached between runs, as the launcher does for the main bundle.
require('node:module').enableCompileCache?.();
const file = resolve(buildDir, 'synth-kube.cjs');
try {
  module.exports = createRequire(file)(file);
} catch (error) {
  // Only a broken build gets here (the launchers rebuild a missing client bundle before they start).
  throw new Error(
    `cannot load the Kubernetes client's bundle ${file} (${error.code ?? error.message}); run npm run build:synth`,
  );
}
