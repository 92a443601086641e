import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/cli';

const ROOT = join(__dirname, '..', '..', '..', '..');
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<
  string,
  string
>;

/** The npm script of a command whose name is not its script's (a namespaced script: `argocd:pin`). */
const SCRIPT_OF: Record<string, string> = { 'argocd-pin': 'argocd:pin' };

/** What every command's --help must hold: how to run it, its exit codes and runnable examples. */
function expectHelp(command: string, text: string): void {
  const name = SCRIPT_OF[command] ?? command;
  expect(text.split('\n')[0]).toMatch(new RegExp(`^usage: npm run ${name} -- `));
  expect(text).toMatch(/exit codes: 0 /i);
  const examples = text.slice(text.indexOf('\nexamples:\n'));
  expect(examples.length, `${name} --help has no examples`).toBeGreaterThan(12);
  for (const line of examples
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')) {
    expect(line).toMatch(new RegExp(`^  npm run ${name}( -- .+)?$`));
  }
  // `npm run <name>` runs this very command of the synth CLI.
  expect(scripts[name]).toBe(`sh synth/bin/synth ${command}`);
}

const COMMANDS = [
  'bump',
  'promote',
  'pin',
  'unpin',
  'rollback',
  'history',
  'diff',
  'env',
  'status',
  'verify',
  'doctor',
  'argocd-pin',
];

describe('--help of every ops, status and verify command', () => {
  it('should list exactly these commands and render in synth help, each as the npm script a person types', async () => {
    const help = await runCli(['help'], { cwd: ROOT });
    expect(help.out.split('\n')[0]).toBe('usage: npm run <command> -- [arguments]');
    const typed = [...help.out.matchAll(/^ {2}npm run ([a-z:-]+) {2,}/gm)].map((m) => m[1] as string);
    expect(typed).toEqual(['synth', ...COMMANDS.map((c) => SCRIPT_OF[c] ?? c)]);
    // Each is a script of package.json that runs that command of the synth CLI.
    expect(scripts.synth).toBe('sh synth/bin/synth');
    for (const c of COMMANDS) expect(scripts[SCRIPT_OF[c] ?? c]).toBe(`sh synth/bin/synth ${c}`);
    expect(help.out).not.toMatch(/\bsynth <command>|argocd-pin/);
  });

  it('should print the help of render as npm run synth, with the script users type', async () => {
    const r = await runCli(['render', '--help'], { cwd: ROOT });
    expect(r.out.split('\n')[0]).toMatch(/^usage: npm run synth -- /);
  });

  it.each([...COMMANDS, 'render'])('help %s: the same text as its --help, exit 0', async (name) => {
    const r = await runCli(['help', name], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.out).toBe((await runCli([name, '--help'], { cwd: ROOT })).out);
  });

  it('should take the npm script name after help too (help argocd:pin, help synth)', async () => {
    expect((await runCli(['help', 'argocd:pin'], { cwd: ROOT })).out).toBe(
      (await runCli(['argocd-pin', '--help'], { cwd: ROOT })).out,
    );
    expect((await runCli(['help', 'synth'], { cwd: ROOT })).out).toBe(
      (await runCli(['render', '--help'], { cwd: ROOT })).out,
    );
  });

  it('should refuse an unknown name after help as a usage error with did you mean', async () => {
    const r = await runCli(['help', 'bmp'], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      'synth help: command "bmp": unknown command; did you mean "bump"? (commands: render, bump, promote, pin, unpin, rollback, history, diff, env, status, verify, doctor, argocd-pin)',
    );
    const extra = await runCli(['help', 'bump', 'promote'], { cwd: ROOT });
    expect(extra.code).toBe(2);
    expect(extra.err).toBe(
      'synth help: unexpected argument "promote"; usage: npm run synth -- help [<command>]',
    );
  });

  it.each(COMMANDS)('%s: usage, exit codes and examples, exit 0', async (name) => {
    const r = await runCli([name, '--help'], { cwd: ROOT });
    expect(r.code).toBe(0);
    expectHelp(name, r.out);
  });

  it.each(COMMANDS)(
    '%s: every declared option is in the help and parses (no "unknown option")',
    async (name) => {
      const r = await runCli([name, '--help'], { cwd: ROOT });
      const flags = [...r.out.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1] as string);
      expect(flags.length).toBeGreaterThan(1);
      for (const flag of flags) {
        const bad = await runCli([name, `${flag}x`, '--help'], { cwd: ROOT });
        expect(bad.code, `${name} ${flag}x`).toBe(2);
        expect(bad.err).toContain(`did you mean ${flag}?`);
      }
    },
  );
});
