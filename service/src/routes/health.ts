import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { RETRY_AFTER_SECONDS } from '../on-error';
import type { Readiness } from '../readiness';
import { StoreUnavailableError } from '../store/errors';
import type { GuestStore } from '../store/guest-store';

/** Dependencies of {@link healthRoutes}. */
export interface HealthRoutesDeps {
  readonly store: GuestStore;
  readonly readiness: Readiness;
}

/**
 * `/health` (guest count and DynamoDB's state), `/healthz` (liveness, no dependency), `/readyz` (not
 * draining; deliberately independent of DynamoDB).
 */
export const healthRoutes = ({ store, readiness }: HealthRoutesDeps) =>
  new Hono<AppEnv>()
    .get('/health', async (c) => {
      try {
        const guests_count = await store.count();
        return c.json({ status: 'healthy', guests_count, dynamodb: 'ok' });
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) throw err;
        c.header('Retry-After', String(RETRY_AFTER_SECONDS));
        return c.json(
          { status: 'unhealthy', guests_count: null, dynamodb: 'unavailable', reason: err.message },
          503,
        );
      }
    })
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', (c) => {
      const state = readiness.state();
      if (!state.ready) return c.json({ status: 'not-ready', reason: state.reason }, 503);
      return c.json({ status: 'ready' });
    });
