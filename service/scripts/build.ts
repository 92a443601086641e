// Bundles the service into one self-contained ESM file for the container: build/service/main.mjs.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Options for {@link buildService}. */
export interface BuildServiceOptions {
  /** Entry point. @default service/src/main.ts */
  readonly entry?: string;
  /** Output file. @default build/service/main.mjs */
  readonly outfile?: string;
}

/** Shared esbuild settings for node bundles (the service, and the bench's helpers). */
export function nodeBundleOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    // Prefer the ESM builds of dependencies; CJS ones that call require() on node builtins still need a
    // real `require`, which ESM output lacks, hence the banner.
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  };
}

/** Bundles the service; resolves to the output path. */
export async function buildService(options: BuildServiceOptions = {}): Promise<string> {
  const entry = options.entry ?? resolve(root, 'service/src/main.ts');
  const outfile = options.outfile ?? resolve(root, 'build/service/main.mjs');
  await mkdir(dirname(outfile), { recursive: true });
  await build(nodeBundleOptions(entry, outfile));
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = await buildService();
  console.log(`built ${outfile}`);
}
