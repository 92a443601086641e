// What verify checks before it talks to the cluster: the environment's file and dist/ agree, dist/ is
// committed, and Argo CD deploys the folder this clone has. Used by `synth verify` and promote's gate.
import { join, relative, resolve } from 'node:path';
import { usageError } from '../errors';
import { GitRepo, GitSetupError } from './git-live';
import { formatImage, sameImage } from './image-ref';
import { loadTargets } from './targets';
import type { VerifyTarget } from './verify-run';

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
  const show = (p: string) => relative(o.cwd, p) || '.';
  const distDir = resolve(o.cwd, o.dist ?? 'dist');
  const [t] = loadTargets({
    environmentsDir: resolve(o.cwd, o.environments ?? 'environments'),
    distDir,
    only: [env],
    show,
  });
  if (!t) throw usageError(`unknown environment "${env}"`);
  if (t.distProblem || !t.distImage || !t.application || !t.deployment) {
    return { refused: t.distProblem ?? `${t.distPath} is incomplete; run npm run synth` };
  }
  if (!sameImage(t.fileImage, t.distImage)) {
    return {
      refused: `${t.distPath} is stale: ${t.filePath} has ${formatImage(t.fileImage)} but ${t.distPath} has ${formatImage(t.distImage)}; run npm run synth, commit and push`,
    };
  }
  const repo = GitRepo.open(distDir);
  const local = relative(repo.root, join(distDir, env));
  if (local !== t.application.sourcePath) {
    throw new GitSetupError(
      `${t.distPath} is ${local} in ${repo.root}, but Argo CD Application ${t.application.name} deploys ${t.application.sourcePath}`,
    );
  }
  const dirty = repo.uncommitted(local);
  if (dirty.length > 0) {
    return {
      refused: `${t.distPath} has uncommitted changes (${dirty.map((l) => l.trim()).join(', ')}); commit and push them before verifying`,
    };
  }
  return {
    repo,
    target: {
      environment: env,
      application: { namespace: t.application.namespace, name: t.application.name },
      deployment: t.deployment,
      expected: t.distImage,
      commit: repo.lastChange(local),
      sourcePath: local,
      ...(t.verification ? { verification: t.verification } : {}),
    },
  };
}
