import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../app-env';
import { bearerAuth } from '../middleware/bearer-auth';
import { jsonBody } from '../middleware/json-body';
import { ValidationException } from '../on-error';
import { type Guest, parseGuestInput } from '../schemas/guest';
import type { GuestStore } from '../store/guest-store';

/** Largest and default page size of GET /guests. */
export const MAX_PAGE_SIZE = 1000;
/** Largest accepted POST body. */
export const MAX_BODY_BYTES = 16_384;

/** Dependencies of {@link guestRoutes}. */
export interface GuestRoutesDeps {
  readonly store: GuestStore;
  /** Accepted bearer tokens; empty turns authentication off. */
  readonly apiTokens: readonly string[];
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return MAX_PAGE_SIZE;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAGE_SIZE) {
    const shown = raw.length > 20 ? `${raw.slice(0, 20)}...` : raw;
    throw new HTTPException(400, {
      message: `Invalid limit: '${shown}' must be an integer from 1 to ${MAX_PAGE_SIZE}`,
    });
  }
  return Number(raw);
}

const notFound = (seqNum: string) =>
  new HTTPException(404, { message: `Guest with seq_num '${seqNum.slice(0, 200)}' not found` });

/** `/guests`: list (paged), read, create, delete. */
export const guestRoutes = ({ store, apiTokens }: GuestRoutesDeps) =>
  new Hono<AppEnv>()
    .use('*', bearerAuth(apiTokens))
    .get('/', async (c) => {
      const limit = parseLimit(c.req.query('limit'));
      const cursor = c.req.query('cursor');
      const page = await store.list(limit, cursor);
      if (page.nextCursor !== undefined) {
        const next = new URL(c.req.url);
        next.search = new URLSearchParams({ limit: String(limit), cursor: page.nextCursor }).toString();
        c.header('X-Next-Cursor', page.nextCursor);
        c.header('Link', `<${next.pathname}${next.search}>; rel="next"`);
      }
      // Kept as a map keyed by seq_num: the shape the old API and its clients use.
      const body: Record<string, Guest> = {};
      for (const guest of page.guests) body[guest.seq_num] = guest;
      return c.json(body);
    })
    .get('/:seq_num', async (c) => {
      const seqNum = c.req.param('seq_num');
      const guest = await store.get(seqNum);
      if (guest === undefined) throw notFound(seqNum);
      return c.json(guest);
    })
    .post('/', jsonBody({ maxBytes: MAX_BODY_BYTES }), async (c) => {
      const result = parseGuestInput(c.get('jsonBody'));
      if (!result.ok) throw new ValidationException(result.message, result.issues);
      const guest = await store.create(result.value);
      return c.json({ message: 'Guest created successfully', guest }, 201);
    })
    .delete('/:seq_num', async (c) => {
      const seqNum = c.req.param('seq_num');
      if (!(await store.delete(seqNum))) throw notFound(seqNum);
      return c.json({ msg: `Guest ${seqNum} deleted successfully` });
    });
