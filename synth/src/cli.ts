import { type CliContext, type Command, EXIT } from './cli/command';
import { renderCommand } from './cli/render-command';
import { reportError } from './cli/report-error';
import { clusterCommands } from './cluster/cluster-commands';
import { nearest } from './config';
import { doctorCommand } from './doctor/doctor-command';
import { UsageError } from './errors';
import { opsCommands } from './ops/commands/cli-commands';

/**
 * Every subcommand, one line each. `synth <name> ...` runs one; anything else (`synth`, `synth --check`) runs
 * the default command, `render`. A new command is a module exporting a `Command` plus one line here.
 */
const COMMANDS: readonly Command[] = [renderCommand, ...opsCommands(), ...clusterCommands, doctorCommand];
const DEFAULT_COMMAND = renderCommand;

const processContext = (): CliContext => ({
  io: {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
  },
  env: process.env,
  cwd: process.cwd(),
});

/** The synth CLI (bundle entry): runs one command and returns its exit code (0 ok, 1 failed/refused, 2 usage). */
export async function run(argv: readonly string[], context: CliContext = processContext()): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === 'help' || ((first === '--help' || first === '-h') && rest.length === 0)) {
      context.io.out(overview());
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (command) return await command.run(rest, context);
    if (first !== undefined && !first.startsWith('-')) {
      const names = COMMANDS.map((c) => c.name);
      const hint = nearest(first, names);
      throw new UsageError([
        `synth: unknown command "${first}"${hint ? `; did you mean "${hint}"?` : ''} (commands: ${names.join(', ')}; see synth help)`,
      ]);
    }
    return await DEFAULT_COMMAND.run(argv, context);
  } catch (error) {
    return reportError(error, context.io, context.env);
  }
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: synth <command> [options]   (no command: render)',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    'synth <command> --help shows the options of a command.',
    'exit codes: 0 ok, 1 failed check or gate, or refused (nothing written), 2 usage error',
    '',
    DEFAULT_COMMAND.usage,
  ].join('\n');
}
