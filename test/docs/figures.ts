/**
 * Figures in the documentation come from one place: the results file a benchmark wrote, committed under
 * docs/figures/<name>.json. Markdown quotes a value with an invisible marker around it,
 * `<!--fig:bench-synth:targets.committedVsKustomizeLoop.value-->1.14<!--/fig-->`, which renders as "1.14"
 * (`…value|2-->` rounds a number to 2 decimals; `…share|%1-->` shows a fraction as a percentage with 1 decimal);
 * a test fails when the text differs from the file, and `npm run docs:figures` rewrites every marker from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One quoted figure: where it is, which file and path it quotes, and the text the document shows. */
export interface Figure {
  readonly line: number;
  readonly source: string;
  readonly path: string;
  /** Decimals to round a number to (`|2`), or undefined: as written in the file. */
  readonly decimals?: number;
  /** `|%1`: the number is a fraction, shown as a percentage (with `decimals`). */
  readonly percent?: boolean;
  readonly shown: string;
}

const MARKER = /<!--fig:([a-z0-9-]+):([A-Za-z0-9_.-]+)(?:\|(%?)([0-9]))?-->(.*?)<!--\/fig-->/g;

/** Every figure marker of a Markdown text. */
export function figuresOf(text: string): Figure[] {
  return text.split('\n').flatMap((lineText, i) =>
    [...lineText.matchAll(MARKER)].map((m) => ({
      line: i + 1,
      source: m[1] ?? '',
      path: m[2] ?? '',
      ...(m[4] !== undefined && { decimals: Number(m[4]) }),
      ...(m[3] === '%' && { percent: true }),
      shown: m[5] ?? '',
    })),
  );
}

/** The value at a dotted path (`growth.1.vsKustomize`), or undefined. */
export function valueAt(data: unknown, path: string): unknown {
  let at: unknown = data;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** How a value is shown: whole numbers with thousands separators, others as written in the file. */
export function formatValue(value: unknown, decimals?: number, percent = false): string | undefined {
  if (typeof value === 'number' && percent) return `${formatValue(value * 100, decimals ?? 0)}%`;
  if (typeof value === 'number' && decimals !== undefined) {
    return value.toLocaleString('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
  }
  if (typeof value === 'number')
    return Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Loads docs/figures/<source>.json of the repository at `root` (cached per call site). */
export function figureSources(root: string): (source: string) => unknown {
  const cache = new Map<string, unknown>();
  return (source) => {
    if (!cache.has(source)) {
      try {
        cache.set(source, JSON.parse(readFileSync(join(root, 'docs', 'figures', `${source}.json`), 'utf8')));
      } catch {
        cache.set(source, undefined);
      }
    }
    return cache.get(source);
  };
}

/** What is wrong with the figures of one file: one line each, naming the place, the quote and the file's value. */
export function figureProblems(file: string, text: string, load: (source: string) => unknown): string[] {
  return figuresOf(text).flatMap((f) => {
    const data = load(f.source);
    const where = `${file}:${f.line}: ${f.source}:${f.path}`;
    if (data === undefined) return [`${where}: docs/figures/${f.source}.json does not exist`];
    const want = formatValue(valueAt(data, f.path), f.decimals, f.percent);
    if (want === undefined)
      return [`${where}: no number or text at that path in docs/figures/${f.source}.json`];
    return want === f.shown
      ? []
      : [`${where}: shows "${f.shown}", the file says "${want}" (npm run docs:figures)`];
  });
}

/** The text with every figure rewritten from its file (figures whose file or path is missing are left as they are). */
export function rewriteFigures(text: string, load: (source: string) => unknown): string {
  return text.replace(
    MARKER,
    (whole, source: string, path: string, pct: string | undefined, decimals: string | undefined) => {
      const data = load(source);
      const want =
        data === undefined
          ? undefined
          : formatValue(
              valueAt(data, path),
              decimals === undefined ? undefined : Number(decimals),
              pct === '%',
            );
      const spec = decimals === undefined ? '' : `|${pct ?? ''}${decimals}`;
      return want === undefined ? whole : `<!--fig:${source}:${path}${spec}-->${want}<!--/fig-->`;
    },
  );
}
