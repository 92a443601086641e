import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const lines = readFileSync(join(__dirname, 'CODEOWNERS'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => l.trim().split(/\s+/));

describe('CODEOWNERS', () => {
  it('should give environments/, dist/argocd/, argocd/, the workflows and itself an owner', () => {
    const owned = new Map(lines.map(([path, ...owners]) => [path, owners]));
    for (const path of [
      '/environments/',
      '/dist/argocd/',
      '/argocd/',
      '/.github/workflows/',
      '/.github/CODEOWNERS',
    ]) {
      expect(owned.get(path)?.length, path).toBeGreaterThan(0);
    }
    for (const [, ...owners] of lines) for (const o of owners) expect(o).toMatch(/^@[\w.-]+(\/[\w.-]+)?$/);
  });
});
