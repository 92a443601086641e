/**
 * The one family of errors meant for the person at the terminal. Every layer throws these; the CLI entry
 * (`cli.ts`, through `cli/report-error.ts`) turns them into output and the exit code, in one place: a usage
 * error exits 2, a refusal or a failed check exits 1. Anything else that reaches the CLI is an internal error.
 */

/** Exit code of a refusal or a failed check, and of a usage error. */
export type UserExitCode = 1 | 2;

/**
 * A report of problems, each line naming its own place (`file:line:col key: message`, a flag and its value),
 * printed as it is; `summary` is the last line, after the command's name.
 */
export class UserError extends Error {
  constructor(
    /** One line per problem, each naming the thing, the value and the rule. */
    readonly errors: readonly string[],
    /** 1: a failed check or a refusal; 2: a usage error (bad arguments). @default 1 */
    readonly exitCode: UserExitCode = 1,
    /** Last line printed after the errors, e.g. `3 error(s); nothing was written`. @default - none */
    readonly summary?: string,
  ) {
    super(errors.join('\n'));
    this.name = 'UserError';
  }
}

/** Bad command-line arguments, as a report of lines: exit code 2. */
export class UsageError extends UserError {
  constructor(errors: readonly string[]) {
    super(errors, 2);
    this.name = 'UsageError';
  }
}

/** A deliberate refusal (e.g. removing a protected environment without the flag): exit code 1, nothing changed. */
export class RefusedError extends UserError {
  constructor(errors: readonly string[], summary = 'refused; nothing was written') {
    super(errors, 1, summary);
    this.name = 'RefusedError';
  }
}

/**
 * One sentence about what a command was asked, without a place of its own: the CLI prints it after the
 * command's name (`bump: --tag: is required`). Exit 2 for a usage error, 1 for a refusal or failed check.
 */
export class CommandError extends UserError {
  constructor(message: string, exitCode: UserExitCode = 1) {
    super([message], exitCode);
    this.name = 'CommandError';
  }
}

/** A usage error (bad flag, bad argument value): exit 2. */
export function usageError(message: string): CommandError {
  return new CommandError(message, 2);
}

/** A refusal or a failed check: exit 1. */
export function refused(message: string): CommandError {
  return new CommandError(message, 1);
}
