// npm run test:service:node24 — the service's tests (the bundle's included) on the exact Node version the
// image runs, read from service/Dockerfile and fetched as the npm registry's `node` package. `npm test` runs
// on this machine's Node; this is the second run CI adds so the runtime that ships is the one tested.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The Node version of the Dockerfile's `ARG NODE_IMAGE=node:<version>-...`; throws naming the rule. */
export function imageNodeVersion(dockerfile: string): string {
  const match = /^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)\b/m.exec(dockerfile);
  if (match?.[1] === undefined) {
    throw new Error('service/Dockerfile: ARG NODE_IMAGE must name an exact node:<major.minor.patch> image');
  }
  return match[1];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const version = imageNodeVersion(readFileSync(`${root}service/Dockerfile`, 'utf8'));
  console.log(`service tests on Node ${version} (the image's), from the registry's node package`);
  const child = spawn(
    'npx',
    [
      '--yes',
      `node@${version}`,
      'node_modules/vitest/vitest.mjs',
      'run',
      '--project',
      'service',
      ...process.argv.slice(2),
    ],
    { cwd: root, stdio: 'inherit' },
  );
  child.once('exit', (code, signal) => {
    process.exitCode = code ?? (signal === null ? 1 : 128);
  });
}
