// "Did you mean …?" suggestions: the nearest known name to a likely typo.
import { distance } from 'fastest-levenshtein';

/**
 * The candidate nearest to `input` when it is close enough to be a likely typo: a case-insensitive match, or an
 * edit distance of at most a third of the longer word (at least 2, so a swap of two letters counts) and less than
 * the shorter word's length. Undefined when nothing is that close.
 */
export function nearest(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === lower) return candidate;
    const d = distance(input, candidate);
    const limit = Math.max(2, Math.floor(Math.max(input.length, candidate.length) / 3));
    if (d <= limit && d < Math.min(input.length, candidate.length) && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** ` did you mean "x"?` when a candidate is close to `input`, else an empty string (for one-line messages). */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = nearest(input, candidates);
  return match === undefined ? '' : ` did you mean "${match}"?`;
}

/** What `unknownName` says about a name that is not one of the known ones. */
export interface UnknownName {
  /** What the value is, e.g. `environment`, `--env`, `action`. */
  readonly what: string;
  readonly value: string;
  /** Why it is refused, e.g. `no such environment`. */
  readonly rule: string;
  readonly known: readonly string[];
  /** The label of the list, e.g. `environments`. */
  readonly list: string;
}

/**
 * The one shape of an unknown name, for every command: `<what> "<value>": <rule>; did you mean "<x>"? (<list>:
 * a, b)`, the "did you mean" only when a known name is close.
 */
export function unknownName(o: UnknownName): string {
  const hint = nearest(o.value, o.known);
  return `${o.what} "${o.value}": ${o.rule}${hint ? `; did you mean "${hint}"?` : ''} (${o.list}: ${o.known.join(', ') || 'none'})`;
}
