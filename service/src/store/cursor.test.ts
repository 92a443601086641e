import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';
import { InvalidCursorError } from './errors';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('cursor', () => {
  it('should round-trip a seq_num', () => {
    const cursor = encodeCursor('2ef6be63-453d-4f54-b03d-84e0767b4c64');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toBe('2ef6be63-453d-4f54-b03d-84e0767b4c64');
  });

  it.each([
    ['', 'empty'],
    ['not base64!', 'bad alphabet'],
    [b64('not json'), 'not JSON'],
    [b64('[]'), 'not an object'],
    [b64('{"seq_num":1}'), 'not a string'],
    [b64('{"seq_num":"a","x":1}'), 'extra keys'],
    [b64('{"seq_num":""}'), 'empty key'],
    [b64(JSON.stringify({ seq_num: 'x'.repeat(2049) })), 'key longer than DynamoDB allows'],
    [`${encodeCursor('abc')}A`, 'non-canonical'],
    ['A'.repeat(3001), 'too long'],
  ])('should reject %j (%s)', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });

  it('should accept a position on a meta item (a scan page can end on one)', () => {
    expect(decodeCursor(encodeCursor('#person#12345'))).toBe('#person#12345');
  });

  it('should name the parameter and the value in the message', () => {
    expect(() => decodeCursor('zz!')).toThrow(
      "Invalid cursor: 'zz!' is not a cursor returned by GET /guests",
    );
  });
});
