import { describe, expect, it } from 'vitest';
import { formatChanges, unifiedLines } from './diff';

describe('diff', () => {
  it('should show changed lines with context', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', ''].join('\n');
    const after = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h', ''].join('\n');
    expect(unifiedLines(before, after, 1)).toEqual(['@@ line 4 @@', ' d', '-e', '+E', ' f']);
  });

  it('should list added, removed and changed files', () => {
    const text = formatChanges([
      { path: 'dist/dev/a.yaml', kind: 'added', after: 'x\n' },
      { path: 'dist/dev/b.yaml', kind: 'removed', before: 'y\n' },
      { path: 'dist/dev/c.yaml', kind: 'changed', before: 'replicas: 1\n', after: 'replicas: 2\n' },
    ]);
    expect(text).toBe(
      [
        'added:   dist/dev/a.yaml',
        'removed: dist/dev/b.yaml',
        'changed: dist/dev/c.yaml',
        '--- dist/dev/c.yaml (on disk)',
        '+++ dist/dev/c.yaml (rendered)',
        '@@ line 1 @@',
        '-replicas: 1',
        '+replicas: 2',
        ' ',
      ].join('\n'),
    );
  });
});
