import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = __dirname;
/**
 * The layers of synth/src, lowest first: a file may import only from its own layer or lower ones. `domain`
 * (image reference, duration, git client, rendered tree) is the floor every folder stands on; only `errors.ts`,
 * a leaf without imports that holds the one family of user errors, lies under it (the git client throws one).
 * Then the render pipeline (config → constructs → charts → policy → render), then what reads the cluster
 * (cluster), what edits the repository (ops), and on top the CLI: the command kit, the commands and the entry
 * (cli/, cli.ts), which nothing below imports.
 */
const LAYERS = [
  'errors',
  'domain',
  'config',
  'constructs',
  'charts',
  'policy',
  'render',
  'doctor',
  'cluster',
  'ops',
  'cli',
] as const;

/**
 * The parts of ops/, lowest first: `errors.ts` (the planners' door to the user errors); three toolkits that
 * import none of each other: `yaml/` (byte-exact edits of environment files), `diff/` (the semantic diff of
 * rendered objects, its risks and formats), `git/` (commits, pushes, trailers, history, dist/ at a ref); and
 * on top `changes/`, the planners (bump, promote, pin, rollback, env) and applying a change all or nothing, and
 * beside it `argocd/`, pinning upstream Argo CD's install by commit and digests (it rewrites with yaml/).
 */
const OPS_PARTS: Record<string, number> = { 'errors.ts': 0, yaml: 1, diff: 1, git: 1, changes: 2, argocd: 2 };

function layerOf(file: string): number {
  const top = relative(SRC, file).split('/')[0]?.replace(/\.ts$/, '') ?? '';
  return LAYERS.indexOf(top as (typeof LAYERS)[number]);
}

/** Production source files (tests excluded) of every folder of synth/src. */
function sources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
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

describe('dependencies of synth/src', () => {
  const files = sources();
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  it('should place every folder of synth/src in a layer', () => {
    const unplaced = [
      ...new Set(files.filter((f) => layerOf(f) < 0).map((f) => relative(SRC, f).split('/')[0])),
    ];
    expect(unplaced).toEqual([]);
  });

  it(`should run one way: ${LAYERS.join(' -> ')}`, () => {
    const upward = [...graph].flatMap(([file, imports]) =>
      imports
        .filter((i) => layerOf(i) > layerOf(file))
        .map((i) => `${relative(SRC, file)} imports ${relative(SRC, i)}`),
    );
    expect(upward).toEqual([]);
  });

  it('should keep the commands and the entry out of reach of the kit: only cli.ts imports cli/commands/', () => {
    const reach = [...graph].flatMap(([file, imports]) =>
      imports
        .filter((i) => relative(SRC, i).startsWith('cli/commands/'))
        .filter(() => !relative(SRC, file).startsWith('cli/commands/') && relative(SRC, file) !== 'cli.ts')
        .map((i) => `${relative(SRC, file)} imports ${relative(SRC, i)}`),
    );
    const entry = [...graph].flatMap(([file, imports]) =>
      imports.filter((i) => relative(SRC, i) === 'cli.ts').map(() => relative(SRC, file)),
    );
    expect([...reach, ...entry]).toEqual([]);
  });

  it('should keep every part of ops/ in its place: errors.ts, then yaml/, diff/, git/ (apart), then changes/ and argocd/ (apart)', () => {
    const part = (file: string) => {
      const [top, sub] = relative(SRC, file).split('/');
      return top === 'ops' ? (sub ?? '') : undefined;
    };
    const unplaced = files.filter((f) => {
      const p = part(f);
      return p !== undefined && !(p in OPS_PARTS);
    });
    expect(unplaced.map((f) => relative(SRC, f))).toEqual([]);
    const wrong = [...graph].flatMap(([file, imports]) => {
      const from = part(file);
      if (from === undefined) return [];
      return imports
        .filter((i) => {
          const to = part(i);
          if (to === undefined || to === from) return false;
          return (OPS_PARTS[to] ?? 99) >= (OPS_PARTS[from] ?? -1);
        })
        .map((i) => `${relative(SRC, file)} imports ${relative(SRC, i)}`);
    });
    expect(wrong).toEqual([]);
  });

  it('should have no import cycle between files', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, stack: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...stack, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});

describe('test code', () => {
  const TEST = resolve(SRC, '..', 'test');

  it('should keep test helpers in synth/test: synth/src holds production code and *.test.ts only', () => {
    const all = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? all(path) : [path];
      });
    const helpers = all(SRC)
      .map((f) => relative(SRC, f))
      .filter(
        (f) =>
          /(^|\/)(testing|test|__tests__|fixtures)\//.test(f) ||
          /[.-]test[.-]support\.|\.(spec|fixture)\.[cm]?[jt]s$/.test(f),
      );
    expect(helpers).toEqual([]);
  });

  it('should never import synth/test from production code', () => {
    const found = sources().flatMap((file) =>
      importsOf(file)
        .filter((i) => i === TEST || i.startsWith(`${TEST}/`))
        .map((i) => `${relative(SRC, file)} imports ${relative(SRC, i)}`),
    );
    expect(found).toEqual([]);
  });
  it('should import the Kubernetes client only in cluster/kube-api.ts (the build bundles it apart from there)', () => {
    const importers = sources()
      .filter((f) =>
        ts
          .preProcessFile(readFileSync(f, 'utf8'), true, true)
          .importedFiles.some((i) => i.fileName === '@kubernetes/client-node'),
      )
      .map((f) => relative(SRC, f));
    expect(importers).toEqual(['cluster/kube-api.ts']);
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
