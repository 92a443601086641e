/**
 * The one place where an error becomes output and an exit code. A `CommandError` prints one line after the
 * command's name, and a `UsageError` each of its lines after it; any other `UserError` prints its lines as they
 * are (each names its own place) and its summary after the command's name; a file-system error prints one line
 * naming the path; anything else is an internal error: one line with a hint, and the stack only with
 * `SYNTH_DEBUG=1`. With `--json`, the same problems are
 * also one JSON document on stdout, so a script always gets exactly one document.
 */
import { CommandError, UsageError, UserError } from '../errors';
import type { Io } from './command';

/** Exit codes, the same for every command. */
export const EXIT = {
  /** Done; or `--check` found everything up to date. */
  ok: 0,
  /** A failed check or gate, or a refusal; nothing was changed. */
  failed: 1,
  /** A usage error: unknown command or option, bad value. */
  usage: 2,
} as const;

/** How to report: the command's name as messages start with it, and whether stdout expects JSON. */
export interface ReportOptions {
  readonly label: string;
  /** Also print one JSON document on stdout. */
  readonly json: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Prints `error` and returns the exit code. */
export function reportError(error: unknown, io: Io, o: ReportOptions): number {
  const debug = o.env.SYNTH_DEBUG === '1';
  const lines: string[] = [];
  let code: number = EXIT.failed;
  let status = 'refused';
  if (error instanceof CommandError) {
    lines.push(`${o.label}: ${error.errors.join(' ')}`);
    code = error.exitCode;
  } else if (error instanceof UsageError) {
    // Bad arguments name a flag or a value, not a place of their own: each line after the command's name.
    lines.push(...error.errors.map((line) => `${o.label}: ${line}`));
    code = error.exitCode;
  } else if (error instanceof UserError) {
    lines.push(...error.errors);
    if (error.summary !== undefined) lines.push(`${o.label}: ${error.summary}`);
    code = error.exitCode;
  } else {
    status = 'internal-error';
    const e = error as Partial<NodeJS.ErrnoException> | undefined;
    if (typeof e?.code === 'string' && typeof e.path === 'string' && typeof e.syscall === 'string') {
      status = 'failed';
      lines.push(`${o.label}: cannot ${e.syscall} ${e.path} (${e.code}); nothing was written`);
    } else {
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      const hint = debug ? '' : '; SYNTH_DEBUG=1 prints the stack trace';
      lines.push(`${o.label}: internal error: ${message} (a bug in synth, not in your files${hint})`);
    }
  }
  if (code === EXIT.usage) status = 'usage-error';
  for (const line of lines) io.err(line);
  if (debug && error instanceof Error && error.stack) io.err(error.stack);
  if (o.json) {
    io.out(JSON.stringify({ command: o.label, status, exitCode: code, errors: lines }, null, 2));
  }
  return code;
}
