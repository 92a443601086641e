// Runs `status` for each environment: reads the cluster, decides the verdict and builds the row (also the
// `--json` shape).
import { formatImage } from '../domain/image-ref';
import { ClusterAccessError, type ClusterReader } from './kube-client';
import { type Application, type Deployment, type Pod, syncedRevision } from './objects';
import { liveContainers, summarizeLive } from './pod-images';
import { type RolloutProgress, rolloutProgress } from './rollout-status';
import { decideStatus, type Verdict } from './status-verdict';
import type { EnvironmentTarget } from './targets';

/** One environment's row of `status` (also its `--json` shape). */
export interface StatusRow {
  readonly environment: string;
  readonly verdict: Verdict;
  readonly reason?: string;
  readonly image: {
    /** `environments/<env>.yaml` */
    readonly file: string;
    /** `dist/<env>` (absent when dist has no Deployment) */
    readonly dist?: string;
    /** Distinct images of the serving pods with their counts, digests from `imageID`. */
    readonly live: readonly string[];
  };
  readonly argocd?: {
    readonly application: string;
    readonly sync?: string;
    readonly revision?: string;
    readonly health?: string;
    readonly operation?: string;
  };
  readonly rollout?: RolloutProgress;
}

interface Live {
  app?: Application;
  deployment?: Deployment;
  deploymentMissing?: string;
  pods?: Pod[];
  error?: string;
}

async function readLive(target: EnvironmentTarget, reader: ClusterReader): Promise<Live> {
  const app = target.application;
  const dep = target.deployment;
  if (!app || !dep) return {};
  // The three reads go out together: the pod selector comes from dist/, not from the live Deployment.
  const [a, d, p] = await Promise.allSettled([
    reader.getApplication(app.namespace, app.name),
    reader.getDeployment(dep.namespace, dep.name),
    reader.listPods(dep.namespace, dep.labelSelector),
  ]);
  const failure = [a, d, p].find((r) => r.status === 'rejected');
  if (failure) {
    const reason = (failure as PromiseRejectedResult).reason;
    if (reason instanceof ClusterAccessError) return { error: reason.message };
    throw reason;
  }
  const deployment = (d as PromiseFulfilledResult<Deployment | undefined>).value;
  return {
    app: (a as PromiseFulfilledResult<Application>).value,
    ...(deployment
      ? { deployment }
      : { deploymentMissing: `Deployment ${dep.name} not found in namespace ${dep.namespace}` }),
    pods: (p as PromiseFulfilledResult<Pod[]>).value,
  };
}

/** Reads one environment from the cluster and decides its verdict. */
export async function environmentStatus(
  target: EnvironmentTarget,
  reader: ClusterReader,
): Promise<StatusRow> {
  const live = await readLive(target, reader);
  const dist = target.distImage;
  const base = {
    environment: target.env.name,
    image: {
      file: formatImage(target.env.image),
      ...(dist ? { dist: formatImage(dist) } : {}),
      live:
        live.pods && live.deployment && target.deployment
          ? summarizeLive(
              liveContainers(live.pods, live.deployment.metadata?.name ?? '', target.deployment.container),
            )
          : [],
    },
    ...(target.application
      ? {
          argocd: {
            application: `${target.application.namespace}/${target.application.name}`,
            ...(live.app
              ? {
                  sync: live.app.status?.sync?.status ?? 'Unknown',
                  ...(syncedRevision(live.app) ? { revision: syncedRevision(live.app) } : {}),
                  health: live.app.status?.health?.status ?? 'Unknown',
                  ...(live.app.status?.operationState?.phase
                    ? { operation: live.app.operation ? 'Requested' : live.app.status.operationState.phase }
                    : live.app.operation
                      ? { operation: 'Requested' }
                      : {}),
                }
              : {}),
          },
        }
      : {}),
    ...(live.deployment ? { rollout: rolloutProgress(live.deployment) } : {}),
  };
  if (target.distProblem && !dist) return { ...base, verdict: 'dist stale', reason: target.distProblem };
  const decided = decideStatus({
    fileImage: target.env.image,
    ...(dist ? { distImage: dist } : {}),
    distPath: target.distPath,
    filePath: target.env.file,
    container: target.deployment?.container ?? '',
    ...(live.error !== undefined ? { error: live.error } : {}),
    ...(live.app ? { app: live.app } : {}),
    ...(live.deployment ? { deployment: live.deployment } : {}),
    ...(live.deploymentMissing ? { deploymentMissing: live.deploymentMissing } : {}),
    ...(live.pods ? { pods: live.pods } : {}),
  });
  if (decided.verdict !== 'dist stale' && target.distProblem) {
    return { ...base, verdict: 'dist stale', reason: target.distProblem };
  }
  return { ...base, ...decided };
}

/** Every environment at once (concurrently, not one after the other). */
export function collectStatus(
  targets: readonly EnvironmentTarget[],
  reader: ClusterReader,
): Promise<StatusRow[]> {
  return Promise.all(targets.map((t) => environmentStatus(t, reader)));
}
