import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import type { Readiness } from '../readiness';
import type { GuestStore } from '../store/guest-store';

/** Dependencies of {@link healthRoutes}. */
export interface HealthRoutesDeps {
  readonly store: GuestStore;
  readonly readiness: Readiness;
}

/** `/health` (count), `/healthz` (liveness, no dependency), `/readyz` (table reachable and not draining). */
export const healthRoutes = ({ store, readiness }: HealthRoutesDeps) =>
  new Hono<AppEnv>()
    .get('/health', async (c) => c.json({ status: 'healthy', guests_count: await store.count() }))
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const state = await readiness.state();
      if (!state.ready) return c.json({ status: 'not-ready', reason: state.reason }, 503);
      return c.json({ status: 'ready' });
    });
