// docs/delivery.md "How a change reaches production" is the end-to-end test told step by step: each numbered
// step there is played by the `it`s of test/e2e/delivery.test.ts titled "step N:", in the same order, so the
// page and the test cannot drift apart unnoticed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** The numbers of the numbered steps (`N. **title**`) in a markdown section, in order. */
function docSteps(markdown: string, heading: string): number[] {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) return [];
  const rest = markdown.slice(start + heading.length + 5);
  const end = rest.search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1]));
}

/** The step numbers of the `it('step N: …')` calls of a test file, in order. */
function testSteps(source: string): number[] {
  return [...source.matchAll(/\bit\(\s*'step (\d+): /g)].map((m) => Number(m[1]));
}

/** Problems between the page's steps and the test's: empty when every step is played, in order. */
function stepProblems(doc: readonly number[], tests: readonly number[]): string[] {
  const problems: string[] = [];
  doc.forEach((n, i) => {
    if (n !== i + 1)
      problems.push(`docs/delivery.md: step ${n} is numbered out of order (expected ${i + 1})`);
  });
  for (const n of doc) {
    if (!tests.includes(n)) problems.push(`docs/delivery.md: step ${n} is played by no "step ${n}:" test`);
  }
  for (const n of new Set(tests)) {
    if (!doc.includes(n)) problems.push(`test/e2e/delivery.test.ts: "step ${n}:" is not a step of the page`);
  }
  tests.forEach((n, i) => {
    if (i > 0 && n < (tests[i - 1] as number)) {
      problems.push(`test/e2e/delivery.test.ts: step ${n} is played after step ${tests[i - 1]}`);
    }
  });
  return problems;
}

describe('docs/delivery.md and README.md against the end-to-end test', () => {
  const steps = (file: string) =>
    docSteps(readFileSync(join(root, file), 'utf8'), 'How a change reaches production');
  const doc = steps('docs/delivery.md');
  const tests = testSteps(readFileSync(join(root, 'test', 'e2e', 'delivery.test.ts'), 'utf8'));

  it('should play every numbered step of the page, in order, and nothing else', () => {
    expect(doc.length).toBeGreaterThanOrEqual(10);
    expect(stepProblems(doc, tests)).toEqual([]);
  });

  it("should tell the same steps in the README's summary", () => {
    expect(steps('README.md')).toEqual(doc);
  });

  it('should report a step missing from the test, an extra test step and a reordering', () => {
    expect(stepProblems([1, 2, 3], [1, 3, 2, 4])).toEqual([
      'test/e2e/delivery.test.ts: "step 4:" is not a step of the page',
      'test/e2e/delivery.test.ts: step 2 is played after step 3',
    ]);
    expect(stepProblems([1, 3], [1])).toEqual([
      'docs/delivery.md: step 3 is numbered out of order (expected 2)',
      'docs/delivery.md: step 3 is played by no "step 3:" test',
    ]);
  });
});
