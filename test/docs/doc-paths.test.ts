// Every repository path a Markdown file names exists: link targets (relative to the file) and code spans that
// start at a top-level folder (`synth/src/…`, `docs/…`), so a moved file cannot leave a document pointing at nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const TOP = ['service', 'synth', 'environments', 'dist', 'argocd', 'docs', 'test', '.github', '.ci'];
const PLACEHOLDER = /[<>*{}…$]|\.\.\.|\bX\b/;
/** Environments the docs make up as examples (a personal one, one being removed): their files are not committed. */
const EXAMPLE_ENV = /^(environments|dist)\/(alice|bob|dana|old)(\.yaml|\/|$)/;

/** Tracked Markdown files, repository-relative. */
function markdownFiles(): string[] {
  return execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
}

/** The paths a Markdown text names: `[x](target)` links and `code` spans starting at a top-level folder. */
function namedPaths(file: string, text: string): { path: string; line: number; as: string }[] {
  const found: { path: string; line: number; as: string }[] = [];
  text.split('\n').forEach((lineText, index) => {
    const line = index + 1;
    for (const m of lineText.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] ?? '';
      if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
      const path = target.split('#')[0] ?? '';
      found.push({ path: normalize(join(dirname(file), path)), line, as: target });
    }
    for (const m of lineText.matchAll(/`([^`\s]+)`/g)) {
      const span = (m[1] ?? '').replace(/[:#].*$/, '').replace(/[.,;]$/, '');
      const first = span.split('/')[0] ?? '';
      if (!span.includes('/') || !TOP.includes(first) || PLACEHOLDER.test(span) || EXAMPLE_ENV.test(span))
        continue;
      found.push({ path: normalize(span), line, as: m[1] ?? '' });
    }
  });
  return found;
}

describe('paths named in the documentation', () => {
  it('should exist in the repository, for every Markdown file', () => {
    const missing = markdownFiles().flatMap((file) =>
      namedPaths(file, readFileSync(join(root, file), 'utf8'))
        .filter(({ path }) => !existsSync(join(root, path)))
        .map(({ line, as, path }) => `${file}:${line}: ${as} (${relative('.', path)}) does not exist`),
    );
    expect(missing).toEqual([]);
  });

  it('should read links relative to the file and code spans from the root', () => {
    const paths = namedPaths(
      'docs/a.md',
      'see [x](../synth/README.md#y) and `synth/src/cli.ts:12`, not `a/b`',
    ).map((p) => p.path);
    expect(paths).toEqual(['synth/README.md', 'synth/src/cli.ts']);
  });
});
