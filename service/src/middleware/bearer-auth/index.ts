// Bearer-token authentication of `/guests`, compared in constant time against the tokens accepted now.
import { bearerAuth as honoBearerAuth } from 'hono/bearer-auth';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { TokenSource } from '../../auth/token-source';

/**
 * True when `presented` equals one of `accepted`. hono's `timingSafeEqual` hashes both sides with
 * SHA-256 and compares in constant time; every token is compared (no early exit), so timing reveals
 * neither the token, nor its length, nor which token matched.
 */
export async function tokenMatches(presented: string, accepted: readonly string[]): Promise<boolean> {
  let match = false;
  for (const token of accepted) {
    if (await timingSafeEqual(token, presented)) match = true;
  }
  return match;
}

/**
 * `Authorization: Bearer <token>` against the tokens of `source` at the time of the request (so a
 * rotated tokens file applies at once), through hono's bearer-auth: 401 without a token or with a
 * wrong one, 400 for a malformed header (RFC 6750), each with a JSON `{ error }` body.
 */
export const bearerAuth = (source: TokenSource) =>
  honoBearerAuth({
    realm: 'guests',
    verifyToken: (token) => tokenMatches(token, source.tokens()),
    noAuthenticationHeader: {
      message: { error: 'Missing bearer token: send Authorization: Bearer <token>' },
    },
    invalidAuthenticationHeader: {
      message: {
        error:
          'Malformed Authorization header: it must be Bearer <token> (token characters A-Z a-z 0-9 . _ ~ + / - =)',
      },
    },
    invalidToken: { message: { error: 'Invalid bearer token' } },
  });
