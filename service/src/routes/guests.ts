// The /guests handlers: list, read, create, delete.
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../app-env';
import type { TokenSource } from '../auth/token-source';
import { bearerAuth } from '../middleware/bearer-auth';
import { tablesReady } from '../middleware/tables-ready';
import { validationHook } from '../on-error';
import type { Readiness } from '../readiness';
import type { Guest } from '../schemas/guest';
import type { GuestStore } from '../store/guest-store';
import { guestApi, MAX_BODY_BYTES, MAX_PAGE_SIZE } from './guest-api';

export { MAX_BODY_BYTES, MAX_PAGE_SIZE };

/** Dependencies of {@link guestRoutes}. */
export interface GuestRoutesDeps {
  readonly store: GuestStore;
  /** Accepted bearer tokens; undefined turns authentication off. */
  readonly tokens: TokenSource | undefined;
  /** Its table problem, when the start-up check found one, answers every request. */
  readonly readiness: Readiness;
}

const notFound = (seqNum: string) =>
  new HTTPException(404, { message: `Guest with seq_num '${seqNum.slice(0, 200)}' not found` });

/** `/guests`: list (paged), read, create, delete; each handler right after its declared route. */
export const guestRoutes = ({ store, tokens, readiness }: GuestRoutesDeps) => {
  const api = guestApi({ auth: tokens !== undefined });
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  if (tokens !== undefined) app.use('*', bearerAuth(tokens));
  // After authentication: table names are for the callers the API admits.
  app.use('*', tablesReady(readiness));
  return app
    .openapi(api.list, async (c) => {
      const { limit: rawLimit, cursor } = c.req.valid('query');
      const limit = rawLimit === undefined ? MAX_PAGE_SIZE : Number(rawLimit);
      const page = await store.list(limit, cursor, { budget: c.var.budget });
      if (page.nextCursor !== undefined) {
        const next = new URLSearchParams({ limit: String(limit), cursor: page.nextCursor });
        c.header('X-Next-Cursor', page.nextCursor);
        c.header('Link', `<${c.req.path}?${next}>; rel="next"`);
      }
      // Kept as a map keyed by seq_num: the shape the old API and its clients use.
      const body: Record<string, Guest> = {};
      for (const guest of page.guests) body[guest.seq_num] = guest;
      return c.json(body, 200);
    })
    .openapi(api.read, async (c) => {
      const { seq_num } = c.req.valid('param');
      const guest = await store.get(seq_num, { budget: c.var.budget });
      if (guest === undefined) throw notFound(seq_num);
      return c.json(guest, 200);
    })
    .openapi(api.create, async (c) => {
      const guest = await store.create(c.req.valid('json'), { budget: c.var.budget });
      return c.json({ message: 'Guest created successfully', guest }, 201);
    })
    .openapi(api.remove, async (c) => {
      const { seq_num } = c.req.valid('param');
      if (!(await store.delete(seq_num, { budget: c.var.budget }))) throw notFound(seq_num);
      return c.json({ msg: `Guest ${seq_num} deleted successfully` }, 200);
    });
};
