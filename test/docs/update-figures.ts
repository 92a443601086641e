// npm run docs:figures [-- --record build/bench-synth.json ...]: copies the named benchmark results into
// docs/figures/ (the one committed source of every figure the docs quote), then rewrites each figure marker in
// every tracked Markdown file from those files. Commit both together.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { figureSources, rewriteFigures } from './figures';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({ options: { record: { type: 'string', multiple: true } }, strict: true });
for (const file of values.record ?? []) {
  if (!/^bench-[a-z-]+\.json$/.test(basename(file))) {
    console.error(
      `docs:figures: --record ${file}: expected a benchmark's results file (build/bench-<name>.json)`,
    );
    process.exit(2);
  }
  copyFileSync(file, join(root, 'docs', 'figures', basename(file)));
}
const load = figureSources(root);
const files = execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);
let changed = 0;
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8');
  const next = rewriteFigures(text, load);
  if (next !== text) {
    writeFileSync(join(root, file), next);
    changed++;
  }
}
console.log(`docs:figures: ${changed} file(s) rewritten from docs/figures/`);
