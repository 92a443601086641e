import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = __dirname;
/**
 * The config library's layers, lowest first: a file may import only from its own layer or lower ones. `domain`
 * (image reference, duration, git client, rendered tree) is the floor every folder stands on; only `errors.ts`,
 * a leaf without imports that holds the one family of user errors, lies under it (the git client throws one).
 */
const LAYERS = ['errors', 'domain', 'config', 'constructs', 'charts', 'policy', 'render', 'cli'] as const;

function layerOf(file: string): number {
  const top = relative(SRC, file).split('/')[0]?.replace(/\.ts$/, '') ?? '';
  return LAYERS.indexOf(top as (typeof LAYERS)[number]);
}

/**
 * Production source files (tests excluded): those of the layers, or with `everything` also those of the
 * commands built on them (ops/, cluster/), which are not layers but must not make cycles either.
 */
function sources(dir = SRC, everything = false): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path, everything);
    const source = name.endsWith('.ts') && !name.endsWith('.test.ts');
    return source && (everything || layerOf(path) >= 0) ? [path] : [];
  });
}

/** Relative imports of a file, resolved to files (type-only imports included: they make cycles too). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((f) => f.startsWith('.'))
    .map((f) => {
      const base = resolve(dirname(file), f);
      for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
        try {
          if (statSync(candidate).isFile()) return candidate;
        } catch {
          // try the next form
        }
      }
      return base;
    })
    .filter((f) => f.endsWith('.ts'));
}

describe('dependencies of the config library', () => {
  const files = sources();
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const everything = sources(SRC, true);
  const fullGraph = new Map(everything.map((f) => [f, importsOf(f)]));

  it('should run one way: errors -> domain -> config -> constructs -> charts -> policy -> render -> cli', () => {
    const upward = [...graph].flatMap(([file, imports]) =>
      imports
        .filter((i) => layerOf(i) > layerOf(file))
        .map((i) => `${relative(SRC, file)} imports ${relative(SRC, i)}`),
    );
    expect(upward).toEqual([]);
  });

  it('should have no import cycle between files (anywhere in synth/src, commands included)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, stack: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of fullGraph.get(file) ?? []) visit(next, [...stack, file]);
      state.set(file, 'done');
    };
    expect(everything.length).toBeGreaterThan(files.length);
    for (const file of everything) visit(file, []);
    expect(cycles).toEqual([]);
  });
});

describe('library internals', () => {
  const code = sources().map((f) => ({ file: relative(SRC, f), text: readFileSync(f, 'utf8') }));

  it('should never call through a prototype, override toJson, or patch an array element by index', () => {
    const found = code.flatMap(({ file, text }) =>
      [/\.prototype\b/, /override toJson\(/, /JsonPatch\.\w+\(\s*[`'"][^`'"]*\/\d+(\/|[`'"])/]
        .filter((pattern) => pattern.test(text))
        .map((pattern) => `${file}: ${pattern}`),
    );
    expect(found).toEqual([]);
  });
});
