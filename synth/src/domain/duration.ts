// The one duration of the project: how environment files (`verification.soak`) and flags (`--timeout`) write a
// length of time, and how messages show one.
const PART = /([0-9]+)(ms|s|m|h)/g;
const WHOLE = /^([0-9]+(ms|s|m|h))+$/;

/** The whole-text pattern of a duration (the environment schema states it, so editors check it too). */
export const DURATION_PATTERN = WHOLE;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The rule a duration follows, as messages state it. */
export const DURATION_RULE = 'a duration such as 30s, 5m or 1h30m (whole numbers with ms, s, m or h)';

/** Milliseconds of a duration such as `10m` or `1m30s`; undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (!WHOLE.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART))
    total += Number(amount) * (UNIT_MS[unit as string] ?? 0);
  return total;
}

/** A short human form of milliseconds: `850 ms`, `12.3 s`, `4 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}
