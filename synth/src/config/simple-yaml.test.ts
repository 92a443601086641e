import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseSimpleYaml } from './simple-yaml';

const YAML_ERROR = 'yaml reported an error';

/** What the full path reads: the data when yaml reports no error. */
function viaYaml(text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  return doc.errors.length > 0 ? YAML_ERROR : doc.toJS();
}

describe('parseSimpleYaml', () => {
  it('should read block mappings, sequences, comments and scalars like yaml does', () => {
    const text = [
      '# yaml-language-server: $schema=./schema.json',
      'name: dev # trailing comment',
      'image:',
      '  tag: "0.1.0"',
      "  repository: 'it''s/here'",
      'n: 42',
      'cpu: 50m',
      'on: yes',
      'empty:',
      'flag: false',
      'nothing: null',
      'waivers:',
      '  - rule: probes',
      '    reason: a reason, with (punctuation) and a-b',
      '  - plain',
      '',
    ].join('\n');
    const expected = {
      name: 'dev',
      image: { tag: '0.1.0', repository: "it's/here" },
      n: 42,
      cpu: '50m',
      on: 'yes',
      empty: null,
      flag: false,
      nothing: null,
      waivers: [{ rule: 'probes', reason: 'a reason, with (punctuation) and a-b' }, 'plain'],
    };
    expect(parseSimpleYaml(text)).toEqual(expected);
    expect(viaYaml(text)).toEqual(expected);
    expect(parseSimpleYaml('# only a comment\n')).toBeNull();
  });

  it('should leave everything outside the subset to yaml', () => {
    const outside = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: [1, 2]\n',
      'a: {b: 1}\n',
      'a: |\n  text\n',
      'a: plain\n  continued\n',
      'a: 1\na: 2\n',
      'a:\n- compact\n',
      '---\na: 1\n',
      'a:\tb\n',
      'a: "esc\\n"\n',
      'a: 1.5\n',
      'a: 0x1F\n',
      'a: 1e3\n',
      'a: ~\n',
      'a: b: c\n',
      'a: #comment\n',
      '  a: 1\n',
      'a:\n    b: 1\n  c: 2\n',
      '- a\n-  b\n',
      'a: "x" y\n',
      'a: ünï\n',
      'true: 1\n',
    ];
    for (const text of outside) expect(parseSimpleYaml(text), text).toBeUndefined();
  });

  it('should read every committed environment file exactly like yaml', () => {
    const dir = join(__dirname, '..', '..', '..', 'environments');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      const quick = parseSimpleYaml(text);
      expect(quick, file).not.toBeUndefined();
      expect(quick, file).toEqual(viaYaml(text));
    }
  });

  it('should equal yaml on whatever it accepts (random documents from tricky pieces)', () => {
    const token = fc.constantFrom(
      'a',
      'b',
      'key',
      ':',
      ': ',
      '-',
      '- ',
      ' ',
      '  ',
      '#',
      ' #',
      '"',
      "'",
      "''",
      '1',
      '0',
      '50m',
      '1e3',
      '0x1',
      '.',
      'true',
      'False',
      'NULL',
      'yes',
      '~',
      '/',
      'x:y',
      '[',
      '{',
      ',',
      '&',
      '*',
      '!',
      '|',
      '>',
      '%',
      '@',
      '`',
      '---',
    );
    const indent = fc.constantFrom('', '  ', '    ', ' ');
    const free = fc.tuple(indent, fc.array(token, { maxLength: 6 })).map(([i, t]) => i + t.join(''));
    // Mostly well-formed `key: value` / `- item` lines, so that many documents are inside the subset.
    const shaped = fc
      .tuple(
        indent,
        fc.constantFrom('', '', '- '),
        fc.constantFrom('a', 'b', 'key', 'k.x/y', 'true'),
        fc.constantFrom(':', ': ', ':  '),
        fc.array(token, { maxLength: 3 }),
      )
      .map(([i, dash, k, sep, v]) => `${i}${dash}${k}${sep}${v.join('')}`);
    const doc = fc.array(fc.oneof(free, shaped, shaped), { maxLength: 8 }).map((ls) => ls.join('\n'));
    let accepted = 0;
    fc.assert(
      fc.property(doc, (text) => {
        const quick = parseSimpleYaml(text);
        if (quick === undefined) return;
        accepted++;
        expect(quick).toEqual(viaYaml(text));
      }),
      { numRuns: 4000 },
    );
    // The property must not hold only because nearly everything is rejected.
    expect(accepted).toBeGreaterThan(200);
  });
});
