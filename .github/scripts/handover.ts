// What bump.yml may deploy after a build run finished: the only bridge from a build (release.yml on main, or
// personal.yml on a branch anyone with push access controls) to the job that holds the delivery App's key.
// Everything from the build run is attacker data: the run's event fields are checked against what the two
// build workflows look like on the default branch, the digest from its artifact must be exactly
// sha256:<64 hex>, the tag is recomputed here from the run's commit (never read from the run), and the
// environment is derived only from the branch name (dev for main; personal-target's rule for a feature branch).
// Usage: tsx .github/scripts/handover.ts <digest file> [environments dir]; the run's fields come from env:
// RUN_PATH, RUN_EVENT, RUN_CONCLUSION, RUN_HEAD_BRANCH, RUN_HEAD_SHA, RUN_HEAD_REPOSITORY, REPOSITORY.
// Prints environment=, tag=, digest=, source-ref=, kind= for $GITHUB_OUTPUT; `environment=` (empty) with a notice
// for a feature branch without a personal environment (its build was skipped); exit 1 with the reason on refusal.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadEnvironments } from '../../synth/src/config';
import { type EnvironmentLink, personalTarget } from './personal-target';

/** The fields of `github.event.workflow_run` this decision reads, and this repository's name. */
export interface BuildRun {
  readonly path: string;
  readonly event: string;
  readonly conclusion: string;
  readonly headBranch: string;
  readonly headSha: string;
  readonly headRepository: string;
  readonly repository: string;
}

/** What the bump job may do: which environment, which image (tag from the commit, digest validated). */
export type Handover =
  | {
      readonly kind: 'release' | 'personal';
      readonly environment: string;
      readonly tag: string;
      readonly digest: string;
      readonly sourceRef: string;
    }
  | { readonly refused: string }
  // A feature branch with no personal environment: a normal run that deploys nothing (not an error).
  | { readonly nothing: string };

export const RELEASE_WORKFLOW = '.github/workflows/release.yml';
export const PERSONAL_WORKFLOW = '.github/workflows/personal.yml';
export const DIGEST = /^sha256:[0-9a-f]{64}$/;
const SHA = /^[0-9a-f]{40}$/;
// A git branch name this pipeline accepts at all: no "..", no leading "-", nothing a shell or git would read
// as an option or a range (it still reaches the shell only as a quoted variable).
const BRANCH = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/;

/**
 * The workflow file of a run's `path`. Webhook payloads give `.github/workflows/x.yml`; GitHub's REST API
 * documents the form `<owner>/<repo>/.github/workflows/x.yml@<ref>` as well, accepted only for this repository.
 */
export function workflowFile(path: string, repository: string): string {
  const full = /^([^@]+)@[^@]+$/.exec(path);
  if (full && (full[1] as string).startsWith(`${repository}/`))
    return (full[1] as string).slice(repository.length + 1);
  return path;
}

/** Decides the handover of one finished build run (pure: no I/O). `digestText` is the artifact's content. */
export function handover(
  run: BuildRun,
  digestText: string,
  environments: readonly EnvironmentLink[],
  defaultBranch = 'main',
): Handover {
  const refuse = (why: string): Handover => ({ refused: why });
  if (run.conclusion !== 'success') return refuse(`the build run concluded "${run.conclusion}", not success`);
  // A push, or for release.yml also a manual run (of main's file, on main: checked below).
  const manual = run.event === 'workflow_dispatch' && run.path === RELEASE_WORKFLOW;
  if (run.event !== 'push' && !manual) {
    return refuse(`the build run was started by "${run.event}", not a push`);
  }
  if (run.headRepository !== run.repository) {
    return refuse(`the build run's commit is from "${run.headRepository}", not ${run.repository}`);
  }
  if (!SHA.test(run.headSha)) return refuse(`head sha "${run.headSha}" is not 40 hex`);
  if (!BRANCH.test(run.headBranch))
    return refuse(`branch "${run.headBranch}" is not a branch name we accept`);
  const digest = digestText.trim();
  const checkDigest = () =>
    DIGEST.test(digest)
      ? undefined
      : refuse(`the artifact's digest ${JSON.stringify(digest.slice(0, 80))} is not sha256:<64 hex>`);
  const sha7 = run.headSha.slice(0, 7);
  const path = workflowFile(run.path, run.repository);
  if (path === RELEASE_WORKFLOW) {
    if (run.headBranch !== defaultBranch) {
      return refuse(`${RELEASE_WORKFLOW} ran on "${run.headBranch}"; only ${defaultBranch} is released`);
    }
    return (
      checkDigest() ?? {
        kind: 'release',
        environment: 'dev',
        tag: `sha-${sha7}`,
        digest,
        sourceRef: defaultBranch,
      }
    );
  }
  if (path === PERSONAL_WORKFLOW) {
    if (run.headBranch === defaultBranch) return refuse(`${PERSONAL_WORKFLOW} ran on ${defaultBranch}`);
    const target = personalTarget(run.headBranch, environments);
    if ('reason' in target) return { nothing: target.reason };
    return (
      checkDigest() ?? {
        kind: 'personal',
        environment: target.environment,
        tag: `${target.tagPrefix}${sha7}`,
        digest,
        sourceRef: run.headBranch,
      }
    );
  }
  return refuse(`workflow file "${run.path}" is neither ${RELEASE_WORKFLOW} nor ${PERSONAL_WORKFLOW}`);
}

function cli(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const [digestFile, dir = 'environments', ...rest] = argv;
  if (digestFile === undefined || rest.length > 0) {
    process.stderr.write('usage: handover <digest file> [environments dir]\n');
    return 2;
  }
  const run: BuildRun = {
    path: env.RUN_PATH ?? '',
    event: env.RUN_EVENT ?? '',
    conclusion: env.RUN_CONCLUSION ?? '',
    headBranch: env.RUN_HEAD_BRANCH ?? '',
    headSha: env.RUN_HEAD_SHA ?? '',
    headRepository: env.RUN_HEAD_REPOSITORY ?? '',
    repository: env.REPOSITORY ?? '',
  };
  let environments: EnvironmentLink[];
  try {
    environments = loadEnvironments(dir);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.errors.join('\n')}\nhandover: environment files are invalid\n`);
    return 1;
  }
  // At most 200 bytes: a digest is 71; anything longer is refused by the pattern anyway. No file (a personal
  // run that built nothing uploads none) reads as empty, which only a run that deploys nothing survives.
  const digestText = existsSync(digestFile) ? readFileSync(digestFile, 'utf8').slice(0, 200) : '';
  const result = handover(run, digestText, environments, env.DEFAULT_BRANCH || 'main');
  if ('refused' in result) {
    process.stderr.write(`::error::not deploying: ${result.refused}\n`);
    return 1;
  }
  if ('nothing' in result) {
    process.stderr.write(`::notice::nothing to deploy: ${result.nothing}\n`);
    process.stdout.write('environment=\n');
    return 0;
  }
  process.stdout.write(
    `kind=${result.kind}\nenvironment=${result.environment}\ntag=${result.tag}\ndigest=${result.digest}\nsource-ref=${result.sourceRef}\n`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = cli(process.argv.slice(2), process.env);
}
