/**
 * Errors meant for the person at the terminal: each line of `errors` is printed as is, without a stack trace.
 * Every layer throws these (or a subclass); the CLI turns them into output and an exit code in one place
 * (`cli/report-error.ts`). Anything else that reaches the CLI is an internal error.
 */
export class UserError extends Error {
  constructor(
    /** One line per problem, each naming the thing, the value and the rule. */
    readonly errors: readonly string[],
    /** 1: a failed check or a refusal; 2: a usage error (bad arguments). @default 1 */
    readonly exitCode: 1 | 2 = 1,
    /** Last line printed after the errors, e.g. `3 error(s); nothing was written`. @default - none */
    readonly summary?: string,
  ) {
    super(errors.join('\n'));
    this.name = 'UserError';
  }
}

/** Bad command-line arguments: exit code 2. */
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
