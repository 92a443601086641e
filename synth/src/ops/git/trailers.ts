// The git trailers every ops commit carries (the audit trail): writing the commit message and reading them
// back.
import { refused, usageError } from '../errors';

/** The fixed trailer keys of every commit an ops command makes (the audit trail; never renamed). */
export const TRAILER_KEYS = {
  environment: 'Guestlist-Environment',
  action: 'Guestlist-Action',
  image: 'Guestlist-Image',
  digest: 'Guestlist-Digest',
  source: 'Guestlist-Source',
  verified: 'Guestlist-Verified',
  verifiedRevision: 'Guestlist-Verified-Revision',
  reason: 'Guestlist-Reason',
  previousImage: 'Guestlist-Previous-Image',
} as const;

/** What an ops commit did. */
export type OpsAction = 'bump' | 'promote' | 'rollback' | 'pin' | 'unpin' | 'env-new' | 'env-remove';

/** Verification of the source environment at promotion time. */
export type Verified = 'passed' | 'skipped' | 'not-run';

/** The trailers of one ops commit; values are single and full (whole digests, whole commit ids). */
export interface Trailers {
  readonly environment: string;
  readonly action: OpsAction;
  readonly image?: string;
  readonly digest?: string;
  readonly source?: string;
  readonly verified?: Verified;
  readonly verifiedRevision?: string;
  readonly reason?: string;
  readonly previousImage?: string;
}

const ORDER = Object.keys(TRAILER_KEYS) as (keyof Trailers)[];
const BY_KEY = new Map(Object.entries(TRAILER_KEYS).map(([field, key]) => [key.toLowerCase(), field]));

/**
 * A commit message: subject, body for people, then the trailers as the last paragraph (one `Key: value`
 * per line, in a fixed order).
 */
export function commitMessage(subject: string, body: readonly string[], trailers: Trailers): string {
  const lines: string[] = [];
  for (const field of ORDER) {
    const value = trailers[field];
    if (value === undefined) continue;
    if (/[\r\n]/.test(value)) throw refused(`trailer ${TRAILER_KEYS[field]}: must be a single line`);
    lines.push(`${TRAILER_KEYS[field]}: ${value}`);
  }
  const paragraphs = [subject, ...(body.length > 0 ? [body.join('\n')] : []), lines.join('\n')];
  return `${paragraphs.join('\n\n')}\n`;
}

/** Reads our trailers from `Key: value` lines (as printed by `%(trailers:only,unfold)`); others are ignored. */
export function parseTrailers(text: string): Partial<Record<keyof Trailers, string>> {
  const out: Partial<Record<keyof Trailers, string>> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    const field = match ? BY_KEY.get((match[1] as string).toLowerCase()) : undefined;
    if (field && match) out[field as keyof Trailers] = (match[2] as string).trim();
  }
  return out;
}

/**
 * Checks a `--reason` text: a single line of 1-300 printable characters, recorded as it is in a trailer and
 * in the environment file.
 */
export function checkReason(reason: string, flag = '--reason'): string {
  const trimmed = reason.trim();
  if (trimmed === '') throw usageError(`${flag} "": must be a written reason (not empty)`);
  if (/\p{Cc}/u.test(trimmed)) {
    throw usageError(
      `${flag} ${JSON.stringify(shorten(trimmed))}: must be one line without control characters`,
    );
  }
  if (trimmed.length > 300) {
    throw usageError(
      `${flag} ${JSON.stringify(shorten(trimmed))}: must be at most 300 characters (${trimmed.length})`,
    );
  }
  return trimmed;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
