import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../cli';
import type { WriteHooks } from '../render/write';

/** What one in-process CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** stdout and stderr interleaved, as a terminal shows them. */
  readonly output: string;
}

/** Runs the synth CLI in-process with its own streams (and optional write hooks); never touches the process. */
export async function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; writeHooks?: WriteHooks } = {},
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const all: string[] = [];
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
    cwd: options.cwd ?? process.cwd(),
    ...(options.writeHooks && { writeHooks: options.writeHooks }),
  });
  return { code, out: out.join('\n'), err: err.join('\n'), output: all.join('\n') };
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
