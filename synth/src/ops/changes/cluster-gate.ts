// The promotion gate: verify of the source environment, in-process, over what the promote plan already holds
// (the environment's view) plus the two dist/ folders it deploys from; never re-reading the environment files,
// never fetching (a revision missing from the clone is a reason not to promote, said in one line).
import { join, relative } from 'node:path';
import { GitRepo } from '../../cluster/git-live';
import { createClusterReader } from '../../cluster/kube-client';
import { ClusterConfigError, type KubeConfigOptions, loadKubeConfig } from '../../cluster/kube-config';
import { targetOf } from '../../cluster/targets';
import { runVerify } from '../../cluster/verify-run';
import { prepareTarget } from '../../cluster/verify-target';
import { formatImage } from '../../domain/image-ref';
import { readFolder } from '../../domain/rendered-tree';
import type { GateResult, VerifyGate } from './verify-gate';

/** Where the gate reads the cluster, and how long it may wait. */
export interface ClusterGateOptions
  extends Pick<KubeConfigOptions, 'kubeconfig' | 'context' | 'env' | 'home'> {
  /** The repository root (environments/ and dist/ inside, a clone with history). */
  readonly root: string;
  /** The output folder, relative to the root. @default 'dist' */
  readonly distDir?: string;
  /** How long verify may wait for its conditions (a metrics soak runs within it). @default 60_000 */
  readonly timeoutMs?: number;
  /** Deadline of each API request. @default 10_000 */
  readonly requestTimeoutMs?: number;
  /** Progress lines of the verification. @default ignored */
  readonly onProgress?: (line: string) => void;
}

/**
 * `<env>` passes when its dist/ deploys exactly `image`, and verify finds it live (Argo CD synced and healthy
 * at a revision containing the commit that set it, rollout complete, every ready pod running that digest, the
 * metrics soak held) within the timeout.
 */
export function clusterGate(options: ClusterGateOptions): VerifyGate {
  return async (env, image): Promise<GateResult> => {
    try {
      const distDir = join(options.root, options.distDir ?? 'dist');
      const show = (p: string) => relative(options.root, p) || '.';
      const loaded = targetOf(env, readFolder(join(distDir, env.name)), readFolder(join(distDir, 'argocd')), {
        distDir,
        show,
      });
      if (loaded.distProblem) return { ok: false, reason: loaded.distProblem };
      const repo = GitRepo.open(options.root, { fetchMissing: false });
      const prepared = prepareTarget(loaded, repo, distDir);
      if ('refused' in prepared) return { ok: false, reason: prepared.refused };
      const { target } = prepared;
      const deployed = formatImage(target.expected);
      if (deployed !== formatImage(image)) {
        return {
          ok: false,
          reason: `dist/${env.name} deploys ${deployed}, not ${formatImage(image)}; run npm run synth`,
        };
      }
      const access = loadKubeConfig({
        ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
        ...(options.context !== undefined ? { context: options.context } : {}),
        ...(options.env !== undefined ? { env: options.env } : {}),
        ...(options.home !== undefined ? { home: options.home } : {}),
      });
      const reader = createClusterReader(access, { timeoutMs: options.requestTimeoutMs ?? 10_000 });
      const outcome = await runVerify(target, {
        reader,
        repo,
        timeoutMs: options.timeoutMs ?? 60_000,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }).finally(() => reader.close());
      if (outcome.kind === 'verified') return { ok: true, revision: outcome.revision };
      if (outcome.kind === 'failed') return { ok: false, reason: outcome.reason };
      return {
        ok: false,
        reason: `still waiting after ${Math.round(outcome.elapsedMs / 1000)} s: ${outcome.condition}`,
      };
    } catch (error) {
      // Kubeconfig, context, git history, unreachable API: the gate cannot say yes, and says why in one line.
      return {
        ok: false,
        reason: (error instanceof Error ? error.message : String(error)).split('\n')[0] as string,
        // No kubeconfig or an unknown context: waiting will not help, giving the command access will.
        ...(error instanceof ClusterConfigError ? { noAccess: true } : {}),
      };
    }
  };
}
