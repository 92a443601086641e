// Decides `status`'s one-word verdict for an environment from its file, its dist/ and what the cluster runs.
import { formatImage, type ImageRef, parseImage, sameImage } from '../domain/image-ref';
import { assessApplication } from './argocd-health';
import type { Application, Deployment, Pod } from './objects';
import { firstMismatch, liveContainers } from './pod-images';
import { rolloutStatus } from './rollout-status';

/** The one-word answer of `status` for an environment. */
export type Verdict = 'in sync' | 'dist stale' | 'not yet synced' | 'rolling out' | 'degraded' | 'unknown';

/** Everything the verdict is decided from. */
export interface StatusInput {
  /** The image `environments/<env>.yaml` asks for. */
  readonly fileImage: ImageRef;
  /** The image in `dist/<env>` (undefined: no Deployment rendered there). */
  readonly distImage?: ImageRef;
  /** Where `distImage` was read, for messages. */
  readonly distPath: string;
  /** The environment file, for messages. */
  readonly filePath: string;
  /** The container that runs the service. */
  readonly container: string;
  /** Set when the cluster could not be read; the verdict is then `unknown` with this reason. */
  readonly error?: string;
  readonly app?: Application;
  /** Undefined with `deploymentMissing` when the API answered 404. */
  readonly deployment?: Deployment;
  readonly deploymentMissing?: string;
  readonly pods?: readonly Pod[];
}

/** A verdict and, unless in sync, why. */
export interface VerdictResult {
  readonly verdict: Verdict;
  readonly reason?: string;
}

/** The image of the named container in a Deployment's pod template. */
export function templateImage(deployment: Deployment, container: string): ImageRef | undefined {
  const c = deployment.spec?.template?.spec?.containers?.find((x) => x.name === container);
  return c?.image ? parseImage(c.image) : undefined;
}

/**
 * Three-way comparison of file, dist and cluster: `dist stale` (file ≠ dist) first, since nothing later
 * means anything until dist is re-rendered; then `unknown` (cluster unreadable); `degraded` (Argo CD
 * errors, a failed sync, Degraded health, a missed progress deadline, a wrong digest after a complete
 * rollout); `not yet synced` (the cluster's Deployment is not dist's, or Argo CD reports OutOfSync);
 * `rolling out` (rollout or operation in progress); else `in sync`.
 */
export function decideStatus(input: StatusInput): VerdictResult {
  const { fileImage, distImage } = input;
  if (!distImage) {
    return { verdict: 'dist stale', reason: `${input.distPath} has no Deployment; run npm run synth` };
  }
  if (!sameImage(fileImage, distImage)) {
    return {
      verdict: 'dist stale',
      reason: `${input.filePath} has ${formatImage(fileImage)} but ${input.distPath} has ${formatImage(distImage)}; run npm run synth`,
    };
  }
  if (input.error !== undefined) return { verdict: 'unknown', reason: input.error };
  const app = input.app ? assessApplication(input.app) : undefined;
  if (app && (app.kind === 'error' || app.kind === 'sync-failed' || app.kind === 'degraded')) {
    return { verdict: 'degraded', reason: app.reason };
  }
  const deployment = input.deployment;
  if (!deployment) {
    return { verdict: 'not yet synced', reason: input.deploymentMissing ?? 'the Deployment was not read' };
  }
  const rollout = rolloutStatus(deployment);
  if (rollout.kind === 'failed') return { verdict: 'degraded', reason: rollout.reason };
  const running = templateImage(deployment, input.container);
  if (!running || !sameImage(running, distImage)) {
    const state = app && app.kind !== 'ready' ? `; ${app.reason}` : '';
    return {
      verdict: 'not yet synced',
      reason: `the cluster's Deployment has ${running ? formatImage(running) : `no container ${input.container}`}, ${input.distPath} has ${formatImage(distImage)}${state}`,
    };
  }
  if (rollout.kind === 'waiting') return { verdict: 'rolling out', reason: rollout.reason };
  const live = liveContainers(input.pods ?? [], deployment.metadata?.name ?? '', input.container);
  const wrong = firstMismatch(live, distImage);
  if (wrong) {
    const runs = wrong.digest ?? wrong.image;
    return {
      verdict: 'degraded',
      reason: `pod ${wrong.pod} runs ${runs} after the rollout completed, ${input.distPath} has ${formatImage(distImage)}`,
    };
  }
  if (live.length === 0 && (deployment.spec?.replicas ?? 1) > 0) {
    return { verdict: 'rolling out', reason: 'no ready pod yet' };
  }
  if (app?.kind === 'out-of-sync') return { verdict: 'not yet synced', reason: app.reason };
  if (app && app.kind !== 'ready') return { verdict: 'rolling out', reason: app.reason };
  return { verdict: 'in sync' };
}
