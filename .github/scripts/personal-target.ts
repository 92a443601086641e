// Which personal environment a `<name>-feature-*` branch deploys to (used by .github/workflows/personal.yml).
// Usage: tsx .github/scripts/personal-target.ts <branch> [environments dir]
// Prints `environment=<name>` and `tag-prefix=<name>-feature-` for $GITHUB_OUTPUT, or `environment=` with the
// reason on stderr when the branch deploys nothing. Exit 1 when the environment files are invalid, 2 on usage.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadEnvironments } from '../../synth/src/config';

/** The part of an environment this decision needs. */
export interface EnvironmentLink {
  readonly name: string;
  readonly promotion?: { readonly from: string };
}

/** Where a branch deploys: an environment and the tag prefix, or a reason it deploys nothing. */
export type PersonalTarget =
  | { readonly environment: string; readonly tagPrefix: string }
  | { readonly environment: ''; readonly reason: string };

const CONVENTION = /^([a-z0-9](?:[a-z0-9-]*?[a-z0-9])?)-feature-./;

/** Decides the target of `branch` among `environments` (pure: no I/O). */
export function personalTarget(branch: string, environments: readonly EnvironmentLink[]): PersonalTarget {
  const match = CONVENTION.exec(branch);
  const name = match?.[1];
  if (name === undefined) {
    return { environment: '', reason: `branch "${branch}" does not match <name>-feature-<topic>` };
  }
  const env = environments.find((e) => e.name === name);
  if (env === undefined) {
    return {
      environment: '',
      reason: `branch "${branch}": environments/${name}.yaml does not exist on main`,
    };
  }
  const feeds = environments.find((e) => e.promotion?.from === name);
  if (env.promotion !== undefined || feeds !== undefined) {
    const link = env.promotion ? `is promoted from "${env.promotion.from}"` : `feeds "${feeds?.name}"`;
    return {
      environment: '',
      reason: `branch "${branch}": environment "${name}" ${link}; only personal environments (outside a promotion chain) take feature builds`,
    };
  }
  return { environment: name, tagPrefix: `${name}-feature-` };
}

function cli(argv: readonly string[]): number {
  const [branch, dir = 'environments', ...rest] = argv;
  if (branch === undefined || rest.length > 0) {
    process.stderr.write('usage: personal-target <branch> [environments dir]\n');
    return 2;
  }
  let environments: EnvironmentLink[];
  try {
    environments = loadEnvironments(dir);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.errors.join('\n')}\npersonal-target: environment files are invalid\n`);
    return 1;
  }
  const target = personalTarget(branch, environments);
  if ('reason' in target) {
    process.stderr.write(`::notice::nothing to deploy: ${target.reason}\n`);
    process.stdout.write('environment=\n');
  } else {
    process.stdout.write(`environment=${target.environment}\ntag-prefix=${target.tagPrefix}\n`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = cli(process.argv.slice(2));
}
