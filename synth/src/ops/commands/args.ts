import { parseArgs } from 'node:util';
import { nearest } from '../../config';
import { checkEnvName } from '../env-name';
import { usageError } from '../errors';
import { checkReason } from '../trailers';

/** Streams a command prints to (tests pass their own). */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

type OptionSpec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** The options every command that changes files takes. */
export const WRITE_OPTIONS = {
  commit: { type: 'boolean' },
  push: { type: 'boolean' },
  retries: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** Parsed arguments: positionals and option values, or a usage error naming the bad argument. */
export function parse<T extends OptionSpec>(
  argv: readonly string[],
  options: T,
  positionals: readonly string[],
) {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
  >;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? 'bad arguments';
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown !== undefined) {
      const known = Object.keys(options ?? {}).map((o) => `--${o}`);
      const hint = nearest(unknown, known);
      throw usageError(
        `unknown option ${unknown}${hint ? `; did you mean ${hint}?` : ''} (options: ${known.join(', ')})`,
      );
    }
    throw usageError(message.replace(/\. To specify a positional.*$/, '').replace(/\.$/, ''));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { help: true as const, values, positionals: parsed.positionals };
  if (parsed.positionals.length !== positionals.length) {
    const got = parsed.positionals.length;
    throw usageError(
      got < positionals.length
        ? `missing ${positionals
            .slice(got)
            .map((p) => `<${p}>`)
            .join(' ')}`
        : `unexpected argument ${JSON.stringify(parsed.positionals[positionals.length])} (expected ${positionals.map((p) => `<${p}>`).join(' ') || 'none'})`,
    );
  }
  return { help: false as const, values, positionals: parsed.positionals };
}

/** `--commit`, `--push`, `--retries` checked together. */
export function writeFlags(values: Record<string, string | boolean | undefined>) {
  const commit = values.commit === true;
  const push = values.push === true;
  if (push && !commit) throw usageError('--push: needs --commit (only a commit can be pushed)');
  let retries = 3;
  if (values.retries !== undefined) {
    if (!push) throw usageError('--retries: only applies with --push');
    const text = values.retries as string;
    if (!/^[0-9]+$/.test(text) || Number(text) > 20) {
      throw usageError(`--retries ${JSON.stringify(text)}: must be a whole number from 0 to 20`);
    }
    retries = Number(text);
  }
  return { commit, push, retries, json: values.json === true };
}

/** A `--reason`, checked; required when `needed` names the flag that needs it. */
export function reasonFlag(
  values: Record<string, string | boolean | undefined>,
  needed?: string,
): string | undefined {
  const reason = values.reason;
  if (typeof reason !== 'string') {
    if (needed) throw usageError(`${needed}: needs --reason "<why>" (recorded in the commit trailers)`);
    return undefined;
  }
  return checkReason(reason);
}

/** An environment name argument, checked before it reaches any path. */
export function envArg(name: string | undefined, what = 'environment'): string {
  return checkEnvName(name ?? '', what);
}
