import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../../app-env';

/** Options of {@link jsonBody}. */
export interface JsonBodyOptions {
  /** Largest accepted body in bytes. @default 16384 */
  readonly maxBytes?: number;
}

const tooLarge = (size: string, max: number) =>
  new HTTPException(413, { message: `Request body too large: ${size} exceeds the limit of ${max} bytes` });

/** Reads the body up to `max` bytes, counting streamed bytes so chunked bodies cannot bypass the limit. */
async function readLimited(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`more than ${max} bytes`, max);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Parses a JSON request body into `jsonBody`: 415 unless `Content-Type` is application/json, 413 when
 * the body is over the limit (from Content-Length before reading, else while streaming), 400 when it is
 * not UTF-8 JSON.
 */
export const jsonBody = (options: JsonBodyOptions = {}) => {
  const max = options.maxBytes ?? 16_384;
  return createMiddleware<AppEnv>(async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    const mediaType = type.split(';')[0]?.trim().toLowerCase() ?? '';
    if (mediaType !== 'application/json') {
      throw new HTTPException(415, {
        message: `Unsupported Content-Type: '${type.slice(0, 80)}' must be application/json`,
      });
    }
    const length = c.req.header('content-length');
    if (length !== undefined && /^\d+$/.test(length) && Number(length) > max) {
      throw tooLarge(`${length} bytes`, max);
    }
    const bytes = await readLimited(c.req.raw.body, max);
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (err) {
      throw new HTTPException(400, {
        message: 'Malformed JSON body: it must be one UTF-8 JSON value',
        cause: err,
      });
    }
    c.set('jsonBody', parsed);
    await next();
  });
};
