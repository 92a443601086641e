// Every npm package the CLI bundle contains (or loads beside it) is installed by `npm ci --omit=dev`: the
// bundle's inputs, from esbuild's metafile, checked against package-lock.json's dev flags. Fast and offline;
// test/e2e/omit-dev-install.test.ts proves the same by installing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

interface LockEntry {
  readonly dev?: boolean;
}

describe('runtime dependencies of the synth CLI', () => {
  it('should bundle only packages that a production install has, and the Kubernetes client only apart', async () => {
    const script = pathToFileURL(join(ROOT, 'synth', 'scripts', 'build.mjs')).href;
    const options = (await import(script)) as Record<
      'buildOptions' | 'kubeBuildOptions',
      (out: string) => object
    >;
    // The main bundle and the Kubernetes client's bundle beside it.
    const inputs: string[] = [];
    const mainInputs: string[] = [];
    for (const of of [options.buildOptions, options.kubeBuildOptions]) {
      const result = await build({ ...of(join(ROOT, 'build', 'unused.cjs')), write: false, metafile: true });
      inputs.push(...Object.keys(result.metafile.inputs));
      if (of === options.buildOptions) mainInputs.push(...Object.keys(result.metafile.inputs));
    }
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const packages = new Set<string>();
    for (const input of inputs) {
      const at = input.lastIndexOf('node_modules/');
      if (at < 0) continue;
      const name = /^node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(input.slice(at))?.[1] as string;
      packages.add(`${input.slice(0, at)}node_modules/${name}`);
    }
    const devOnly = [...packages].filter(
      (p) => lock.packages[p] === undefined || lock.packages[p]?.dev === true,
    );
    expect(packages.size).toBeGreaterThan(20);
    expect(mainInputs.filter((i) => i.includes('node_modules/@kubernetes/client-node/'))).toEqual([]);
    expect(devOnly).toEqual([]);
  }, 60_000);
});
