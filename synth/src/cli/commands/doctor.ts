/**
 * `doctor [<env>...]`: reads the repository (environments through the config loader, argocd/repo.yaml,
 * .github/workflows), renders the named environments in memory, and prints what `diagnose` finds. Thin: the
 * decision is `doctor/diagnose`, the wording `doctor/doctor-format`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { environmentChart, type K8sObject } from '../../charts';
import { keyLine, loadEnvironments, REPO_SETTINGS_FILE, repoSettingsFor, unknownName } from '../../config';
import { ARGOCD_INSTALL_FILE } from '../../config/argocd-install';
import { diagnose } from '../../doctor/diagnose';
import { formatReport, reportJson } from '../../doctor/doctor-format';
import type { WorkflowFile } from '../../doctor/workflow-findings';
import { usageError } from '../../errors';
import { defineCommand, HELP_OPTION } from '../command';

export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'is the repository ready for a first real deploy? sample values, add-ons and prerequisites',
  synopsis: '[<env>...] [--json] [--environments <dir>]',
  description: `Lists every sample or placeholder value a first real deploy would fail on (exit 1 while there is one), then
warnings that do not fail it (Argo CD's install pinned by tag, with the npm run argocd:pin to run), then what
to check on the clusters, in AWS and on GitHub, each with the kubectl / aws / gh command that checks it.
No <env>: every environments/*.yaml.`,
  positionals: [
    { name: 'env', variadic: true, help: 'only these environments (any number; default: every environment)' },
  ],
  options: {
    json: {
      type: 'boolean',
      help: 'one JSON document on stdout (findings with file, line, key, value, rule, fix; for CI)',
    },
    environments: {
      type: 'string',
      value: '<dir>',
      help: 'environment files (default: environments; the repository is its parent folder)',
    },
    help: HELP_OPTION,
  },
  exitCodes:
    '0 nothing in the repository breaks a first deploy, 1 something does (or a file is invalid), 2 usage error',
  examples: ['npm run doctor', 'npm run doctor -- prod', 'npm run doctor -- --json'],
  wantsJson: (v) => v.json === true,
  run({ values, positionals }, { io, cwd }) {
    const environmentsDir = resolve(cwd, values.environments ?? 'environments');
    const root = dirname(environmentsDir);
    const all = loadEnvironments(environmentsDir);
    const names = all.map((e) => e.name);
    for (const name of positionals) {
      if (names.includes(name)) continue;
      throw usageError(
        unknownName({
          what: 'environment',
          value: name,
          rule: 'no such environment',
          known: names,
          list: 'environments',
        }),
      );
    }
    const chosen = positionals.length === 0 ? all : all.filter((e) => positionals.includes(e.name));
    const texts = new Map<string, string | undefined>();
    const textOf = (file: string) => {
      if (!texts.has(file)) texts.set(file, readOptional(join(root, file)));
      return texts.get(file);
    };
    const report = diagnose({
      environments: chosen.map((config) => ({
        config,
        objects: environmentChart(config).toJson() as K8sObject[],
      })),
      repo: { file: REPO_SETTINGS_FILE, repoURL: repoSettingsFor(environmentsDir).repoURL },
      workflows: readWorkflows(root),
      argocdInstall: { file: ARGOCD_INSTALL_FILE, text: textOf(ARGOCD_INSTALL_FILE) },
      lineOf: (file, path) => {
        const text = textOf(file);
        return text === undefined ? undefined : keyLine(text, path);
      },
    });
    io.out(values.json === true ? reportJson(report) : formatReport(report));
    return report.breaks > 0 ? 1 : 0;
  },
});

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `.github/workflows/*.yml` of the repository (none when the folder is absent, e.g. in a bare copy). */
function readWorkflows(root: string): WorkflowFile[] {
  const dir = join(root, '.github', 'workflows');
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  } catch {
    return [];
  }
  return entries.sort().flatMap((f) => {
    const text = readOptional(join(dir, f));
    return text === undefined ? [] : [{ file: `.github/workflows/${f}`, text }];
  });
}
