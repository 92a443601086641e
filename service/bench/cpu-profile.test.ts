import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import {
  breakdownByOwner,
  type CpuProfile,
  GARBAGE_COLLECTOR,
  NODE_ONLY,
  ownerOfSource,
  sourceMapResolver,
} from './cpu-profile';

const BUNDLE = 'file:///app/main.mjs';
const frame = (functionName: string, url: string, lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
});

// root -> handler (bundle line 10: the service) -> send (bundle line 20: an SDK package) -> writev (native)
//      -> (idle), (garbage collector), processTicksAndRejections (node) -> runMicrotasks (native)
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 5, 6, 7] },
    { id: 2, callFrame: frame('handler', BUNDLE, 10), children: [3] },
    { id: 3, callFrame: frame('send', BUNDLE, 20), children: [4] },
    { id: 4, callFrame: frame('writev', '') },
    { id: 5, callFrame: frame('(idle)', '') },
    { id: 6, callFrame: frame('(garbage collector)', '') },
    {
      id: 7,
      callFrame: frame('processTicksAndRejections', 'node:internal/process/task_queues'),
      children: [8],
    },
    { id: 8, callFrame: frame('runMicrotasks', '') },
  ],
  startTime: 1_000,
  // at 1100: handler, 1200: writev (under send), 1300: idle, 1400: gc, 1500: microtasks, 1600: handler
  samples: [2, 4, 5, 6, 8, 2],
  timeDeltas: [100, 100, 100, 100, 100, 100],
};
const resolveFake = (line: number) =>
  line === 10
    ? '../../service/src/app.ts'
    : line === 20
      ? '../../node_modules/@smithy/core/dist/x.js'
      : undefined;

describe('breakdownByOwner', () => {
  it('should charge native and Node frames to the nearest bundle frame and keep idle apart', () => {
    const b = breakdownByOwner(profile, BUNDLE, resolveFake, '/repo');
    expect(b.busyMs).toBeCloseTo(0.5);
    expect(b.idleMs).toBeCloseTo(0.1);
    expect(b.byOwner.map((r) => [r.owner, Math.round(r.ms * 1000)])).toEqual([
      ['service/src/app.ts', 200],
      [GARBAGE_COLLECTOR, 100],
      [NODE_ONLY, 100],
      ['@smithy/core', 100],
    ]);
    expect(b.byOwner[0]?.share).toBeCloseTo(0.4);
    expect(b.nodeOnlyByFrame).toEqual([{ owner: 'runMicrotasks (native)', ms: 0.1, share: 0.2 }]);
  });

  it('should count only samples inside the window', () => {
    const b = breakdownByOwner(profile, BUNDLE, resolveFake, '/repo', { fromUs: 1150, toUs: 1450 });
    expect(b.busyMs).toBeCloseTo(0.2);
    expect(b.byOwner.map((r) => r.owner)).toEqual([GARBAGE_COLLECTOR, '@smithy/core']);
  });

  it('should name bundle frames the source map does not cover', () => {
    const b = breakdownByOwner(profile, BUNDLE, () => undefined, '/repo');
    expect(b.byOwner[0]?.owner).toBe('(bundle, unmapped)');
  });
});

describe('ownerOfSource', () => {
  it('should give the npm package, scoped or not, or the path from the repository root', () => {
    expect(ownerOfSource('../../node_modules/@aws-sdk/core/dist-es/index.js', '/r')).toBe('@aws-sdk/core');
    expect(ownerOfSource('../../node_modules/hono/dist/hono.js', '/r')).toBe('hono');
    expect(ownerOfSource('/r/node_modules/a/node_modules/b/i.js', '/r')).toBe('a');
    expect(ownerOfSource('../../service/src/app.ts', '/r')).toBe('service/src/app.ts');
    expect(ownerOfSource('/r/service/src/app.ts', '/r')).toBe('service/src/app.ts');
  });
});

describe('sourceMapResolver', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('should map functions of a real esbuild bundle back to their package and file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cpu-profile-'));
    dirs.push(dir);
    await mkdir(join(dir, 'node_modules/@scope/lib'), { recursive: true });
    await writeFile(
      join(dir, 'node_modules/@scope/lib/index.js'),
      'export function libWork(n) {\n  let s = 0;\n  for (let i = 0; i < n; i++) s += i;\n  return s;\n}\n',
    );
    await writeFile(
      join(dir, 'app.js'),
      "import { libWork } from '@scope/lib';\nexport function appWork() {\n  return libWork(3) + 1;\n}\nconsole.log(appWork());\n",
    );
    const outfile = join(dir, 'out/main.mjs');
    await build({
      entryPoints: [join(dir, 'app.js')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      sourcemap: 'linked',
      logLevel: 'silent',
    });
    const lines = (await readFile(outfile, 'utf8')).split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle));
    const resolve = sourceMapResolver(`${outfile}.map`);
    const owner = (needle: string) => {
      const line = lineOf(needle);
      const source = resolve(line, (lines[line] ?? '').indexOf(needle));
      return source === undefined ? undefined : ownerOfSource(source, dir);
    };
    expect(owner('function libWork')).toBe('@scope/lib');
    expect(owner('function appWork')).toBe('app.js');
  });
});
