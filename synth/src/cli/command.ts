import { type ParseArgsConfig, parseArgs } from 'node:util';
import { nearest } from '../config';
import { UsageError } from '../errors';
import type { WriteHooks } from '../render/write';

/** Streams the CLI prints to (tests pass their own). */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** What every command gets: where to print, the process environment and working directory, test hooks. */
export interface CliContext {
  readonly io: Io;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Failure injection for the atomic write (tests only). @default {} */
  readonly writeHooks?: WriteHooks;
}

/** Exit codes, the same for every command. */
export const EXIT = {
  /** Done; or `--check` found everything up to date. */
  ok: 0,
  /** A failed check or gate, or a refusal; nothing was changed. */
  failed: 1,
  /** A usage error: unknown command or option, bad value. */
  usage: 2,
} as const;

/** A subcommand: `synth <name> [options]`. Registered in one line in `cli.ts`. */
export interface Command {
  readonly name: string;
  /** One line for `synth help`. */
  readonly summary: string;
  /** The command's `--help` text. */
  readonly usage: string;
  /** Runs the command; returns an exit code (see EXIT). Throws `UserError`s; `cli.ts` prints them. */
  run(args: readonly string[], context: CliContext): number | Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's options strictly (no positionals). An unknown option or a missing value is a
 * `UsageError` naming the option, with the nearest known option when one is close.
 */
export function parseOptions<T extends Options>(command: string, options: T, args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const positional = /Unexpected argument '([^']+)'/.exec(message)?.[1];
    const known = Object.keys(options).map((o) => `--${o}`);
    if (unknown !== undefined) {
      const hint = nearest(unknown, known);
      throw new UsageError([
        `synth ${command}: unknown option ${unknown}${hint ? `; did you mean ${hint}?` : ''} (options: ${known.join(', ')})`,
      ]);
    }
    if (positional !== undefined) {
      throw new UsageError([
        `synth ${command}: unexpected argument "${positional}" (options: ${known.join(', ')})`,
      ]);
    }
    throw new UsageError([`synth ${command}: ${message.replace(/\.$/, '')}`]);
  }
}
