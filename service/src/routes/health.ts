// The probes and the health report: /health, /healthz, /readyz.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { RETRY_AFTER_SECONDS } from '../on-error';
import type { Readiness } from '../readiness';
import { StoreMisconfiguredError, StoreUnavailableError } from '../store/errors';
import type { GuestStore } from '../store/guest-store';

/** Dependencies of {@link healthRoutes}. */
export interface HealthRoutesDeps {
  readonly store: GuestStore;
  readonly readiness: Readiness;
}

const Healthy = z.object({
  status: z.literal('healthy'),
  guests_count: z.number().int().meta({ description: 'Exact: counters kept in the write transactions' }),
  dynamodb: z.literal('ok'),
});
const Unhealthy = z.object({
  status: z.literal('unhealthy'),
  guests_count: z.null(),
  dynamodb: z.enum(['unavailable', 'misconfigured']).meta({
    description:
      '`unavailable`: DynamoDB does not answer, see Retry-After; `misconfigured`: a table is missing or keyed otherwise, `reason` says which and how to create it',
  }),
  reason: z.string(),
});
const NotReady = z.object({ status: z.literal('not-ready'), reason: z.string() });
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const health = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Guest count and DynamoDB state, in O(1) requests (no scan)',
  responses: {
    200: { description: 'DynamoDB answers', content: json(Healthy) },
    503: {
      description: 'DynamoDB does not answer (see Retry-After), or a table is missing or wrongly keyed',
      content: json(Unhealthy),
    },
  },
});
const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness; touches no dependency',
  responses: { 200: { description: 'Alive', content: json(z.object({ status: z.literal('ok') })) } },
});
const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  summary: "Readiness: not draining, tables as the store needs them. Independent of DynamoDB's availability",
  responses: {
    200: { description: 'Takes traffic', content: json(z.object({ status: z.literal('ready') })) },
    503: {
      description: 'Draining (SIGTERM received), or a table is missing or wrongly keyed',
      content: json(NotReady),
    },
  },
});

/**
 * `/health`, `/healthz` (liveness), `/readyz` (not draining, tables fine at start; a DynamoDB blip must not
 * unready every pod).
 */
export const healthRoutes = ({ store, readiness }: HealthRoutesDeps) =>
  new OpenAPIHono<AppEnv>()
    .openapi(health, async (c) => {
      const unhealthy = (dynamodb: 'unavailable' | 'misconfigured', reason: string) =>
        c.json({ status: 'unhealthy' as const, guests_count: null, dynamodb, reason }, 503);
      // Known since start: no need to ask DynamoDB again, and no Retry-After (waiting creates no table).
      const misconfigured = readiness.tableProblem;
      if (misconfigured !== undefined) return unhealthy('misconfigured', misconfigured);
      try {
        const count = await store.count({ budget: c.var.budget });
        return c.json({ status: 'healthy' as const, guests_count: count, dynamodb: 'ok' as const }, 200);
      } catch (err) {
        if (err instanceof StoreMisconfiguredError) return unhealthy('misconfigured', err.message);
        if (!(err instanceof StoreUnavailableError)) throw err;
        c.header('Retry-After', String(RETRY_AFTER_SECONDS));
        return unhealthy('unavailable', err.message);
      }
    })
    .openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readyz, (c) => {
      const state = readiness.state();
      if (!state.ready) return c.json({ status: 'not-ready' as const, reason: state.reason }, 503);
      return c.json({ status: 'ready' as const }, 200);
    });
