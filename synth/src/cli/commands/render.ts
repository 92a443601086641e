/** `synth [render]` (`npm run synth`): environments/ → dist/ through every gate (the default command). */
import { relative, resolve } from 'node:path';
import { formatChanges } from '../../render/diff';
import { describeRemoval } from '../../render/plan';
import { synthesize } from '../../render/synthesize';
import { defineCommand, HELP_OPTION } from '../command';

export const renderCommand = defineCommand({
  name: 'render',
  summary: 'render environments/ into dist/ through the schema and policy gates (the default command)',
  script: 'synth',
  synopsis: '[--check] [--env <name>]... [--allow-remove <name>]... [--out <dir>] [--environments <dir>]',
  description: `Loads every environment file, renders each through cdk8s, validates every object against its schema,
runs the policy gate, and only then writes dist/ atomically (also npm run synth).`,
  positionals: [],
  options: {
    check: {
      type: 'boolean',
      help: 'write nothing; exit 1 and show what differs when dist/ or schema.json is out of date',
    },
    env: {
      type: 'string',
      multiple: true,
      value: '<name>',
      help: 'render only this environment (repeatable); dist/argocd is always rendered with it',
    },
    'allow-remove': {
      type: 'string',
      multiple: true,
      value: '<name>',
      help: 'allow removing this protected environment whose file is gone (repeatable)',
    },
    out: { type: 'string', value: '<dir>', help: 'output folder (default: dist)' },
    environments: { type: 'string', value: '<dir>', help: 'environment files (default: environments)' },
    help: HELP_OPTION,
  },
  exitCodes: '0 ok, 1 failed check or gate, or refused (nothing written), 2 usage error',
  examples: ['npm run synth', 'npm run synth -- --check', 'npm run synth -- --env alice'],
  run({ values }, { io, env, cwd }) {
    const started = performance.now();
    const show = (p: string) => relative(cwd, p) || '.';
    const only = values.env;
    const report = synthesize({
      environmentsDir: resolve(cwd, values.environments ?? 'environments'),
      outDir: resolve(cwd, values.out ?? 'dist'),
      ...(only !== undefined && { only }),
      check: values.check === true,
      allowRemove: values['allow-remove'] ?? [],
      ...(env.SYNTH_TIMINGS === '1' && { onTimings: io.err }),
      show,
    });
    for (const line of report.waived) io.err(`synth: ${line}`);
    const ms = Math.round(performance.now() - started);
    const out = report.outShown;
    if (values.check) {
      if (report.changes.length === 0) {
        io.out(`synth --check: ${out} is up to date (${report.folders.length} folders, ${ms} ms)`);
        return 0;
      }
      io.err(
        `synth --check: ${report.changes.length} file(s) out of date; run \`npm run synth\` and commit the result`,
      );
      io.err(formatChanges(report.changes, `${out}/`));
      for (const r of report.removals.filter((x) => x.protected)) {
        io.err(`synth --check: "${r.name}" is protected; removing it needs --allow-remove ${r.name}`);
      }
      return 1;
    }
    for (const r of report.removals) {
      io.out(`synth: removed environment "${r.name}": ${describeRemoval(r)} (its environment file is gone)`);
    }
    const summary = report.changes.length === 0 ? 'no changes' : `${report.changes.length} file(s) changed`;
    io.out(`synth: rendered ${describeFolders(report.folders)} into ${out}: ${summary} (${ms} ms)`);
    return 0;
  },
});

function describeFolders(folders: readonly string[]): string {
  return folders.length <= 8 ? folders.join(', ') : `${folders.length} folders`;
}
