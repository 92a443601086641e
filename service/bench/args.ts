// One argument parser for the service's benchmarks: each option declared once, with its default and rule;
// a bad value or an unknown option is one line naming it, then the usage line, and exit code 2.
import { parseArgs } from 'node:util';

/** A whole number in a range, one of a few words, or a text matching a pattern (`rule` says which). */
export type OptionSpec =
  | { readonly default: number; readonly min: number; readonly max: number }
  | { readonly default: string; readonly oneOf: readonly string[] }
  | { readonly default: string; readonly pattern: RegExp; readonly rule: string };

/** The parsed values: a number for a range, the word for a choice, the text for a pattern. */
export type OptionValues<S extends Record<string, OptionSpec>> = {
  [K in keyof S]: S[K] extends { readonly oneOf: readonly string[] }
    ? S[K]['oneOf'][number]
    : S[K] extends { readonly pattern: RegExp }
      ? string
      : number;
};

/** A usage error; its message is one line naming the option, the value and the rule. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

const ruleOf = (spec: OptionSpec) =>
  'oneOf' in spec ? spec.oneOf.join('|') : 'pattern' in spec ? `<${spec.rule}>` : `${spec.min}-${spec.max}`;

/** The usage line of a bench run with `npm run <script> -- ...`. */
export const usageOf = (script: string, specs: Record<string, OptionSpec>) =>
  `usage: npm run ${script} -- ${Object.entries(specs)
    .map(([name, spec]) => `[--${name} ${ruleOf(spec)}]`)
    .join(' ')}`;

/** A whole number from `min` to `max`, or a BenchUsageError naming `label`. */
export function wholeNumber(label: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw new BenchUsageError(`${label}="${raw}" must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/** Parses `argv` (node:util parseArgs, strict) against `specs`; throws BenchUsageError. */
export function parseBenchArgs<S extends Record<string, OptionSpec>>(
  argv: readonly string[],
  specs: S,
): OptionValues<S> {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(Object.keys(specs).map((name) => [name, { type: 'string' as const }]));
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (err) {
    // node:util's own message names the option ("Unknown option '--x'", "Option '--x <value>' argument missing").
    throw new BenchUsageError((err as Error).message.split('\n')[0] ?? String(err));
  }
  const out: Record<string, string | number> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = values[name];
    if (typeof raw !== 'string') {
      out[name] = spec.default;
    } else if ('oneOf' in spec) {
      if (!spec.oneOf.includes(raw)) {
        throw new BenchUsageError(`--${name}="${raw}" must be one of ${spec.oneOf.join(', ')}`);
      }
      out[name] = raw;
    } else if ('pattern' in spec) {
      if (!spec.pattern.test(raw)) throw new BenchUsageError(`--${name}="${raw}" must be ${spec.rule}`);
      out[name] = raw;
    } else {
      out[name] = wholeNumber(`--${name}`, raw, spec.min, spec.max);
    }
  }
  return out as OptionValues<S>;
}

/** For a bench's entry: the parsed options, or one line and the usage on stderr and exit 2. */
export function benchArgs<S extends Record<string, OptionSpec>>(
  script: string,
  specs: S,
  argv: readonly string[] = process.argv.slice(2),
): OptionValues<S> {
  try {
    return parseBenchArgs(argv, specs);
  } catch (err) {
    if (!(err instanceof BenchUsageError)) throw err;
    process.stderr.write(`${script}: ${err.message}\n${usageOf(script, specs)}\n`);
    process.exit(2);
  }
}

/** A whole-number environment knob (bench:api's `BENCH_*`): unset or empty is `fallback`; bad is exit 2. */
export function envKnob(script: string, name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  try {
    return wholeNumber(name, raw, min, max);
  } catch (err) {
    process.stderr.write(`${script}: ${(err as Error).message}\n`);
    process.exit(2);
  }
}
