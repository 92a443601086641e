// CODEOWNERS gives every path that decides what reaches production to the platform owners, and no later line
// takes one back (GitHub uses the LAST matching pattern). Paths checked with a small CODEOWNERS matcher.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

type Rule = readonly [pattern: string, owners: readonly string[]];

const parseOwners = (text: string): Rule[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [pattern = '', ...owners] = l.split(/\s+/);
      return [pattern, owners] as const;
    });

/** GitHub's rules for the patterns used here: `/dir/` anchors a folder, `/file` one file, `*` within a segment. */
function matches(pattern: string, path: string): boolean {
  const anchored = pattern.startsWith('/');
  const body = pattern.replace(/^\//, '');
  const re = body
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*/g, '\0')
    .replace(/\*/g, '[^/]*')
    .replace(/\0/g, '.*');
  const dir = body.endsWith('/');
  return new RegExp(`^${anchored ? '' : '(.*/)?'}${re}${dir ? '.*' : '(/.*)?'}$`).test(path);
}

/** The owners of `path`: those of the last matching line, or none. */
function ownersOf(rules: readonly Rule[], path: string): readonly string[] {
  return rules.filter(([p]) => matches(p, path)).at(-1)?.[1] ?? [];
}

const rules = parseOwners(readFileSync(join(import.meta.dirname, 'CODEOWNERS'), 'utf8'));
const before = parseOwners(
  readFileSync(join(import.meta.dirname, 'fixtures', 'before-issue-22', 'CODEOWNERS'), 'utf8'),
);

// One real file (or a file that would be created) under each path that needs an owner.
const MUST_BE_OWNED = [
  'synth/src/render/policy.ts',
  'synth/bin/synth.mjs',
  'synth/bin/synth',
  'dist/prod/deployment-guestlist.yaml',
  'dist/dev/role-guestlist.yaml',
  'dist/argocd/appproject-guestlist.yaml',
  '.github/scripts/handover.ts',
  '.github/scripts/personal-target.ts',
  '.github/workflows/bump.yml',
  '.github/iam/release-build-trust.json',
  '.github/settings/environments.json',
  '.github/CODEOWNERS',
  '.ci/run',
  '.ci/setup',
  'package.json',
  'package-lock.json',
  'argocd/install/kustomization.yaml',
  'argocd/ack/iam/iam-controller-policy.json',
  'environments/prod.yaml',
  'environments/clusters/prod-eks.yaml',
];

describe('CODEOWNERS', () => {
  it('should give every path that decides what reaches production an owner', () => {
    const unowned = MUST_BE_OWNED.filter((p) => ownersOf(rules, p).length === 0);
    expect(unowned).toEqual([]);
    for (const [, owners] of rules) for (const o of owners) expect(o).toMatch(/^@[\w.-]+(\/[\w.-]+)?$/);
  });

  it('should have left synth/, dist/<env>/, .github/scripts/, .ci/ and package*.json unowned before issue 22', () => {
    const unowned = MUST_BE_OWNED.filter((p) => ownersOf(before, p).length === 0);
    expect(unowned).toEqual([
      'synth/src/render/policy.ts',
      'synth/bin/synth.mjs',
      'synth/bin/synth',
      'dist/prod/deployment-guestlist.yaml',
      'dist/dev/role-guestlist.yaml',
      '.github/scripts/handover.ts',
      '.github/scripts/personal-target.ts',
      '.github/iam/release-build-trust.json',
      '.github/settings/environments.json',
      '.ci/run',
      '.ci/setup',
      'package.json',
      'package-lock.json',
    ]);
  });

  it('should match like GitHub: anchored folders and files, last line wins', () => {
    expect(matches('/dist/', 'dist/prod/a.yaml')).toBe(true);
    expect(matches('/dist/', 'synth/dist/a')).toBe(false);
    expect(matches('/package.json', 'service/package.json')).toBe(false);
    expect(matches('*.md', 'docs/a.md')).toBe(true);
    expect(
      ownersOf(
        [
          ['/dist/', ['@a']],
          ['/dist/dev/', []],
        ],
        'dist/dev/x',
      ),
    ).toEqual([]);
  });
});
