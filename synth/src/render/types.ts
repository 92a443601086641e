// The render gates' error type: every schema and policy failure of one run.
import { UserError } from '../errors';

/** Every gate failure of one run (schema and policy), each one line. */
export class GateError extends UserError {
  constructor(errors: readonly string[]) {
    super(errors, 1, `${errors.length} error(s); nothing was written`);
    this.name = 'GateError';
  }
}
