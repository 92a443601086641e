// Verify as a function, for the verify command and promote's gate alike: what an environment's verification
// expects (from the target and the clone the caller loaded), and the decision over one read of the cluster.
import { join, relative } from 'node:path';
import { formatImage, type ImageRef, sameImage } from '../domain/image-ref';
import type { GitRepo, LiveCheck } from './git-live';
import { GitSetupError } from './git-live';
import type { Application, Deployment, Pod } from './objects';
import type { MetricsVerification } from './prometheus-query';
import type { EnvironmentTarget } from './targets';
import { decideVerify, type VerifyDecision } from './verify-decision';

/** Where verify reads and what it expects. */
export interface VerifyTarget {
  readonly environment: string;
  readonly application: { readonly namespace: string; readonly name: string };
  readonly deployment: {
    readonly namespace: string;
    readonly name: string;
    readonly labelSelector: string;
    readonly container: string;
  };
  /** The image dist/<env> deploys. */
  readonly expected: ImageRef;
  /** R: the commit that set what dist/<env> holds. */
  readonly commit: string;
  /** The git path Argo CD deploys (the Application's source path). */
  readonly sourcePath: string;
  readonly verification?: MetricsVerification;
}

/** One read of the cluster: the Application, the Deployment (absent when not found) and its pods. */
export interface ClusterRead {
  readonly app: Application;
  readonly deployment?: Deployment;
  readonly pods: Pod[];
}

/** What the clone says about the revisions of a read (the synced one, a failed operation's). */
export interface RepoSnapshot {
  readonly liveChecks: ReadonlyMap<string, LiveCheck>;
}

/**
 * Whether `env` is verified live in `cluster`, given git's answers in `snapshot`: a pure decision (Argo CD's
 * status, git ancestry, health, the rollout and every serving pod's image; see `decideVerify`). The metrics
 * soak runs over time, around this decision (`runVerify`).
 */
export function verifyTarget(
  env: VerifyTarget,
  snapshot: RepoSnapshot,
  cluster: ClusterRead,
): VerifyDecision {
  const missing = `Deployment ${env.deployment.name} not found in namespace ${env.deployment.namespace}`;
  return decideVerify({
    app: cluster.app,
    ...(cluster.deployment ? { deployment: cluster.deployment } : { deploymentMissing: missing }),
    pods: cluster.pods,
    expected: env.expected,
    container: env.deployment.container,
    liveChecks: snapshot.liveChecks,
  });
}

/**
 * What verify checks before it talks to the cluster, over what the caller loaded (the environment's target
 * from its view and dist/, and the clone): dist/ complete, not stale against the file, the Application's
 * source path, and committed. A one-line refusal (exit 1) otherwise; a {@link GitSetupError} (exit 2) when the
 * dist folder is not what Argo CD deploys or no commit wrote it.
 */
export function prepareTarget(
  t: EnvironmentTarget,
  repo: GitRepo,
  distDir: string,
): { target: VerifyTarget } | { refused: string } {
  if (t.distProblem || !t.distImage || !t.application || !t.deployment) {
    return { refused: t.distProblem ?? `${t.distPath} is incomplete; run npm run synth` };
  }
  if (!sameImage(t.env.image, t.distImage)) {
    return {
      refused: `${t.distPath} is stale: ${t.env.file} has ${formatImage(t.env.image)} but ${t.distPath} has ${formatImage(t.distImage)}; run npm run synth, commit and push`,
    };
  }
  const local = relative(repo.root, join(distDir, t.env.name));
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
    target: {
      environment: t.env.name,
      application: { namespace: t.application.namespace, name: t.application.name },
      deployment: t.deployment,
      expected: t.distImage,
      commit: repo.lastChange(local),
      sourcePath: local,
      ...(t.env.verification ? { verification: t.env.verification } : {}),
    },
  };
}
