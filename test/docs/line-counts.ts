// npm run docs:line-counts [-- --before <rev>]: counts the lines of production code (tests and test helpers
// excluded) per folder of synth/src, service/src and the benchmarks, at <rev> and at HEAD, from git's objects,
// and writes docs/figures/line-counts.json, which synth/README.md quotes. Default <rev>: the last commit before
// the "one CLI, one domain" redesign.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..', '..');
const BEFORE_REDESIGN = '59f9c90';
const { values } = parseArgs({ options: { before: { type: 'string' } }, strict: true });
const before = values.before ?? BEFORE_REDESIGN;

/** The folders counted: each subfolder of these roots, and the roots' own files as `<root>/(files)`. */
const ROOTS = ['synth/src', 'service/src'];
const WHOLE = ['synth/bench', 'service/bench', 'synth/test', 'service/test'];
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });

const isProduction = (path: string) => /\.(ts|mjs|cjs)$/.test(path) && !/\.test\.ts$/.test(path);

/** Lines per folder at one revision. */
function countAt(rev: string): Record<string, number> {
  const commit = git('rev-parse', '--verify', `${rev}^{commit}`).trim();
  const files = git('ls-tree', '-r', '--name-only', commit, '--', ...ROOTS, ...WHOLE)
    .split('\n')
    .filter((p) => p !== '' && isProduction(p));
  const counts: Record<string, number> = {};
  for (const path of files) {
    const whole = WHOLE.find((w) => path.startsWith(`${w}/`));
    const base = ROOTS.find((r) => path.startsWith(`${r}/`));
    const rest = base ? path.slice(base.length + 1) : '';
    const folder = whole ?? (rest.includes('/') ? `${base}/${rest.split('/')[0]}` : `${base}/(files)`);
    const text = git('show', `${commit}:${path}`);
    counts[folder] = (counts[folder] ?? 0) + text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  }
  return counts;
}

const b = countAt(before);
const a = countAt('HEAD');
const folders = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
/** A key the docs' figure markers can address: `synth/src/cli` -> `synth-src-cli`, `(files)` -> `files`. */
const key = (folder: string) => folder.replace(/[()]/g, '').replaceAll('/', '-');
const rows = Object.fromEntries(
  folders.map((f) => [key(f), { folder: f, before: b[f] ?? 0, after: a[f] ?? 0 }]),
);
const total = (side: 'before' | 'after', prefix: string) =>
  folders
    .filter((f) => f.startsWith(prefix))
    .reduce((s, f) => s + (side === 'before' ? (b[f] ?? 0) : (a[f] ?? 0)), 0);
const totals = Object.fromEntries(
  [...ROOTS, ...WHOLE].map((r) => [key(r), { before: total('before', r), after: total('after', r) }]),
);
const report = {
  before: git('rev-parse', '--short', before).trim(),
  after: git('rev-parse', '--short', 'HEAD').trim(),
  folders: rows,
  totals,
};
writeFileSync(join(root, 'docs', 'figures', 'line-counts.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(totals));
