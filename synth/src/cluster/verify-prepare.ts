// What the verify command loads before it talks to the cluster: the environment's target from its file and
// dist/, and the clone (which fetches a missing revision once). The checks themselves are `prepareTarget`
// (verify-target.ts), shared with promote's gate, which builds its target from the plan's environment instead.
import { relative, resolve } from 'node:path';
import { usageError } from '../errors';
import { GitRepo } from './git-live';
import { loadTargets } from './targets';
import { prepareTarget, type VerifyTarget } from './verify-target';

/** Where the environment files and dist/ are (relative to `cwd`). */
export interface PrepareOptions {
  readonly cwd: string;
  /** @default environments */
  readonly environments?: string;
  /** @default dist */
  readonly dist?: string;
}

/**
 * The target verify waits for and the clone it asks about ancestry, or a one-line refusal (exit 1). Throws a
 * usage error for an unknown environment, the loader's errors for a broken environment file, and a
 * `GitSetupError` when the clone cannot answer.
 */
export function prepareVerify(
  env: string,
  o: PrepareOptions,
): { target: VerifyTarget; repo: GitRepo } | { refused: string } {
  const distDir = resolve(o.cwd, o.dist ?? 'dist');
  const [t] = loadTargets({
    environmentsDir: resolve(o.cwd, o.environments ?? 'environments'),
    distDir,
    only: [env],
    show: (p) => relative(o.cwd, p) || '.',
  });
  if (!t) throw usageError(`unknown environment "${env}"`);
  if (t.distProblem) return { refused: t.distProblem };
  const repo = GitRepo.open(distDir);
  const prepared = prepareTarget(t, repo, distDir);
  return 'refused' in prepared ? prepared : { target: prepared.target, repo };
}
