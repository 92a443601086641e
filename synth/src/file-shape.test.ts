// Holds the shape a newcomer relies on (issue #20): every production file of synth/src and service/src opens
// with a comment stating its one job, and none is longer than MAX_LINES.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const SOURCE_DIRS = ['synth/src', 'service/src'];
/** Longer than this, a file holds more than one job: split it. */
const MAX_LINES = 400;

/** Test code: `*.test.ts`, files under a `testing/` folder, and `*test-support*` files. */
const isTestCode = (path: string) =>
  path.endsWith('.test.ts') || path.split('/').includes('testing') || path.includes('test-support');

/** Production TypeScript files, relative to the repository root, read from disk (new files included). */
function productionFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return productionFiles(path);
    return entry.isFile() && path.endsWith('.ts') && !isTestCode(path) ? [path] : [];
  });
}

const files = SOURCE_DIRS.flatMap((dir) => productionFiles(dir)).sort();
const textOf = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The first non-blank line is a comment (`//` or `/*`), so the comment comes before the imports. */
function opensWithComment(text: string): boolean {
  const first = text
    .split('\n')
    .find((line) => line.trim() !== '')
    ?.trim();
  return first?.startsWith('//') === true || first?.startsWith('/*') === true;
}

/** Lines of a file, its final newline not counted. */
const lineCount = (text: string) => text.replace(/\n$/, '').split('\n').length;

describe('file shape', () => {
  it('finds the production files', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('synth/src/cli.ts');
    expect(files).toContain('service/src/main.ts');
  });

  it('every production file opens with a comment stating its job, before its imports', () => {
    const missing = files.filter((file) => !opensWithComment(textOf(file)));
    expect(missing, 'write a one-to-three-line comment of what the file is for at its top').toEqual([]);
  });

  it(`no production file is longer than ${MAX_LINES} lines`, () => {
    const long = files
      .map((file) => ({ file, lines: lineCount(textOf(file)) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(long, 'split the file along its jobs').toEqual([]);
  });

  it('the checks tell a commented file from one that is not', () => {
    // The checks' own samples, so a broken check cannot pass every file silently.
    expect(opensWithComment('\n// Loads the environment files.\nimport x from "x";\n')).toBe(true);
    expect(opensWithComment('/**\n * Loads the environment files.\n */\nimport x from "x";\n')).toBe(true);
    expect(opensWithComment('import x from "x";\n// Loads the environment files.\n')).toBe(false);
    expect(opensWithComment('')).toBe(false);
    expect(lineCount('a\nb\n')).toBe(2);
    expect(isTestCode('synth/src/cluster/testing/fixtures.ts')).toBe(true);
    expect(isTestCode('synth/src/cli/cli-test-support.ts')).toBe(true);
    expect(isTestCode('synth/src/config/load.ts')).toBe(false);
  });
});
