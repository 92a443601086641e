import { UserError } from '../errors';

/** Exit code of a refused command or a failed check. */
export const REFUSED = 1;
/** Exit code of a usage error (bad flag, bad argument value). */
export const USAGE = 2;

/**
 * A user-facing failure of an ops command: one line naming the thing, the value and the rule, and the exit
 * code the CLI returns (1 refused / failed check, 2 usage). A `UserError`, so it never carries a stack trace
 * to the user.
 */
export class OpsError extends UserError {
  constructor(message: string, exitCode: typeof REFUSED | typeof USAGE = REFUSED) {
    super([message], exitCode);
    this.name = 'OpsError';
  }
}

/** A usage error (exit 2). */
export function usageError(message: string): OpsError {
  return new OpsError(message, USAGE);
}

/** A refusal or failed check (exit 1). */
export function refused(message: string): OpsError {
  return new OpsError(message, REFUSED);
}
