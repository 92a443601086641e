import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../../app-env';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * True when `presented` equals one of `accepted`. Both sides are hashed to fixed-length digests and
 * compared with timingSafeEqual against every token (no early exit), so timing reveals neither the
 * token nor its length nor which token matched.
 */
export function tokenMatches(presented: string, acceptedDigests: readonly Buffer[]): boolean {
  const candidate = digest(presented);
  let match = false;
  for (const accepted of acceptedDigests) {
    if (timingSafeEqual(candidate, accepted)) match = true;
  }
  return match;
}

const unauthorized = (message: string) =>
  new HTTPException(401, {
    message,
    res: new Response(null, { headers: { 'WWW-Authenticate': 'Bearer realm="guests"' } }),
  });

/** Requires `Authorization: Bearer <token>` with one of `tokens`; does nothing when `tokens` is empty. */
export const bearerAuth = (tokens: readonly string[]) => {
  const accepted = tokens.map(digest);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (accepted.length === 0) return next();
    const header = c.req.header('authorization');
    if (header === undefined) throw unauthorized('Missing bearer token: send Authorization: Bearer <token>');
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (match?.[1] === undefined) {
      throw unauthorized('Malformed Authorization header: it must be Bearer <token>');
    }
    if (!tokenMatches(match[1], accepted)) throw unauthorized('Invalid bearer token');
    return next();
  });
};
