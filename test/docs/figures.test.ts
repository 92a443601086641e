// Every figure the documentation quotes through a marker equals the value in its results file
// (docs/figures/<name>.json), and the marker mechanism itself reads, compares and rewrites as documented.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { figureProblems, figureSources, figuresOf, rewriteFigures } from './figures';

const root = join(__dirname, '..', '..');

describe('figures in the documentation', () => {
  it('should equal the committed results file they quote, in every Markdown file', () => {
    const load = figureSources(root);
    const files = execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const problems = files.flatMap((f) => figureProblems(f, readFileSync(join(root, f), 'utf8'), load));
    expect(problems).toEqual([]);
    // The README's performance table quotes its figures this way.
    expect(figuresOf(readFileSync(join(root, 'README.md'), 'utf8')).length).toBeGreaterThan(5);
  });

  it('should name the place, the quote and the value when a figure drifts, and rewrite it from the file', () => {
    const load = (s: string) => (s === 'bench-x' ? { a: { b: 1234, c: 0.5, d: 0.73046 } } : undefined);
    const text =
      'x <!--fig:bench-x:a.b-->999<!--/fig--> y <!--fig:bench-x:a.c-->0.5<!--/fig--> <!--fig:bench-y:a-->1<!--/fig-->';
    expect(figureProblems('R.md', text, load)).toEqual([
      'R.md:1: bench-x:a.b: shows "999", the file says "1,234" (npm run docs:figures)',
      'R.md:1: bench-y:a: docs/figures/bench-y.json does not exist',
    ]);
    expect(rewriteFigures(text, load)).toBe(
      'x <!--fig:bench-x:a.b-->1,234<!--/fig--> y <!--fig:bench-x:a.c-->0.5<!--/fig--> <!--fig:bench-y:a-->1<!--/fig-->',
    );
  });

  it('should round a number to the decimals a marker asks for', () => {
    const load = () => ({ r: 0.73046, n: 2 });
    const text = '<!--fig:bench-x:r|2-->0.7<!--/fig--> and <!--fig:bench-x:n|1-->2.0<!--/fig-->';
    expect(figureProblems('R.md', text, load)).toEqual([
      'R.md:1: bench-x:r: shows "0.7", the file says "0.73" (npm run docs:figures)',
    ]);
    expect(rewriteFigures(text, load)).toBe(
      '<!--fig:bench-x:r|2-->0.73<!--/fig--> and <!--fig:bench-x:n|1-->2.0<!--/fig-->',
    );
  });

  it('should show a fraction as a percentage when a marker asks for it', () => {
    const load = () => ({ share: 0.8888, all: 1 });
    const text = '<!--fig:bench-x:share|%1-->88.8%<!--/fig--> <!--fig:bench-x:all|%1-->100.0%<!--/fig-->';
    expect(figuresOf(text)[0]).toMatchObject({ decimals: 1, percent: true, shown: '88.8%' });
    expect(figureProblems('R.md', text, load)).toEqual([
      'R.md:1: bench-x:share: shows "88.8%", the file says "88.9%" (npm run docs:figures)',
    ]);
    expect(rewriteFigures(text, load)).toBe(
      '<!--fig:bench-x:share|%1-->88.9%<!--/fig--> <!--fig:bench-x:all|%1-->100.0%<!--/fig-->',
    );
  });
});
