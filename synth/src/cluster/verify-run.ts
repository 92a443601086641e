// The verification over time: watches the Application, the Deployment and its pods, decides each read with
// verifyTarget, runs the metrics soak once everything else holds, until verified, failed or timed out.
import type { GitRepo, LiveCheck } from './git-live';
import { ClusterAccessError, type ClusterReader } from './kube-client';
import type { LiveContainer } from './pod-images';
import { evaluateSoak, type SoakState } from './prometheus-query';
import { revisionsToCheck, type VerifyDecision } from './verify-decision';
import { type ClusterRead, type VerifyTarget, verifyTarget } from './verify-target';

export type { VerifyTarget } from './verify-target';

/** The end of a verify run. */
export type VerifyOutcome =
  | {
      readonly kind: 'verified';
      readonly revision: string;
      readonly live: readonly LiveContainer[];
      readonly metrics?: string;
      readonly unrelated: number;
      readonly elapsedMs: number;
    }
  | { readonly kind: 'failed'; readonly reason: string; readonly elapsedMs: number }
  | { readonly kind: 'timeout'; readonly condition: string; readonly elapsedMs: number };

/** Options of {@link runVerify}. */
export interface RunVerifyOptions {
  readonly reader: ClusterReader;
  readonly repo: GitRepo;
  readonly timeoutMs: number;
  /** Called with each new unmet condition (and watch problems). @default ignore */
  readonly onProgress?: (line: string) => void;
  /** First poll delay; doubles up to 1 s. @default 100 */
  readonly initialDelayMs?: number;
}

/** Resolves `wait()` after a delay, or at once when `poke()` was called (a watch event) since the last wait. */
class Waker {
  private wake: (() => void) | undefined;
  private pending = false;

  poke(): void {
    if (this.wake) this.wake();
    else this.pending = true;
  }

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
    });
  }
}

/** Reads the Application, the Deployment and its pods at once; throws the first failure in that order. */
export async function readSnapshot(t: VerifyTarget, reader: ClusterReader): Promise<ClusterRead> {
  const [app, deployment, pods] = await Promise.allSettled([
    reader.getApplication(t.application.namespace, t.application.name),
    reader.getDeployment(t.deployment.namespace, t.deployment.name),
    reader.listPods(t.deployment.namespace, t.deployment.labelSelector),
  ]);
  // The first failure in this order, whichever answered first: the same problem gives the same message.
  for (const r of [app, deployment, pods]) if (r.status === 'rejected') throw r.reason;
  const value = <T>(r: PromiseSettledResult<T>) => (r as PromiseFulfilledResult<T>).value;
  const dep = value(deployment);
  return { app: value(app), ...(dep ? { deployment: dep } : {}), pods: value(pods) };
}

/**
 * Decides one read: asks git about each revision in it (answers other than "missing" are cached in `checks`,
 * since a commit's ancestry never changes), then {@link verifyTarget}.
 */
export function decide(
  t: VerifyTarget,
  r: ClusterRead,
  repo: GitRepo,
  checks: Map<string, LiveCheck>,
): VerifyDecision {
  const liveChecks = new Map(checks);
  for (const revision of revisionsToCheck(r.app)) {
    if (liveChecks.has(revision)) continue;
    const check = repo.checkLive(t.commit, revision, t.sourcePath);
    liveChecks.set(revision, check);
    // A revision missing from the clone may arrive with a later fetch; every other answer is final.
    if (check.kind !== 'missing') checks.set(revision, check);
  }
  return verifyTarget(t, { liveChecks }, r);
}

/**
 * Waits until every condition holds at once (see `decideVerify`, then the metrics soak), a condition fails for
 * good, or the timeout passes. Re-reads the cluster on every watch event and otherwise polls with a delay that
 * doubles from 100 ms up to 1 s (reset whenever the unmet condition changes).
 */
export async function runVerify(t: VerifyTarget, o: RunVerifyOptions): Promise<VerifyOutcome> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const deadline = started + o.timeoutMs;
  const progress = o.onProgress ?? (() => {});
  const waker = new Waker();
  const refused = (e: ClusterAccessError) => progress(`${e.message}; polling instead`);
  const stops = [
    o.reader.watch({ kind: 'applications', ...t.application }, () => waker.poke(), refused),
    o.reader.watch(
      { kind: 'deployments', namespace: t.deployment.namespace, name: t.deployment.name },
      () => waker.poke(),
      refused,
    ),
    o.reader.watch(
      { kind: 'pods', namespace: t.deployment.namespace, labelSelector: t.deployment.labelSelector },
      () => waker.poke(),
      refused,
    ),
  ];
  const checks = new Map<string, LiveCheck>();
  const initialDelay = o.initialDelayMs ?? 100;
  let delay = initialDelay;
  let last = '';
  let firstRead = true;
  let soakStart: number | undefined;
  let soakEvaluatedAt = 0;
  let soak: SoakState | undefined;
  try {
    for (;;) {
      let decision: VerifyDecision;
      try {
        const r = await readSnapshot(t, o.reader);
        firstRead = false;
        decision = decide(t, r, o.repo, checks);
      } catch (error) {
        if (!(error instanceof ClusterAccessError)) throw error;
        // Refused requests and an API server that was never reachable do not fix themselves; a blip later on
        // is one more condition to wait out.
        const final = firstRead || error.status === 401 || error.status === 403 || error.status === 404;
        if (final) return { kind: 'failed', reason: error.message, elapsedMs: elapsed() };
        decision = { kind: 'waiting', condition: error.message };
      }
      if (decision.kind === 'failed')
        return { kind: 'failed', reason: decision.reason, elapsedMs: elapsed() };
      let condition: string;
      let next = Number.POSITIVE_INFINITY;
      if (decision.kind === 'met') {
        const revision = decision.revision;
        const unrelated = (() => {
          const c = checks.get(revision);
          return c?.kind === 'live' ? c.unrelated : 0;
        })();
        const v = t.verification;
        if (!v) return { kind: 'verified', revision, live: decision.live, unrelated, elapsedMs: elapsed() };
        // The soak starts the first time everything else holds, and is not restarted by a later wobble (an
        // HPA scaling, a re-read): Prometheus keeps every sample of the window either way.
        const now = Date.now();
        soakStart ??= now;
        const soakEnd = soakStart + v.soakMs;
        if (!soak || now - soakEvaluatedAt >= v.intervalMs || now >= soakEnd) {
          soak = await evaluateSoak(v, soakStart, now);
          soakEvaluatedAt = now;
        }
        if (soak.kind === 'breach') return { kind: 'failed', reason: soak.reason, elapsedMs: elapsed() };
        if (soak.kind === 'passed') {
          return {
            kind: 'verified',
            revision,
            live: decision.live,
            metrics: soak.summary,
            unrelated,
            elapsedMs: elapsed(),
          };
        }
        condition = soak.reason;
        next = Math.max(0, Math.min(soakEvaluatedAt + v.intervalMs, soakEnd) - Date.now());
      } else {
        condition = decision.condition;
      }
      if (condition !== last) {
        progress(`waiting: ${condition}`);
        last = condition;
        delay = initialDelay;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { kind: 'timeout', condition, elapsedMs: elapsed() };
      await waker.wait(Math.min(delay, remaining, next));
      delay = Math.min(delay * 2, 1000);
    }
  } finally {
    for (const stop of stops) stop();
  }
}
