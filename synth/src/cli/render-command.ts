import { relative, resolve } from 'node:path';
import { formatChanges } from '../render/diff';
import { describeRemoval } from '../render/plan';
import { synthesize } from '../render/synthesize';
import { type Command, EXIT, parseOptions } from './command';

const USAGE = `usage: synth [render] [--check] [--env <name>]... [--allow-remove <name>]... [--out <dir>] [--environments <dir>]
  --check                write nothing; exit 1 and show what differs when dist/ or schema.json is out of date
  --env <name>           render only this environment (repeatable); dist/argocd is always rendered with it
  --allow-remove <name>  allow removing this protected environment whose file is gone (repeatable)
  --out <dir>            output folder (default: dist)
  --environments <dir>   environment files (default: environments)
exit codes: 0 ok, 1 failed check or gate, or refused (nothing written), 2 usage error`;

const OPTIONS = {
  check: { type: 'boolean' },
  env: { type: 'string', multiple: true },
  'allow-remove': { type: 'string', multiple: true },
  out: { type: 'string' },
  environments: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `synth [render]`: environments/ → dist/ through every gate (the default command). */
export const renderCommand: Command = {
  name: 'render',
  summary: 'render environments/ into dist/ through the schema and policy gates (the default command)',
  usage: USAGE,
  run(args, { io, env, cwd, writeHooks }) {
    const values = parseOptions('render', OPTIONS, args);
    if (values.help) {
      io.out(USAGE);
      return EXIT.ok;
    }
    const started = performance.now();
    const show = (p: string) => relative(cwd, p) || '.';
    const only = values.env;
    const report = synthesize({
      environmentsDir: resolve(cwd, values.environments ?? 'environments'),
      outDir: resolve(cwd, values.out ?? 'dist'),
      ...(only !== undefined && { only }),
      check: values.check === true,
      allowRemove: values['allow-remove'] ?? [],
      ...(writeHooks !== undefined && { hooks: writeHooks }),
      ...(env.SYNTH_TIMINGS === '1' && { onTimings: io.err }),
      show,
    });
    for (const line of report.waived) io.err(`synth: ${line}`);
    const ms = Math.round(performance.now() - started);
    const out = report.outShown;
    if (values.check) {
      if (report.changes.length === 0) {
        io.out(`synth --check: ${out} is up to date (${report.folders.length} folders, ${ms} ms)`);
        return EXIT.ok;
      }
      io.err(
        `synth --check: ${report.changes.length} file(s) out of date; run \`npm run synth\` and commit the result`,
      );
      io.err(formatChanges(report.changes, `${out}/`));
      for (const r of report.removals.filter((x) => x.protected)) {
        io.err(`synth --check: "${r.name}" is protected; removing it needs --allow-remove ${r.name}`);
      }
      return EXIT.failed;
    }
    for (const r of report.removals) {
      io.out(`synth: removed environment "${r.name}": ${describeRemoval(r)} (its environment file is gone)`);
    }
    const summary = report.changes.length === 0 ? 'no changes' : `${report.changes.length} file(s) changed`;
    io.out(`synth: rendered ${describeFolders(report.folders)} into ${out}: ${summary} (${ms} ms)`);
    return EXIT.ok;
  },
};

function describeFolders(folders: readonly string[]): string {
  return folders.length <= 8 ? folders.join(', ') : `${folders.length} folders`;
}
