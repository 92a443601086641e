// Reads an Argo CD Application's status into one assessment (stale, error, operation running, health, sync),
// as Kargo's health check does.
import { type Application, syncedRevision } from './objects';

/** Conditions that mean Argo CD cannot even compare the app with git: unhealthy, whatever `health` says. */
export const ERROR_CONDITIONS = ['ComparisonError', 'InvalidSpecError'] as const;

/** What an Application's status says, in the order Kargo's Argo CD health check asks. */
export type AppAssessment =
  /** `reconciledAt` is older than the last operation's `finishedAt`: health and sync are from before it. */
  | { readonly kind: 'stale'; readonly reason: string }
  /** A `ComparisonError` / `InvalidSpecError` condition. */
  | { readonly kind: 'error'; readonly reason: string }
  /** An operation is requested or running, or the last one has not finished. */
  | { readonly kind: 'operating'; readonly reason: string }
  /** The last sync operation ended `Failed` / `Error` (Argo CD does not retry it by itself any more). */
  | { readonly kind: 'sync-failed'; readonly reason: string; readonly revision?: string }
  /** Not `Synced` (`OutOfSync` or `Unknown`). */
  | { readonly kind: 'out-of-sync'; readonly reason: string; readonly revision?: string }
  /** Synced, health `Degraded`. */
  | { readonly kind: 'degraded'; readonly reason: string; readonly revision?: string }
  /** Synced, health `Progressing`, `Missing`, `Suspended` or `Unknown` (autoscaling shows up here too). */
  | { readonly kind: 'progressing'; readonly reason: string; readonly revision?: string }
  /** Synced and Healthy, no operation, reconciled after the last operation. */
  | { readonly kind: 'ready'; readonly revision?: string };

function time(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Assesses an Application's status (pure; see {@link AppAssessment} for the order). */
export function assessApplication(app: Application): AppAssessment {
  const status = app.status ?? {};
  const op = status.operationState;
  const finishedAt = time(op?.finishedAt);
  const reconciledAt = time(status.reconciledAt);
  // Like `argocd app wait`: reconciled strictly before the operation finished means the controller has not
  // compared since; an app never reconciled after a finished operation is as stale.
  if (finishedAt !== undefined && (reconciledAt === undefined || reconciledAt < finishedAt)) {
    return {
      kind: 'stale',
      reason: `Argo CD has not reconciled since the last operation finished (reconciledAt ${status.reconciledAt ?? 'unset'} < finishedAt ${op?.finishedAt})`,
    };
  }
  const error = status.conditions?.find((c) => (ERROR_CONDITIONS as readonly string[]).includes(c.type));
  if (error) return { kind: 'error', reason: `${error.type}: ${oneLine(error.message ?? '(no message)')}` };
  if (app.operation !== undefined) {
    return { kind: 'operating', reason: 'an Argo CD operation is requested and not finished' };
  }
  if (op && (op.phase === 'Running' || op.phase === 'Terminating' || finishedAt === undefined)) {
    return {
      kind: 'operating',
      reason: `the Argo CD sync operation is ${op.phase ?? 'unfinished'}${op.message ? ` (${oneLine(op.message)})` : ''}`,
    };
  }
  const revision = syncedRevision(app);
  const at = revision ? { revision } : {};
  if (op && (op.phase === 'Failed' || op.phase === 'Error')) {
    const opRevision = op.syncResult?.revision;
    return {
      kind: 'sync-failed',
      reason: `the last Argo CD sync ${op.phase === 'Error' ? 'errored' : 'failed'}${opRevision ? ` at ${opRevision.slice(0, 12)}` : ''}: ${oneLine(op.message ?? '(no message)')}`,
      ...(opRevision ? { revision: opRevision } : {}),
    };
  }
  const sync = status.sync?.status ?? 'Unknown';
  if (sync !== 'Synced') return { kind: 'out-of-sync', reason: `Argo CD sync status is ${sync}`, ...at };
  const health = status.health?.status ?? 'Unknown';
  const message = status.health?.message ? `: ${oneLine(status.health.message)}` : '';
  if (health === 'Degraded')
    return { kind: 'degraded', reason: `Argo CD health is Degraded${message}`, ...at };
  if (health !== 'Healthy')
    return { kind: 'progressing', reason: `Argo CD health is ${health}${message}`, ...at };
  return { kind: 'ready', ...at };
}

/** Messages are printed on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
