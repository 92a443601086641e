// Encodes and strictly decodes the opaque pagination cursor of GET /guests.
import { InvalidCursorError } from './errors';

// DynamoDB keys are at most 2048 bytes; base64url grows by 4/3 plus the JSON wrapper.
const MAX_CURSOR_LENGTH = 3000;
// DynamoDB's limit for a partition key value.
const MAX_KEY_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Opaque cursor: base64url of the JSON last-evaluated key `{"seq_num":"..."}`. */
export function encodeCursor(seqNum: string): string {
  return Buffer.from(JSON.stringify({ seq_num: seqNum }), 'utf8').toString('base64url');
}

/** Strictly decodes a cursor back to the `seq_num` to start after; throws {@link InvalidCursorError}. */
export function decodeCursor(cursor: string): string {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    throw new InvalidCursorError(cursor);
  }
  const buffer = Buffer.from(cursor, 'base64url');
  // Reject non-canonical encodings so one key has exactly one cursor.
  if (buffer.toString('base64url') !== cursor) throw new InvalidCursorError(cursor);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buffer));
  } catch {
    throw new InvalidCursorError(cursor);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidCursorError(cursor);
  const keys = Object.keys(parsed);
  const seqNum = (parsed as { seq_num?: unknown }).seq_num;
  if (
    keys.length !== 1 ||
    typeof seqNum !== 'string' ||
    seqNum.length === 0 ||
    seqNum.length > MAX_KEY_LENGTH
  ) {
    throw new InvalidCursorError(cursor);
  }
  return seqNum;
}
