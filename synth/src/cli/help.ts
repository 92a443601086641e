/**
 * A command's `--help` text and usage line, generated from its declaration (so the help can never list an
 * option the parser does not know, or miss one it does), and the overview of `npm run synth -- help`.
 */
import type { Command } from './command';

/** The npm script that runs the command (`npm run <script>`). */
export const scriptOf = (command: Command): string => command.script ?? command.name;

/** How a person types the command, e.g. `npm run bump -- <env> [options]`. */
export function synopsis(command: Command): string {
  const invocation = `npm run ${scriptOf(command)} --`;
  const generated = [
    ...command.positionals.map((p) =>
      p.choices ? p.choices.join('|') : p.variadic ? `[<${p.name}>...]` : `<${p.name}>`,
    ),
    '[options]',
  ].join(' ');
  return `${invocation} ${command.synopsis ?? generated}`;
}

/** The full `--help` text. */
export function helpText(command: Command): string {
  const rows: [string, string][] = [
    ...command.positionals.map((p): [string, string] => [`<${p.name}>`, p.help]),
    ...Object.entries(command.options).map(([name, o]): [string, string] => [
      `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}${o.multiple ? '...' : ''}`,
      o.help,
    ]),
  ];
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `usage: ${synopsis(command)}`,
    '',
    command.description,
    '',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    '',
    `exit codes: ${command.exitCodes}`,
    '',
    'examples:',
    ...command.examples.map((e) => `  ${e}`),
  ].join('\n');
}

/** `npm run synth -- help`: every command in one line each, as a person types it. */
export function overview(commands: readonly Command[]): string {
  const typed = commands.map((c) => `npm run ${scriptOf(c)}`);
  const width = Math.max(...typed.map((t) => t.length));
  return [
    'usage: npm run <command> -- [arguments]',
    ...commands.map((c, i) => `  ${(typed[i] as string).padEnd(width)}  ${c.summary}`),
    'npm run <command> -- --help (or npm run synth -- help <command>) shows the options of a command.',
    'exit codes: 0 ok, 1 failed check or gate, or refused (nothing written), 2 usage error',
  ].join('\n');
}
