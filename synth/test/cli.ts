// Test helpers for the synth CLI: run it in-process against a folder with captured streams, and read a tree.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../src/cli';

/** What one in-process CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** stdout and stderr interleaved, as a terminal shows them. */
  readonly output: string;
}

/** Where and how a test runs the CLI. */
export interface CliRunOptions {
  readonly cwd?: string;
  /** The process environment the CLI sees. @default {} */
  readonly env?: Record<string, string>;
  /** Home folder (for ~/.kube/config). @default <cwd>/home, which tests leave without a kubeconfig */
  readonly home?: string;
  /** The clock. @default 2026-03-04T05:06:07Z */
  readonly now?: Date;
}

/** The fixed clock of the tests (a pin's `since`). */
export const TEST_NOW = new Date('2026-03-04T05:06:07Z');

/**
 * Runs the synth CLI in-process through its one entry, with its own streams; never touches the process. The
 * same door as `npm run <command>`: the command table, the argument parser and the error reporter.
 */
export async function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const all: string[] = [];
  const cwd = options.cwd ?? process.cwd();
  const now = options.now ?? TEST_NOW;
  const code = await run(args, {
    io: {
      out: (t) => {
        out.push(t);
        all.push(t);
      },
      err: (t) => {
        err.push(t);
        all.push(t);
      },
    },
    env: options.env ?? {},
    cwd,
    home: options.home ?? join(cwd, 'home'),
    now: () => now,
  });
  return { code, out: out.join('\n'), err: err.join('\n'), output: all.join('\n') };
}

/** Runs one command in the checkout `dir` and returns its exit code and what it printed. */
export async function runIn(
  dir: string,
  argv: readonly string[],
  options: Omit<CliRunOptions, 'cwd'> = {},
): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(argv, { cwd: dir, ...options });
  return { code: r.code, out: r.out, err: r.err };
}

/** Every file under the given folders of `root` (default `dist/`), keyed by `folder/…/name`, with its bytes. */
export function readTree(root: string, folders: readonly string[] = ['dist']): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = readFileSync(p, 'utf8');
    }
  };
  for (const folder of folders) walk(join(root, folder), `${folder}/`);
  return out;
}
