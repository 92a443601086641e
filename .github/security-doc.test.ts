// docs/security.md's threat model and the tests cannot drift apart: every row says what an actor cannot do and
// names the tests that hold it (`file` › "title"); each named file must exist and hold a test with that title.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const doc = readFileSync(join(root, 'docs', 'security.md'), 'utf8');
const ACTORS = [
  'someone who can push a branch',
  'a pull-request author',
  'a reviewer',
  'a CI runner of a branch',
  'the delivery App',
  "an Argo CD project's apps",
  'a pod in an environment namespace',
  'a cluster administrator',
];

/** The table's rows: actor, cannot, held-by cells. */
function rows(markdown: string) {
  const start = markdown.indexOf('| Actor | Can change | Cannot | Stopped by | Held by |');
  if (start < 0) throw new Error('docs/security.md has no threat model table');
  const lines = markdown.slice(start).split('\n').slice(2);
  const end = lines.findIndex((l) => !l.startsWith('|'));
  return (
    lines
      .slice(0, end < 0 ? lines.length : end)
      // No cell holds a "|" of its own, so the separators are every "|".
      .map((l) =>
        l
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim()),
      )
      .map(([actor = '', , cannot = '', stoppedBy = '', heldBy = '']) => ({
        actor,
        cannot,
        stoppedBy,
        heldBy,
      }))
  );
}

/** `file` › "title" pairs of a Held by cell. */
const named = (cell: string) =>
  [...cell.matchAll(/`([^`]+)` › "([^"]+)"/g)].map((m) => ({ file: m[1] as string, title: m[2] as string }));

/** Whether `file` has a test (it / it.each / test) whose title is exactly `title`. */
function hasTest(file: string, title: string): boolean {
  const path = join(root, file);
  if (!existsSync(path)) return false;
  const text = readFileSync(path, 'utf8');
  return [`'${title}'`, `"${title}"`, `\`${title}\``].some((quoted) =>
    new RegExp(
      `\\b(it|test)(\\.each\\([^]*?\\))?\\(\\s*${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    ).test(text),
  );
}

describe('docs/security.md threat model', () => {
  const table = rows(doc);

  it('should have a row for every actor, each with what they cannot do, the control and a test', () => {
    expect([...new Set(table.map((r) => r.actor))]).toEqual(ACTORS);
    for (const row of table) {
      expect(row.cannot, row.actor).not.toBe('');
      expect(row.stoppedBy, `${row.actor}: ${row.cannot}`).not.toBe('');
      expect(named(row.heldBy).length, `${row.actor}: ${row.cannot}`).toBeGreaterThan(0);
    }
  });

  it('should name only tests that exist', () => {
    const missing = table.flatMap((r) => named(r.heldBy)).filter((t) => !hasTest(t.file, t.title));
    expect(missing).toEqual([]);
  });

  it('should notice a renamed or missing test', () => {
    expect(hasTest('.github/security-doc.test.ts', 'should name only tests that exist')).toBe(true);
    expect(hasTest('.github/security-doc.test.ts', 'should name only tests that exist!')).toBe(false);
    expect(hasTest('.github/nowhere.test.ts', 'should name only tests that exist')).toBe(false);
  });
});
