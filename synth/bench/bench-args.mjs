// One argument parser for synth's benchmarks: each option declared once (default and rule), parsed with
// node:util parseArgs; a bad value or an unknown option is one line naming it, then the usage line, exit 2.
import { parseArgs } from 'node:util';

/**
 * Parses `process.argv` for `npm run <script> -- …`.
 * @param {string} script e.g. `bench:synth`
 * @param {Record<string, {default: number, min: number, max: number} | {default: string, list: true, min: number, max: number} | {flag: true}>} specs
 * @returns {Record<string, number | number[] | boolean>}
 */
export function benchArgs(script, specs) {
  const rule = (s) =>
    'flag' in s ? '' : 'list' in s ? ` N,N,... (${s.min}-${s.max})` : ` ${s.min}-${s.max}`;
  const usage = `usage: npm run ${script} -- ${Object.entries(specs)
    .map(([name, s]) => `[--${name}${rule(s)}]`)
    .join(' ')}`;
  const fail = (message) => {
    process.stderr.write(`${script}: ${message}\n${usage}\n`);
    process.exit(2);
  };
  let values;
  try {
    const options = Object.fromEntries(
      Object.entries(specs).map(([name, s]) => [name, { type: 'flag' in s ? 'boolean' : 'string' }]),
    );
    ({ values } = parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false }));
  } catch (error) {
    fail(String(error?.message ?? error).split('\n')[0]);
  }
  const whole = (name, raw, s) => {
    const n = Number(raw);
    if (!/^[0-9]+$/.test(raw) || n < s.min || n > s.max) {
      fail(`--${name} ${JSON.stringify(raw)}: must be a whole number from ${s.min} to ${s.max}`);
    }
    return n;
  };
  return Object.fromEntries(
    Object.entries(specs).map(([name, s]) => {
      if ('flag' in s) return [name, values[name] === true];
      const raw = values[name] ?? String(s.default);
      return [name, 'list' in s ? raw.split(',').map((part) => whole(name, part, s)) : whole(name, raw, s)];
    }),
  );
}
