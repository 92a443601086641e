/** Shortest accepted bearer token. */
export const MIN_TOKEN_LENGTH = 16;
// RFC 6750's token68, which is also what hono/bearer-auth accepts in the header: a token with other
// characters could never match, so it is refused when configured rather than silently unusable.
const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;
const RULE = `at least ${MIN_TOKEN_LENGTH} characters of A-Z a-z 0-9 . _ ~ + / - (optionally ending in =)`;

/** A token list that cannot be used; the message names the source and the rule, never a token. */
export class TokenListError extends Error {
  override readonly name = 'TokenListError';
}

/**
 * Parses a comma- or newline-separated token list (`API_TOKENS`, or the file of `API_TOKENS_FILE`).
 * Throws {@link TokenListError} for a bad token or for a list with none: a configured token source
 * that holds no token is a mistake, never a reason to serve without authentication.
 */
export function parseTokens(raw: string, source: string): string[] {
  const tokens = raw
    .split(/[,\n]/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (tokens.length === 0) {
    throw new TokenListError(
      `${source} holds no tokens; it must hold at least one token, comma- or newline-separated`,
    );
  }
  tokens.forEach((token, i) => {
    if (token.length < MIN_TOKEN_LENGTH || !TOKEN68.test(token)) {
      throw new TokenListError(`${source}: token ${i + 1} (${token.length} characters) must be ${RULE}`);
    }
  });
  return tokens;
}
