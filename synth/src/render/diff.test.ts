import { describe, expect, it } from 'vitest';
import { describeDifference, formatChanges } from './diff';

describe('formatChanges', () => {
  it('should word every change from the point of view of the folder on disk, with a unified diff', () => {
    const text = formatChanges(
      [
        { path: 'dist/dev/a.yaml', kind: 'missing', after: 'x\n' },
        { path: 'dist/dev/b.yaml', kind: 'not-rendered', before: 'y\n' },
        { path: 'dist/dev/c.yaml', kind: 'differs', before: 'replicas: 1\n', after: 'replicas: 2\n' },
        { path: 'dist/old/d.yaml', kind: 'not-rendered', before: 'z\n', wholeFolder: true },
        { path: 'dist/old/e.yaml', kind: 'not-rendered', before: 'z\n', wholeFolder: true },
        { path: 'environments/schema.json', kind: 'missing', after: '{}\n' },
      ],
      'dist/',
    );
    expect(text).toBe(
      [
        'missing in dist/: dist/dev/a.yaml',
        'not rendered any more: dist/dev/b.yaml',
        'differs: dist/dev/c.yaml',
        '  --- dist/dev/c.yaml (in the file)',
        '  +++ dist/dev/c.yaml (as rendered)',
        '  @@ -1,1 +1,1 @@',
        '  -replicas: 1',
        '  +replicas: 2',
        'not rendered any more: dist/old/ (2 files)',
        'missing: environments/schema.json',
      ].join('\n'),
    );
  });
});

describe('describeDifference', () => {
  it('should name line-ending-only and trailing-whitespace-only changes instead of showing identical lines', () => {
    expect(describeDifference('a\r\nb\r\n', 'a\nb\n')).toBe(
      'differs only in line endings (CRLF in the file; synth writes LF)',
    );
    expect(describeDifference('a \nb\n', 'a\nb\n')).toBe('differs only in trailing whitespace (line 1)');
    expect(describeDifference('a\nb', 'a\nb\n')).toBe(
      'differs only in trailing whitespace (the newline at the end of the file)',
    );
    expect(describeDifference('a \r\nb\r\n', 'a\nb\n')).toBe(
      'differs only in line endings and trailing whitespace (line 1)',
    );
    expect(describeDifference('a\n', 'b\n')).toBe('differs');
  });
});
