/**
 * The synth CLI's entry (the bundle's export): the one list of commands, and the one place where a run becomes
 * an exit code (0 ok, 1 failed or refused, 2 usage). Nothing below imports this file or `cli/commands/`.
 */
import os from 'node:os';
import { type AnyValues, type CliContext, type Command, HELP_OPTION } from './cli/command';
import { bumpCommand } from './cli/commands/bump';
import { diffCommand } from './cli/commands/diff';
import { doctorCommand } from './cli/commands/doctor';
import { envCommand } from './cli/commands/env';
import { historyCommand } from './cli/commands/history';
import { pinCommand, unpinCommand } from './cli/commands/pin';
import { promoteCommand } from './cli/commands/promote';
import { renderCommand } from './cli/commands/render';
import { rollbackCommand } from './cli/commands/rollback';
import { statusCommand } from './cli/commands/status';
import { verifyCommand } from './cli/commands/verify';
import { helpText, overview } from './cli/help';
import { asksForJson, parseCommandArgs } from './cli/parse';
import { EXIT, reportError } from './cli/report-error';
import { nearest } from './config';
import { usageError } from './errors';

/** Every subcommand. A new command is a module under `cli/commands/` plus one entry here. */
const COMMANDS: readonly Command[] = [
  renderCommand,
  bumpCommand,
  promoteCommand,
  pinCommand,
  unpinCommand,
  rollbackCommand,
  historyCommand,
  diffCommand,
  envCommand,
  statusCommand,
  verifyCommand,
  doctorCommand,
];
/** `synth` and `synth --check` run this one. */
const DEFAULT_COMMAND = renderCommand;

const processContext = (): CliContext => ({
  io: {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
  },
  env: process.env,
  cwd: process.cwd(),
  home: os.homedir(),
});

/** The name messages start with: `bump`, `env new`, `synth` for the default command. */
function labelOf(command: Command, args: readonly string[]): string {
  if (command === DEFAULT_COMMAND) return 'synth';
  const action = command.positionals[0]?.choices?.find((c) => c === args[0]);
  return action ? `${command.name} ${action}` : command.name;
}

/** Runs one command of the synth CLI and returns its exit code. */
export async function run(argv: readonly string[], context: CliContext = processContext()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === 'help' || ((first === '--help' || first === '-h') && rest.length === 0)) {
    context.io.out(overview(COMMANDS, DEFAULT_COMMAND));
    return EXIT.ok;
  }
  const named = COMMANDS.find((c) => c.name === first);
  const command = named ?? DEFAULT_COMMAND;
  const args = named ? rest : argv;
  // Exactly one JSON document on stdout when JSON is asked for: the command's, or the error's.
  let printed = false;
  const io = {
    out: (t: string) => {
      printed = true;
      context.io.out(t);
    },
    err: context.io.err,
  };
  try {
    if (!named && first !== undefined && !first.startsWith('-')) {
      const names = COMMANDS.map((c) => c.name);
      const hint = nearest(first, names);
      throw usageError(
        `unknown command "${first}"${hint ? `; did you mean "${hint}"?` : ''} (commands: ${names.join(', ')}; see synth help)`,
      );
    }
    const input = parseCommandArgs(withHelp(command), args);
    if ((input.values as AnyValues).help === true) {
      io.out(helpText(withHelp(command)));
      return EXIT.ok;
    }
    return await command.run(input, { ...context, io });
  } catch (error) {
    const json = !printed && asksForJson(command, args);
    return reportError(error, io, { label: labelOf(command, args), json, env: context.env });
  }
}

/** The command with `--help` declared (last, unless it declares it itself). */
function withHelp(command: Command): Command {
  if (Object.hasOwn(command.options, 'help')) return command;
  return { ...command, options: { ...command.options, help: HELP_OPTION } };
}
