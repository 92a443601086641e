import { UserError } from '../errors';
import { EXIT, type Io } from './command';

/**
 * The one place where errors become output and an exit code. A `UserError` prints its lines (and summary)
 * and exits with its code; a file-system error prints one line naming the path; anything else is an internal
 * error: one line with a hint, and the stack only with `SYNTH_DEBUG=1`.
 */
export function reportError(
  error: unknown,
  io: Io,
  env: Readonly<Record<string, string | undefined>>,
): number {
  const debug = env.SYNTH_DEBUG === '1';
  if (error instanceof UserError) {
    for (const line of error.errors) io.err(line);
    if (error.summary !== undefined) io.err(`synth: ${error.summary}`);
    if (debug && error.stack) io.err(error.stack);
    return error.exitCode;
  }
  const e = error as Partial<NodeJS.ErrnoException> | undefined;
  if (typeof e?.code === 'string' && typeof e.path === 'string' && typeof e.syscall === 'string') {
    io.err(`synth: cannot ${e.syscall} ${e.path} (${e.code}); nothing was written`);
  } else {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    const hint = debug ? '' : '; SYNTH_DEBUG=1 prints the stack trace';
    io.err(`synth: internal error: ${message} (a bug in synth, not in your files${hint})`);
  }
  if (debug) io.err(error instanceof Error ? (error.stack ?? String(error)) : String(error));
  return EXIT.failed;
}
