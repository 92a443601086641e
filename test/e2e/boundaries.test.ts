// `service/` (the API) and `synth/` (the renderer and ops CLI) are separate programs: no shipped source of one
// imports the other, so each builds and ships alone. What they must agree on (the DynamoDB actions, the metric
// names, the environment variables) is checked by tests, which may start the real service: repository-level
// tests like this folder's, and test-support files (`*.test.ts`, `*.test-support.ts`, `testing/`, `test/`).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** Test code: test files, test-support files and test folders. */
const isTestCode = (path: string) =>
  /\.test(-support)?\.[cm]?[jt]s$/.test(path) || /\/(testing|test)\//.test(relative(ROOT, path));

/** Every shipped source file under `dir` (no node_modules, no build output, no test code). */
function sourcesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'build' || name === 'dist') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesOf(path);
    return SOURCE.test(name) && !isTestCode(path) ? [path] : [];
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
    expect(files.filter(isTestCode)).toEqual([]);
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
});
