/**
 * The synth CLI's entry (the bundle's export): the one list of commands, and the one place where a run becomes
 * an exit code (0 ok, 1 failed or refused, 2 usage). Nothing below imports this file or `cli/commands/`.
 */
import os from 'node:os';
import { type AnyValues, type CliContext, type Command, HELP_OPTION } from './cli/command';
import { helpText, overview, scriptOf } from './cli/help';
import { asksForJson, parseCommandArgs } from './cli/parse';
import { EXIT, reportError } from './cli/report-error';
import { buildingSnapshot, prepareSnapshot } from './cli/snapshot';
import { unknownName } from './config';
import { usageError } from './errors';

/**
 * Every subcommand, by name, in the order `npm run synth -- help` lists them. A new command is a module under
 * `cli/commands/` plus one entry here. Each is imported when it runs (a dynamic `import()`): `synth --check`
 * evaluates the render pipeline only, not the Kubernetes client, git, diff and doctor modules of the others.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  render: async () => (await import('./cli/commands/render')).renderCommand,
  bump: async () => (await import('./cli/commands/bump')).bumpCommand,
  promote: async () => (await import('./cli/commands/promote')).promoteCommand,
  pin: async () => (await import('./cli/commands/pin')).pinCommand,
  unpin: async () => (await import('./cli/commands/pin')).unpinCommand,
  rollback: async () => (await import('./cli/commands/rollback')).rollbackCommand,
  history: async () => (await import('./cli/commands/history')).historyCommand,
  diff: async () => (await import('./cli/commands/diff')).diffCommand,
  env: async () => (await import('./cli/commands/env')).envCommand,
  status: async () => (await import('./cli/commands/status')).statusCommand,
  verify: async () => (await import('./cli/commands/verify')).verifyCommand,
  doctor: async () => (await import('./cli/commands/doctor')).doctorCommand,
  'argocd-pin': async () => (await import('./cli/commands/argocd-pin')).argocdPinCommand,
};
const NAMES = Object.keys(COMMANDS);
/** `synth` and `synth --check` run this one. */
const DEFAULT_COMMAND = 'render';

/** Imports one command by its name (one of `NAMES`). */
const load = (name: string): Promise<Command> => (COMMANDS[name] as () => Promise<Command>)();

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
  if (command.name === DEFAULT_COMMAND) return 'synth';
  const action = command.positionals[0]?.choices?.find((c) => c === args[0]);
  return action ? `${command.name} ${action}` : command.name;
}

/** A command name, or the npm script that runs it (`help argocd:pin`, `help synth`), as its name; else undefined. */
async function commandNamed(name: string): Promise<string | undefined> {
  if (Object.hasOwn(COMMANDS, name)) return name;
  for (const candidate of NAMES) if (scriptOf(await load(candidate)) === name) return candidate;
  return undefined;
}

const unknownCommand = (name: string) =>
  usageError(
    unknownName({ what: 'command', value: name, rule: 'unknown command', known: NAMES, list: 'commands' }),
  );

/** `help`: every command in one line; `help <command>`: that command's `--help`. */
async function help(names: readonly string[], io: CliContext['io']): Promise<number> {
  try {
    const [name, extra] = names;
    if (extra !== undefined) {
      throw usageError(
        `unexpected argument ${JSON.stringify(extra)}; usage: npm run synth -- help [<command>]`,
      );
    }
    if (name === undefined) {
      io.out(overview(await Promise.all(NAMES.map(load))));
      return EXIT.ok;
    }
    const found = await commandNamed(name);
    if (found === undefined) throw unknownCommand(name);
    io.out(helpText(withHelp(await load(found))));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, { label: 'synth help', json: false, env: {} });
  }
}

/** Runs one command of the synth CLI and returns its exit code. */
export async function run(argv: readonly string[], context: CliContext = processContext()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === 'help') return help(rest, context.io);
  if ((first === '--help' || first === '-h') && rest.length === 0) return help([], context.io);
  const named = first !== undefined && Object.hasOwn(COMMANDS, first);
  const command = await load(named ? first : DEFAULT_COMMAND);
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
      throw unknownCommand(first);
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

// Only under `node --build-snapshot` (synth/scripts/build.mjs passes the repository's root): warm up, register
// the snapshot's main function. A normal load of the bundle skips this.
if (buildingSnapshot()) prepareSnapshot(run, process.argv[2] ?? process.cwd());
