import { GitError } from '../../domain/git';
import { UserError } from '../../errors';
import { OpsError } from '../errors';
import type { Io } from './args';
import { bumpCommand } from './bump-command';
import type { OpsContext } from './context';
import { diffCommand } from './diff-command';
import { envCommand } from './env-command';
import { historyCommand } from './history-command';
import { pinCommand, unpinCommand } from './pin-command';
import { promoteCommand } from './promote-command';
import { rollbackCommand } from './rollback-command';

/** The ops commands by name (as run with `npm run <name> -- …`). */
export const OPS_COMMANDS = {
  bump: bumpCommand,
  promote: promoteCommand,
  pin: pinCommand,
  unpin: unpinCommand,
  rollback: rollbackCommand,
  history: historyCommand,
  diff: diffCommand,
  env: envCommand,
} as const satisfies Record<string, (argv: readonly string[], ctx: OpsContext) => Promise<number>>;

/** An ops command name. */
export type OpsCommand = keyof typeof OPS_COMMANDS;

/** True when `name` is an ops command. */
export function isOpsCommand(name: string | undefined): name is OpsCommand {
  return name !== undefined && Object.hasOwn(OPS_COMMANDS, name);
}

/**
 * Runs one ops command and returns its exit code. A user's mistake or a refusal prints one line
 * (`<command>: <message>`) and exits 1 or 2; anything else is an internal error: one line with a hint
 * (the stack only with SYNTH_DEBUG=1), exit 1.
 */
export async function runOps(command: OpsCommand, argv: readonly string[], ctx: OpsContext): Promise<number> {
  try {
    return await OPS_COMMANDS[command](argv, ctx);
  } catch (error) {
    const action = command === 'env' && (argv[0] === 'new' || argv[0] === 'remove') ? ` ${argv[0]}` : '';
    return reportError(`${command}${action}`, error, ctx.io);
  }
}

function reportError(command: string, error: unknown, io: Io): number {
  if (error instanceof OpsError || error instanceof GitError) {
    io.err(`${command}: ${error.message}`);
    if (error.exitCode === 2) io.err(`(see npm run ${command.split(' ')[0]} -- --help)`);
    return error.exitCode;
  }
  if (error instanceof UserError) {
    // The synth core's errors (environment files, gates): every line, then what it means for this command.
    for (const line of error.errors) io.err(line);
    io.err(`${command}: ${error.errors.length} error(s); nothing was changed`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  io.err(
    `${command}: internal error: ${message} (a bug, not in your files; SYNTH_DEBUG=1 prints the stack trace)`,
  );
  if (process.env.SYNTH_DEBUG === '1' && error instanceof Error && error.stack) io.err(error.stack);
  return 1;
}
