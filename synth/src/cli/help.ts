/**
 * A command's `--help` text and usage line, generated from its declaration (so the help can never list an
 * option the parser does not know, or miss one it does), and the overview of `synth help`.
 */
import type { Command } from './command';

/** How a person types the command, e.g. `npm run bump -- <env> [options]`. */
export function synopsis(command: Command): string {
  const invocation = command.invocation ?? `npm run ${command.name} --`;
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

/** `synth help`: every command in one line each. */
export function overview(commands: readonly Command[], defaultCommand: Command): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `usage: synth <command> [options]   (no command: ${defaultCommand.name})`,
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    'synth <command> --help shows the options of a command.',
    'exit codes: 0 ok, 1 failed check or gate, or refused (nothing written), 2 usage error',
  ].join('\n');
}
