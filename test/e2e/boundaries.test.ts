// `service/` (the API) and `synth/` (the renderer and ops CLI) are separate programs: no file of one imports the
// other, so each builds and ships alone. Their tests included: synth's tests that need the real service start it
// as a process (`service/src/main.ts`, configured through its environment), as a deployment does. What the two
// must agree on (the DynamoDB actions, the metric names, the environment variables) is checked by the
// repository-level tests (this folder's), the only code that may read both.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** Test code: test files and test folders (synth/test, service/test). */
const isTestCode = (path: string) =>
  /\.test\.[cm]?[jt]s$/.test(path) || /\/(testing|test)\//.test(relative(ROOT, path));

/** Every source file under `dir`, test code included (no node_modules, no build output). */
function sourcesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'build' || name === 'dist') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesOf(path);
    return SOURCE.test(name) ? [path] : [];
  });
}

/** Relative specifiers a file imports, requires or dynamically imports, resolved to absolute paths. */
function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((f) => f.startsWith('.'))
    .map((f) => resolve(dirname(file), f));
}

/** `<file> imports <target>` for every import of a file under `from` that lands under `to`. */
function crossings(files: readonly string[], from: string, to: string, read = importsOf): string[] {
  const fromDir = join(ROOT, from);
  const toDir = join(ROOT, to);
  return files
    .filter((f) => f.startsWith(`${fromDir}/`))
    .flatMap((f) =>
      read(f)
        .filter((target) => target === toDir || target.startsWith(`${toDir}/`))
        .map((target) => `${relative(ROOT, f)} imports ${relative(ROOT, target)}`),
    );
}

describe('service and synth never import each other', () => {
  const files = [...sourcesOf(join(ROOT, 'service')), ...sourcesOf(join(ROOT, 'synth'))];

  it('should find no import from service/ into synth/, nor from synth/ into service/', () => {
    expect(files.length).toBeGreaterThan(80);
    // Tests and their helpers are checked too.
    const rel = files.map((f) => relative(ROOT, f));
    expect(rel).toContain('synth/test/guestlist-service.ts');
    expect(rel).toContain('synth/src/cluster/prometheus-query.test.ts');
    expect(rel).toContain('service/test/ddb-local.ts');
    expect(files.filter(isTestCode).length).toBeGreaterThan(50);
    expect(crossings(files, 'service', 'synth')).toEqual([]);
    expect(crossings(files, 'synth', 'service')).toEqual([]);
  });

  it('should catch one (static, type-only and dynamic imports alike)', () => {
    const file = join(ROOT, 'synth', 'src', 'charts', 'example.ts');
    const text = [
      "import { DynamoGuestStore } from '../../../service/src/store';",
      "import type { Config } from '../../../service/src/config';",
      "const m = await import('../../../service/src/server');",
    ].join('\n');
    expect(crossings([file], 'synth', 'service', (f) => importsOf(f, text))).toEqual([
      'synth/src/charts/example.ts imports service/src/store',
      'synth/src/charts/example.ts imports service/src/config',
      'synth/src/charts/example.ts imports service/src/server',
    ]);
  });

  it('should catch one in test code too, either way', () => {
    const synthTest = join(ROOT, 'synth', 'test', 'example.ts');
    const synthText = [
      "import { startServer } from '../../service/src/server';",
      "import { startDynamoLocal } from '../../service/test/ddb-local';",
    ].join('\n');
    expect(crossings([synthTest], 'synth', 'service', (f) => importsOf(f, synthText))).toEqual([
      'synth/test/example.ts imports service/src/server',
      'synth/test/example.ts imports service/test/ddb-local',
    ]);
    const serviceTest = join(ROOT, 'service', 'test', 'example.test.ts');
    const serviceText = "import { loadEnvironment } from '../../synth/src/config/load';";
    expect(crossings([serviceTest], 'service', 'synth', (f) => importsOf(f, serviceText))).toEqual([
      'service/test/example.test.ts imports synth/src/config/load',
    ]);
    // Starting the other program as a process, by its path, is not an import.
    const spawnText = "spawn(process.execPath, ['--import', 'tsx', 'service/src/main.ts']);";
    expect(crossings([synthTest], 'synth', 'service', (f) => importsOf(f, spawnText))).toEqual([]);
  });
});
