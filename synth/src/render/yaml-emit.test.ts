import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scalar, toYaml } from './yaml-emit';

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
    // Strings built from number-ish characters hit the quoting rules far more often than random text.
    const numberish = fc.string({
      unit: fc.constantFrom(...'0123456789.eE+-_:xobinfa '.split('')),
      maxLength: 8,
    });
    const key = fc.oneof(
      fc.string({ minLength: 1, maxLength: 8 }),
      numberish.filter((s) => s.length > 0),
    );
    const data = fc.dictionary(key, fc.oneof(fc.jsonValue({ maxDepth: 4 }), numberish));
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
});
