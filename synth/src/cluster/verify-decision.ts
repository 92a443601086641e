// Decides, from one read of the cluster and git, whether `verify`'s conditions are met, still pending or can
// no longer be met.
import { formatImage, type ImageRef, sameImage } from '../domain/image-ref';
import { assessApplication } from './argocd-health';
import type { LiveCheck } from './git-live';
import { type Application, type Deployment, type Pod, syncedRevision } from './objects';
import { firstMismatch, type LiveContainer, liveContainers } from './pod-images';
import { rolloutStatus } from './rollout-status';
import { templateImage } from './status-verdict';

/** One read of the cluster plus what git said about the revisions in it. */
export interface VerifySnapshot {
  readonly app: Application;
  readonly deployment?: Deployment;
  /** Why there is no Deployment (e.g. not found), shown while waiting. */
  readonly deploymentMissing?: string;
  readonly pods: readonly Pod[];
  /** The image dist/<env> deploys (the digest when the environment pins one). */
  readonly expected: ImageRef;
  readonly container: string;
  /** git's answer for each revision in the snapshot (synced revision, failed operation's revision). */
  readonly liveChecks: ReadonlyMap<string, LiveCheck>;
}

/** `met`: every cluster and git condition holds now; `failed`: it cannot come true without a new change. */
export type VerifyDecision =
  | { readonly kind: 'met'; readonly revision: string; readonly live: readonly LiveContainer[] }
  | { readonly kind: 'waiting'; readonly condition: string }
  | { readonly kind: 'failed'; readonly reason: string };

const wait = (condition: string): VerifyDecision => ({ kind: 'waiting', condition });
const fail = (reason: string): VerifyDecision => ({ kind: 'failed', reason });

/** The revisions whose git check the decision needs. */
export function revisionsToCheck(app: Application): string[] {
  const out = new Set<string>();
  const synced = syncedRevision(app);
  if (synced) out.add(synced);
  const op = app.status?.operationState;
  if (op?.syncResult?.revision && (op.phase === 'Failed' || op.phase === 'Error')) {
    out.add(op.syncResult.revision);
  }
  return [...out];
}

/**
 * Decides one verify step. Order: Argo CD's own status (stale reconcile, error conditions, operation,
 * failed sync, sync status), then git (is R live at the synced revision), then health, then the rollout by
 * kubectl's rules and the image of every serving pod. Degraded health only fails once git says the synced
 * revision contains R; before that it belongs to an older revision and verify keeps waiting.
 */
export function decideVerify(s: VerifySnapshot): VerifyDecision {
  const app = assessApplication(s.app);
  switch (app.kind) {
    case 'stale':
    case 'operating':
    case 'out-of-sync':
      return wait(app.reason);
    case 'error':
      return fail(app.reason);
    case 'sync-failed': {
      const check = app.revision ? s.liveChecks.get(app.revision) : undefined;
      return check?.kind === 'live' || check?.kind === 'changed' ? fail(app.reason) : wait(app.reason);
    }
  }
  const revision = syncedRevision(s.app);
  if (!revision) return wait('Argo CD reports no synced revision yet');
  const check = s.liveChecks.get(revision);
  if (!check) return wait(`git has not checked revision ${revision.slice(0, 12)} yet`);
  if (check.kind === 'changed' || check.kind === 'diverged') return fail(check.reason);
  if (check.kind !== 'live') return wait(check.reason);
  if (app.kind === 'degraded') return fail(app.reason);
  if (app.kind === 'progressing') return wait(app.reason);

  const deployment = s.deployment;
  if (!deployment) return wait(s.deploymentMissing ?? 'the Deployment was not read');
  const rollout = rolloutStatus(deployment);
  if (rollout.kind === 'failed') return fail(rollout.reason);
  const running = templateImage(deployment, s.container);
  if (!running || !sameImage(running, s.expected)) {
    return wait(
      `the Deployment's template has ${running ? formatImage(running) : `no container ${s.container}`}, expected ${formatImage(s.expected)}`,
    );
  }
  if (rollout.kind === 'waiting') return wait(rollout.reason);
  const live = liveContainers(s.pods, deployment.metadata?.name ?? '', s.container);
  const wrong = firstMismatch(live, s.expected);
  if (wrong) {
    const what = s.expected.digest
      ? `digest ${wrong.digest ?? `unknown (imageID ${wrong.imageID})`}`
      : wrong.image;
    const want = s.expected.digest ? s.expected.digest : formatImage(s.expected);
    return fail(`pod ${wrong.pod} runs ${what} after the rollout completed; expected ${want}`);
  }
  if (live.length === 0 && (deployment.spec?.replicas ?? 1) > 0)
    return wait('no pod of the Deployment is ready yet');
  return { kind: 'met', revision, live };
}
