import { describe, expect, it } from 'vitest';
import { application, REVISION_1 } from '../../test/cluster-fixtures';
import { assessApplication } from './argocd-health';

describe('assessApplication', () => {
  it('should be ready when Synced, Healthy, no operation and reconciled after the operation finished', () => {
    expect(assessApplication(application())).toEqual({ kind: 'ready', revision: REVISION_1 });
  });

  it('should not trust a Healthy from before the sync (reconciledAt older than finishedAt)', () => {
    const app = application({ finishedAt: '2026-11-20T10:05:00Z', reconciledAt: '2026-11-20T10:04:59Z' });
    expect(assessApplication(app)).toEqual({
      kind: 'stale',
      reason:
        'Argo CD has not reconciled since the last operation finished (reconciledAt 2026-11-20T10:04:59Z < finishedAt 2026-11-20T10:05:00Z)',
    });
  });

  it('should accept a reconcile in the same second as the finish, like argocd app wait', () => {
    const app = application({ finishedAt: '2026-11-20T10:05:00Z', reconciledAt: '2026-11-20T10:05:00Z' });
    expect(assessApplication(app).kind).toBe('ready');
  });

  it('should report a ComparisonError before anything else but staleness', () => {
    const app = application({
      conditions: [
        { type: 'ComparisonError', message: 'rpc error: code = Unknown\ndesc = repository not found' },
      ],
    });
    expect(assessApplication(app)).toEqual({
      kind: 'error',
      reason: 'ComparisonError: rpc error: code = Unknown desc = repository not found',
    });
  });

  it('should report an InvalidSpecError but ignore other conditions such as SyncError warnings', () => {
    expect(
      assessApplication(application({ conditions: [{ type: 'InvalidSpecError', message: 'bad path' }] })),
    ).toEqual({ kind: 'error', reason: 'InvalidSpecError: bad path' });
    expect(
      assessApplication(application({ conditions: [{ type: 'OrphanedResourceWarning', message: 'x' }] }))
        .kind,
    ).toBe('ready');
  });

  it('should see an operation in progress from the operation field, a Running phase or no finishedAt', () => {
    expect(assessApplication(application({ operation: true }))).toEqual({
      kind: 'operating',
      reason: 'an Argo CD operation is requested and not finished',
    });
    expect(
      assessApplication(
        application({
          phase: 'Running',
          phaseMessage: 'waiting for healthy state of apps/Deployment/guestlist',
          finishedAt: null,
        }),
      ),
    ).toEqual({
      kind: 'operating',
      reason:
        'the Argo CD sync operation is Running (waiting for healthy state of apps/Deployment/guestlist)',
    });
  });

  it('should report a failed sync with the revision it tried', () => {
    const app = application({
      phase: 'Failed',
      phaseMessage: 'one or more objects failed to apply',
      sync: 'OutOfSync',
    });
    expect(assessApplication(app)).toEqual({
      kind: 'sync-failed',
      reason: 'the last Argo CD sync failed at 111111111111: one or more objects failed to apply',
      revision: REVISION_1,
    });
  });

  it('should report Synced but Degraded with the health message', () => {
    const app = application({
      health: 'Degraded',
      healthMessage: 'Deployment "guestlist" exceeded its progress deadline',
    });
    expect(assessApplication(app)).toEqual({
      kind: 'degraded',
      reason: 'Argo CD health is Degraded: Deployment "guestlist" exceeded its progress deadline',
      revision: REVISION_1,
    });
  });

  it('should report OutOfSync before health, and Progressing as progress', () => {
    expect(assessApplication(application({ sync: 'OutOfSync', health: 'Degraded' })).kind).toBe(
      'out-of-sync',
    );
    expect(assessApplication(application({ health: 'Progressing' }))).toEqual({
      kind: 'progressing',
      reason: 'Argo CD health is Progressing',
      revision: REVISION_1,
    });
  });
});
