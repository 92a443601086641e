import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStatus } from '../../cluster/status-command';
import { runVerifyCommand } from '../../cluster/verify-command';
import { opsContext } from '../testing/ops-context';
import { OPS_COMMANDS, type OpsCommand, runOps } from './run-ops';

const ROOT = join(__dirname, '..', '..', '..', '..');
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<
  string,
  string
>;

/** What every command's --help must hold: how to run it, its exit codes and runnable examples. */
function expectHelp(name: string, text: string): void {
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
  expect(scripts[name]).toBe(`node synth/bin/synth.mjs ${name}`);
}

describe('--help of every ops, status and verify command', () => {
  it.each(Object.keys(OPS_COMMANDS))('%s: usage, exit codes and examples, exit 0', async (name) => {
    const c = opsContext(ROOT);
    expect(await runOps(name as OpsCommand, ['--help'], c.ctx)).toBe(0);
    expectHelp(name, c.out());
  });

  it.each([
    ['status', runStatus],
    ['verify', runVerifyCommand],
  ] as const)('%s: usage, exit codes and examples, exit 0', async (name, run) => {
    const out: string[] = [];
    const code = await run(['--help'], {
      io: { out: (t) => out.push(t), err: (t) => out.push(t) },
      env: {},
      cwd: ROOT,
    });
    expect(code).toBe(0);
    expectHelp(name, out.join('\n'));
  });
});
