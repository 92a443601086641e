// `synth doctor [<env>...]`: reads the repository (environments through the config loader, argocd/repo.yaml,
// .github/workflows), renders the named environments in memory, and prints what `diagnose` finds. Thin and
// self-contained: the decision is `diagnose`, the wording `doctor-format`.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { environmentChart, type K8sObject } from '../charts';
import { type CliContext, type Command, EXIT } from '../cli/command';
import { keyLine, loadEnvironments, nearest, REPO_SETTINGS_FILE, repoSettingsFor } from '../config';
import { UsageError } from '../errors';
import { diagnose } from './diagnose';
import { formatReport, reportJson } from './doctor-format';
import type { WorkflowFile } from './workflow-findings';

const USAGE = `usage: npm run doctor -- [<env>...] [--json] [--environments <dir>]
  <env>                 only these environments (default: every environments/*.yaml)
  --json                one JSON document on stdout (findings with file, line, key, value, rule, fix; for CI)
  --environments <dir>  environment files (default: environments; the repository is its parent folder)
Lists every sample or placeholder value a first real deploy would fail on (exit 1 while there is one), then
what to check on the clusters, in AWS and on GitHub, each with the kubectl / aws / gh command that checks it.
exit codes: 0 nothing in the repository breaks a first deploy, 1 something does (or a file is invalid), 2 usage error`;

const OPTIONS = {
  json: { type: 'boolean' },
  environments: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `doctor` as an entry of the synth CLI's command table. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'is the repository ready for a first real deploy? sample values, add-ons and prerequisites',
  usage: USAGE,
  run: runDoctor,
};

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const known = Object.keys(OPTIONS).map((o) => `--${o}`);
    const hint = unknown === undefined ? undefined : nearest(unknown, known);
    throw new UsageError([
      unknown === undefined
        ? `synth doctor: ${message.replace(/\.$/, '')}`
        : `synth doctor: unknown option ${unknown}${hint ? `; did you mean ${hint}?` : ''} (options: ${known.join(', ')})`,
    ]);
  }
}

/** Runs `synth doctor`; returns 0 (ready), 1 (something breaks a first deploy) or throws a UserError. */
export function runDoctor(args: readonly string[], { io, cwd }: CliContext): number {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const environmentsDir = resolve(cwd, values.environments ?? 'environments');
  const root = dirname(environmentsDir);
  const all = loadEnvironments(environmentsDir);
  const names = all.map((e) => e.name);
  for (const name of positionals) {
    if (names.includes(name)) continue;
    const hint = nearest(name, names);
    throw new UsageError([
      `synth doctor: "${name}" is not an environment${hint ? `; did you mean "${hint}"?` : ''} (environments: ${names.join(', ')})`,
    ]);
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
    lineOf: (file, path) => {
      const text = textOf(file);
      return text === undefined ? undefined : keyLine(text, path);
    },
  });
  io.out(values.json ? reportJson(report) : formatReport(report));
  return report.breaks > 0 ? EXIT.failed : EXIT.ok;
}

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
