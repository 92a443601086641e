/**
 * Parses a command's arguments against its declaration with `node:util` `parseArgs`. A parse error is
 * classified by its `code` (never by Node's English message) and explained from the tokens of a lenient second
 * parse: the unknown option with the nearest declared one, the option missing its value, a value given to a
 * switch. Then what `parseArgs` does not check: an option given twice, options that conflict, and the count and
 * choices of the positionals. Every problem is a usage error (exit 2) of one line.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { nearest } from '../config';
import { usageError } from '../errors';
import type { AnyValues, Command, Input, OptionSpecs, Values } from './command';
import { synopsis } from './help';

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];
type OptionToken = Extract<Token, { kind: 'option' }>;

/** The `parseArgs` options of a declaration. */
function parseConfig(options: OptionSpecs): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) },
    ]),
  );
}

const flagList = (options: OptionSpecs) =>
  Object.keys(options)
    .map((o) => `--${o}`)
    .join(', ');

/** Why strict parsing failed, in one line, from the error's code and the tokens of a lenient parse. */
function explain(code: string, argv: readonly string[], options: OptionSpecs): string {
  const { tokens } = parseArgs({
    args: [...argv],
    options: parseConfig(options),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const given = tokens.filter((t): t is OptionToken => t.kind === 'option');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const unknown = given.find((t) => !Object.hasOwn(options, t.name));
    const raw = unknown?.rawName ?? '(unknown)';
    const hint = nearest(
      raw,
      Object.keys(options).map((o) => `--${o}`),
    );
    return `unknown option ${raw}${hint ? `; did you mean ${hint}?` : ''} (options: ${flagList(options)})`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    for (const t of given) {
      const spec = options[t.name];
      if (spec?.type === 'boolean' && t.value !== undefined) {
        return `${t.rawName} takes no value (got ${JSON.stringify(t.value)})`;
      }
      if (spec?.type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-')))) {
        const shown = spec.value ?? '<value>';
        return `${t.rawName}: needs a value ${shown}${t.value === undefined ? '' : `, not the option ${t.value} (write ${t.rawName}=${t.value} for a value that starts with "-")`}`;
      }
    }
  }
  return `cannot read the arguments ${JSON.stringify(argv.join(' '))} (${code})`;
}

/** An option given twice that may be given once, or two options that conflict: one line, else undefined. */
function repeatedOrConflicting(tokens: readonly Token[], options: OptionSpecs): string | undefined {
  const seen = new Map<string, OptionToken>();
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const spec = options[t.name];
    const first = seen.get(t.name);
    if (first && !spec?.multiple) {
      const both = [first, t].map((x) => (x.value === undefined ? x.rawName : JSON.stringify(x.value)));
      return `--${t.name} given twice (${both.join(', then ')}); give it once`;
    }
    seen.set(t.name, t);
  }
  for (const [name, spec] of Object.entries(options)) {
    if (!seen.has(name)) continue;
    const other = (spec.conflicts ?? []).find((c) => seen.has(c));
    if (other) return `--${name} and --${other} cannot be given together; give one`;
  }
  return undefined;
}

/** The parsed arguments of `command`, or a usage error (exit 2) naming the bad argument. */
export function parseCommandArgs(command: Command, argv: readonly string[]): Input<OptionSpecs> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: parseConfig(command.options),
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw error;
    throw usageError(explain(code, argv, command.options));
  }
  const problem = repeatedOrConflicting(parsed.tokens ?? [], command.options);
  if (problem) throw usageError(problem);
  const values = parsed.values as Values<OptionSpecs>;
  if ((values as AnyValues).help === true) return { values, positionals: parsed.positionals };
  const specs = command.positionals;
  const got = parsed.positionals;
  const variadic = specs.at(-1)?.variadic === true;
  if (!variadic && got.length > specs.length) {
    throw usageError(`unexpected argument ${JSON.stringify(got[specs.length])}; usage: ${synopsis(command)}`);
  }
  for (const [i, spec] of specs.entries()) {
    const value = got[i];
    if (spec.variadic) break;
    const expected = spec.choices ? ` (expected ${spec.choices.join(' or ')})` : '';
    if (value === undefined) {
      throw usageError(
        spec.choices
          ? `missing ${spec.name}${expected}`
          : `missing <${spec.name}>; usage: ${synopsis(command)}`,
      );
    }
    if (spec.choices && !spec.choices.includes(value)) {
      const hint = nearest(value, spec.choices);
      throw usageError(
        `${spec.name} ${JSON.stringify(value)}: unknown ${spec.name}${hint ? `; did you mean "${hint}"?` : ''}${expected}`,
      );
    }
  }
  return { values, positionals: got };
}

/** True when the raw arguments ask for JSON output, for errors found before or while parsing them. */
export function asksForJson(command: Command, argv: readonly string[]): boolean {
  if (!Object.hasOwn(command.options, 'json') && !command.wantsJson) return false;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: parseConfig(command.options),
      strict: false,
      allowPositionals: true,
    });
    const v = values as Values<OptionSpecs>;
    return (v as AnyValues).json === true || (command.wantsJson?.(v) ?? false);
  } catch {
    return argv.includes('--json');
  }
}
