import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scalar, toYaml } from './yaml-emit';

const DIST = join(__dirname, '..', '..', '..', 'dist');

// Strings built from number-ish characters hit the quoting rules far more often than random text.
const numberish = fc.string({
  unit: fc.constantFrom(...'0123456789.eE+-_:xobinfa '.split('')),
  maxLength: 8,
});
/** Words YAML 1.1 readers resolve to bool or null, in every case spelling the 1.1 spec lists. */
const word11 = fc.constantFrom(
  ...'y Y yes Yes YES n N no No NO on On ON off Off OFF true True TRUE false False FALSE null Null NULL ~ = <<'.split(
    ' ',
  ),
);
const key = fc.oneof(
  fc.string({ minLength: 1, maxLength: 8 }),
  numberish.filter((s) => s.length > 0),
  word11,
);
const data = fc.dictionary(key, fc.oneof(fc.jsonValue({ maxDepth: 4 }), numberish, word11));

/**
 * Reads YAML files with Go's sigs.k8s.io/yaml (go-yaml v2, YAML 1.1), the reader of kubectl, the API server
 * and Argo CD: `kubectl label --local` parses each file offline and prints it back as JSON.
 */
function readWithKubectl(dir: string): unknown[] {
  const r = spawnSync('kubectl', ['label', '--local', '-f', dir, '-o', 'json', 'synth-test=read'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`kubectl failed (${r.status}): ${r.stderr || r.error}`);
  // One pretty-printed JSON object per file, each starting with "{" at the start of a line.
  return r.stdout
    .split(/\n(?=\{)/)
    .map((text) => JSON.parse(text) as { metadata: { labels?: Record<string, string> } })
    .map((o) => {
      const { 'synth-test': _, ...labels } = o.metadata.labels ?? {};
      if (Object.keys(labels).length === 0) delete o.metadata.labels;
      else o.metadata.labels = labels;
      return o;
    });
}

describe('toYaml', () => {
  it('should write block mappings and sequences with items sharing the dash line', () => {
    expect(toYaml({ a: { b: [1, { c: 'x', d: [] }], e: {} }, f: null, g: true })).toBe(
      ['a:', '  b:', '    - 1', '    - c: x', '      d: []', '  e: {}', 'f: null', 'g: true', ''].join('\n'),
    );
  });

  it('should quote strings that a YAML reader would take for something else', () => {
    expect(
      ['1111', 'true', 'no', 'null', '', ' x', 'a: b', 'a #b', '[1]', '1.0', '2024-01-01', 'x:'].map(scalar),
    ).toEqual([
      '"1111"',
      '"true"',
      '"no"',
      '"null"',
      '""',
      '" x"',
      '"a: b"',
      '"a #b"',
      '"[1]"',
      '"1.0"',
      '"2024-01-01"',
      '"x:"',
    ]);
    expect(['guestlist', 'v1.30', '/healthz', 'arn:aws:iam::1:role/x', 'sha256:ab'].map(scalar)).toEqual([
      'guestlist',
      'v1.30',
      '/healthz',
      'arn:aws:iam::1:role/x',
      'sha256:ab',
    ]);
  });

  it('should round-trip any JSON data through the yaml parser', () => {
    fc.assert(
      fc.property(data, (value) => {
        // JSON.parse(JSON.stringify()) normalises -0 and drops what JSON cannot hold, as manifests do.
        const json = JSON.parse(JSON.stringify(value));
        expect(parse(toYaml(json), { version: '1.2' })).toEqual(json);
        expect(parse(toYaml(json), { version: '1.1' })).toEqual(json);
      }),
      { numRuns: 1000 },
    );
  });

  it("should be read back unchanged by Go's YAML 1.1 reader (sigs.k8s.io/yaml through kubectl), committed objects and random data", () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-yaml11-'));
    try {
      const expected: unknown[] = [];
      for (const folder of readdirSync(DIST).sort()) {
        for (const file of readdirSync(join(DIST, folder)).sort()) {
          const obj = parse(readFileSync(join(DIST, folder, file), 'utf8'));
          writeFileSync(join(dir, `${expected.length}.yaml`), toYaml(obj));
          expected.push(obj);
        }
      }
      // Random data inside objects of a made-up kind (kubectl --local needs no schema for it). A fixed seed, so
      // a failure reproduces; a new seed is one edit away.
      const samples = fc.sample(data, { numRuns: 300, seed: 7 });
      for (const [i, value] of samples.entries()) {
        const obj = {
          apiVersion: 'example.com/v1',
          kind: 'Sample',
          metadata: { name: `s${i}` },
          spec: JSON.parse(JSON.stringify(value)),
        };
        writeFileSync(join(dir, `${expected.length}.yaml`), toYaml(obj));
        expected.push(obj);
      }
      // kubectl reads a folder's files in name order: 0.yaml, 1.yaml, 10.yaml, ...
      const order = readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => Number.parseInt(f, 10));
      const read = readWithKubectl(dir);
      expect(read.length).toBe(expected.length);
      for (const [i, obj] of read.entries()) expect(obj).toEqual(expected[order[i] as number]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
