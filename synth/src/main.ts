import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from './config';
import { compareFolder, type FileChange, formatChanges, readFolder, staleFolders } from './render/diff';
import { render } from './render/render';
import { GateError } from './render/types';
import { type WriteHooks, type WriteTarget, writeAtomic } from './render/write';
import { RepoSettingsError } from './settings/repo-settings';

const USAGE = `usage: synth [--check] [--env <name>]... [--out <dir>] [--environments <dir>]
  --check               write nothing; exit 1 with a diff when the output is stale
  --env <name>          render only this environment (repeatable)
  --out <dir>           output folder (default: dist)
  --environments <dir>  environment files (default: environments)`;

/** Streams the CLI prints to (tests pass their own). */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processIo: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};

/** The synth CLI: the only place that writes rendered files. Returns the exit code. */
export function main(argv: readonly string[], io: Io = processIo, hooks: WriteHooks = {}): number {
  const started = performance.now();
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    io.err(`synth: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  const outRoot = resolve(args.out);
  const envDir = resolve(args.environments);
  const show = (p: string) => relative(process.cwd(), p) || '.';
  try {
    const result = render({
      environmentsDir: envDir,
      ...(args.env.length > 0 ? { only: args.env } : {}),
      ...(process.env.SYNTH_TIMINGS === '1' ? { onTimings: io.err } : {}),
    });
    const schemaPath = join(envDir, 'schema.json');
    const changes: FileChange[] = [];
    const targets: WriteTarget[] = [];
    for (const [dir, files] of result.tree) {
      const path = join(outRoot, dir);
      const folderChanges = compareFolder(path, show(path), files);
      changes.push(...folderChanges);
      if (folderChanges.length > 0) targets.push({ path, files });
    }
    if (result.complete) {
      for (const dir of staleFolders(outRoot, result.tree)) {
        const path = join(outRoot, dir);
        for (const name of readFolder(path).keys())
          changes.push({ path: `${show(path)}/${name}`, kind: 'removed' });
        targets.push({ path, remove: true });
      }
    }
    const schemaBefore = existsSync(schemaPath) ? readFileSync(schemaPath, 'utf8') : undefined;
    if (schemaBefore !== result.schemaJson) {
      changes.push({
        path: show(schemaPath),
        kind: schemaBefore === undefined ? 'added' : 'changed',
        before: schemaBefore ?? '',
        after: result.schemaJson,
      });
      targets.push({ path: schemaPath, content: result.schemaJson });
    }
    for (const line of result.waived) io.err(`synth: ${line}`);
    const ms = Math.round(performance.now() - started);
    if (args.check) {
      if (changes.length === 0) {
        io.out(`synth --check: ${show(outRoot)} is up to date (${result.tree.size} folders, ${ms} ms)`);
        return 0;
      }
      io.err(
        `synth --check: ${changes.length} file(s) out of date; run \`npm run synth\` and commit the result\n`,
      );
      io.err(formatChanges(changes));
      return 1;
    }
    writeAtomic(dirname(outRoot), targets, hooks);
    const summary = changes.length === 0 ? 'no changes' : `${changes.length} file(s) changed`;
    io.out(
      `synth: rendered ${describeFolders([...result.tree.keys()])} into ${show(outRoot)}: ${summary} (${ms} ms)`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof GateError || error instanceof RepoSettingsError) {
      io.err(error.errors.join('\n'));
      io.err(`synth: ${error.errors.length} error(s); nothing was written`);
      return 1;
    }
    io.err(`synth: ${(error as Error).stack ?? String(error)}`);
    io.err('synth: failed; nothing was written');
    return 1;
  }
}

function describeFolders(folders: readonly string[]): string {
  return folders.length <= 8 ? folders.join(', ') : `${folders.length} folders`;
}

function parse(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      check: { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
      out: { type: 'string', default: 'dist' },
      environments: { type: 'string', default: 'environments' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return {
    check: values.check === true,
    env: values.env ?? [],
    out: values.out ?? 'dist',
    environments: values.environments ?? 'environments',
    help: values.help === true,
  };
}
