import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { editYaml } from './yaml-edit';

const DIGEST = `sha256:${'a'.repeat(64)}`;

const DEV = `# yaml-language-server: $schema=./schema.json
# Development: every merge to main lands here first.
name: dev
image:
  tag: "0.1.0" # set by CI

autoscaling:
  minReplicas: 1
  maxReplicas: 2
resources: { requests: { cpu: 50m } }
aws:
  roleArn: arn:aws:iam::111111111111:role/guestlist-dev
logLevel:   debug   # two spaces yaml would not keep
`;

/** The lines removed and added, in order, as `-line` / `+line`. */
function changedLines(before: string, after: string): string[] {
  return diffLines(before, after)
    .filter((p) => p.added || p.removed)
    .flatMap((p) =>
      p.value
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => `${p.added ? '+' : '-'}${l}`),
    );
}

describe('editYaml', () => {
  it('should change only the tag line, keeping its quotes, comment and every other byte', () => {
    const out = editYaml(DEV, 'environments/dev.yaml', [{ path: ['image', 'tag'], value: '0.2.0' }]);
    expect(changedLines(DEV, out)).toEqual(['-  tag: "0.1.0" # set by CI', '+  tag: "0.2.0" # set by CI']);
  });

  it('should add a digest line right after the tag and nothing else', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const out = editYaml(DEV, 'environments/dev.yaml', [
      { path: ['image', 'tag'], value: '0.2.0' },
      { path: ['image', 'digest'], value: digest },
    ]);
    expect(changedLines(DEV, out)).toEqual([
      '-  tag: "0.1.0" # set by CI',
      '+  tag: "0.2.0" # set by CI',
      `+  digest: ${digest}`,
    ]);
  });

  it('should remove a digest line and keep the blank line and comments around it', () => {
    const text = DEV.replace('# set by CI\n', `# set by CI\n  digest: sha256:${'b'.repeat(64)}\n`);
    const out = editYaml(text, 'environments/dev.yaml', [{ path: ['image', 'digest'], delete: true }]);
    expect(out).toBe(DEV);
  });

  it('should append a pin block and remove it again to the identical bytes', () => {
    const pinned = editYaml(DEV, 'environments/dev.yaml', [
      { path: ['pin'], value: { reason: 'incident 42: bad release', since: '2026-01-02T03:04:05Z' } },
    ]);
    expect(changedLines(DEV, pinned)).toEqual([
      '+pin:',
      '+  reason: "incident 42: bad release"',
      '+  since: "2026-01-02T03:04:05Z"',
    ]);
    expect(editYaml(pinned, 'environments/dev.yaml', [{ path: ['pin'], delete: true }])).toBe(DEV);
  });

  it('should keep a file indented by four spaces as it is', () => {
    const text = 'name: dev\nimage:\n    tag: "0.1.0"\naws:\n    roleArn: x\n';
    const out = editYaml(text, 'e.yaml', [{ path: ['image', 'tag'], value: '0.3.0' }]);
    expect(out).toBe('name: dev\nimage:\n    tag: "0.3.0"\naws:\n    roleArn: x\n');
  });

  it('should keep unindented sequences and their comments when editing elsewhere', () => {
    const text = 'name: dev\nwaivers:\n# why\n- rule: probes\n  reason: "demo"\nimage:\n  tag: 1.0.0\n';
    const out = editYaml(text, 'e.yaml', [{ path: ['image', 'tag'], value: '1.0.1' }]);
    expect(changedLines(text, out)).toEqual(['-  tag: 1.0.0', '+  tag: 1.0.1']);
  });

  it('should quote a new value that would otherwise read as a number', () => {
    const out = editYaml('image:\n  repository: x\n', 'e.yaml', [{ path: ['image', 'tag'], value: '1.0' }]);
    expect(out).toBe('image:\n  repository: x\n  tag: "1.0"\n');
  });

  it('should return the text unchanged when the edit sets the value it already has', () => {
    expect(editYaml(DEV, 'e.yaml', [{ path: ['image', 'tag'], value: '0.1.0' }])).toBe(DEV);
  });

  it('should refuse text that is not YAML with the file, line and column', () => {
    expect(() => editYaml('name: dev\nimage: [\n', 'environments/dev.yaml', [])).toThrow(
      /^environments\/dev\.yaml:3:1 \(yaml\): /,
    );
  });

  it('should keep a comment written after the image key', () => {
    const text = 'name: dev\nimage: # the API image\n  tag: "0.1.0"\nlogLevel: debug\n';
    const out = editYaml(text, 'e.yaml', [
      { path: ['image', 'tag'], value: '0.2.0' },
      { path: ['image', 'digest'], value: DIGEST },
    ]);
    expect(out).toBe(
      `name: dev\nimage: # the API image\n  tag: "0.2.0"\n  digest: ${DIGEST}\nlogLevel: debug\n`,
    );
  });

  it('should edit a flow mapping in place, keeping its spacing and the comment after it', () => {
    const text = 'name: dev\nimage: {  tag: "0.1.0"  } # pinned by hand\n';
    const out = editYaml(text, 'e.yaml', [
      { path: ['image', 'tag'], value: '0.2.0' },
      { path: ['image', 'digest'], value: DIGEST },
    ]);
    expect(out).toBe(`name: dev\nimage: {  tag: "0.2.0", digest: ${DIGEST}  } # pinned by hand\n`);
    expect(editYaml(out, 'e.yaml', [{ path: ['image', 'digest'], delete: true }])).toBe(
      'name: dev\nimage: {  tag: "0.2.0"  } # pinned by hand\n',
    );
  });

  it('should add a key to the last block of the file above the trailing comment', () => {
    const text = 'name: dev\nimage:\n  tag: "0.1.0"\n# the end\n';
    const out = editYaml(text, 'e.yaml', [{ path: ['image', 'digest'], value: DIGEST }]);
    expect(out).toBe(`name: dev\nimage:\n  tag: "0.1.0"\n  digest: ${DIGEST}\n# the end\n`);
  });

  it('should end a new line with CRLF in a file written with CRLF', () => {
    const text = 'name: dev\r\nimage:\r\n  tag: "0.1.0"\r\n';
    const out = editYaml(text, 'e.yaml', [{ path: ['image', 'digest'], value: DIGEST }]);
    expect(out).toBe(`name: dev\r\nimage:\r\n  tag: "0.1.0"\r\n  digest: ${DIGEST}\r\n`);
  });

  it('should refuse to change an anchored value that an alias uses, naming the alias and its line', () => {
    const text = 'name: dev\nimage:\n  tag: &t "0.2.1"\ningress:\n  group: *t\n';
    expect(() =>
      editYaml(text, 'environments/dev.yaml', [{ path: ['image', 'tag'], value: '0.3.0' }]),
    ).toThrow(
      'environments/dev.yaml:3:11: image.tag carries the anchor &t, which ingress.group aliases at line 5 (*t)',
    );
  });

  it('should edit an anchored value no alias uses, keeping the anchor', () => {
    const text = 'name: dev\nimage:\n  tag: &t "0.2.1"\n';
    const out = editYaml(text, 'e.yaml', [{ path: ['image', 'tag'], value: '0.3.0' }]);
    expect(out).toBe('name: dev\nimage:\n  tag: &t "0.3.0"\n');
  });

  it('should replace an alias that is the edited value itself, leaving its anchor alone', () => {
    const text = 'base: &v "0.1.0"\nimage:\n  tag: *v # from base\n';
    const out = editYaml(text, 'e.yaml', [{ path: ['image', 'tag'], value: '0.2.0' }]);
    expect(out).toBe('base: &v "0.1.0"\nimage:\n  tag: 0.2.0 # from base\n');
  });

  it('should refuse an edit through an alias of a mapping', () => {
    const text = 'base: &b\n  tag: "0.2.1"\nimage: *b\n';
    expect(() => editYaml(text, 'e.yaml', [{ path: ['image', 'tag'], value: '0.3.0' }])).toThrow(
      /^e\.yaml:3:8: image is an alias \(\*b\)/,
    );
  });

  it('should refuse a new mapping inside a flow mapping rather than reformat it', () => {
    const text = '{name: dev, image: {tag: "0.1.0"}}\n';
    expect(() =>
      editYaml(text, 'environments/dev.yaml', [{ path: ['pin'], value: { reason: 'x' } }]),
    ).toThrow(
      'environments/dev.yaml: pin would be a new mapping inside a flow mapping ({…}); edit it by hand',
    );
  });
});
