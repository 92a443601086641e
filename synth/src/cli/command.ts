/**
 * What a command of the synth CLI is: one declaration of its arguments (positionals and options, each with its
 * help line) and its `run`. Parsing (`parse.ts`), `--help` (`help.ts`), "did you mean" and usage errors all
 * come from the declaration; `cli.ts` registers the commands and decides the exit code.
 */
/** Streams the CLI prints to (tests pass their own). */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** What every command gets from the outside world. */
export interface CliContext {
  readonly io: Io;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Home folder, for `~/.kube/config`. @default os.homedir() */
  readonly home?: string;
  /** The clock (a pin's `since`). @default the system clock */
  readonly now?: () => Date;
}

/** One option: `--<name>`. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** May be given more than once (values collected in order); otherwise a second one is a usage error. */
  readonly multiple?: boolean;
  /** One-letter alias, e.g. `h`. */
  readonly short?: string;
  /** Placeholder of the value in the help, e.g. `<tag>`. @default <value> */
  readonly value?: string;
  /** One line for the help. */
  readonly help: string;
  /** Options that must not be given together with this one. */
  readonly conflicts?: readonly string[];
}

/** The options of a command, in the order help and error messages list them. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** One positional argument, e.g. `<env>`. */
export interface PositionalSpec {
  readonly name: string;
  /** One line for the help. */
  readonly help: string;
  /** The only values allowed (e.g. the actions of `env`). */
  readonly choices?: readonly string[];
  /** Zero or more values (only the last positional): `[<env>...]`. @default false */
  readonly variadic?: boolean;
}

/** Option values as parsed: a string, a boolean, or a list for a repeatable option; absent when not given. */
export type Values<O extends OptionSpecs> = {
  readonly [K in keyof O]?: O[K]['type'] extends 'boolean'
    ? boolean
    : O[K]['multiple'] extends true
      ? string[]
      : string;
};

/** Option values of any command, before they are typed by its declaration. */
export type AnyValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** What `run` gets: the values of the declared options and the declared positionals, all present. */
export interface Input<O extends OptionSpecs> {
  readonly values: Values<O>;
  readonly positionals: readonly string[];
}

/** A subcommand: `npm run <script> -- [arguments]`, which runs `synth <name> [arguments]`. */
export interface Command<O extends OptionSpecs = OptionSpecs> {
  readonly name: string;
  /** One line for `npm run synth -- help`. */
  readonly summary: string;
  /** The npm script (package.json `scripts`) that runs it: what a person types after `npm run`. @default name */
  readonly script?: string;
  /** The usage line after the invocation, when the generated one (`<positionals> [options]`) says too little. */
  readonly synopsis?: string;
  /** What the command does, a few lines for `--help`. */
  readonly description: string;
  readonly positionals: readonly PositionalSpec[];
  readonly options: O;
  /** The `exit codes:` line of the help, after `exit codes: `. */
  readonly exitCodes: string;
  /** Runnable examples for the help (whole command lines). */
  readonly examples: readonly string[];
  /** True when the values ask for JSON on stdout: errors are then one JSON document there too. */
  readonly wantsJson?: (values: Values<O>) => boolean;
  /** Runs the command; returns 0 or 1. Throws the `UserError` family; `cli.ts` prints them. */
  run(input: Input<O>, context: CliContext): number | Promise<number>;
}

/** Declares a command (types its `run` against its own options). */
export function defineCommand<const O extends OptionSpecs>(command: Command<O>): Command {
  return command as unknown as Command;
}

/** The `--help` option every command has. */
export const HELP_OPTION = {
  type: 'boolean',
  short: 'h',
  help: 'show this help',
} as const satisfies OptionSpec;
