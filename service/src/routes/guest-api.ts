// The `/guests` operations declared once (parameters, bodies, limits, messages): validators and the OpenAPI
// document are both built from them.
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { jsonBodyGuards } from '../middleware/json-body';
import { ErrorSchema, GuestBodySchema, GuestSchema } from '../schemas/guest';
import { decodeCursor } from '../store/cursor';
import { InvalidCursorError } from '../store/errors';

/** Largest and default page size of GET /guests. */
export const MAX_PAGE_SIZE = 1000;
/** Largest accepted POST body. */
export const MAX_BODY_BYTES = 16_384;

const shown = (raw: string) => (raw.length > 20 ? `${raw.slice(0, 20)}...` : raw);

const LimitSchema = z
  .string()
  .refine((raw) => /^\d{1,4}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= MAX_PAGE_SIZE, {
    error: (issue) =>
      `Invalid limit: '${shown(String(issue.input))}' must be an integer from 1 to ${MAX_PAGE_SIZE}`,
  })
  .optional()
  .meta({
    description: `Page size, 1 to ${MAX_PAGE_SIZE}; default ${MAX_PAGE_SIZE}`,
    param: { name: 'limit', in: 'query' },
    example: '100',
  });

const isCursor = (raw: string) => {
  try {
    decodeCursor(raw);
    return true;
  } catch {
    return false;
  }
};

const CursorSchema = z
  .string()
  .refine(isCursor, { error: (issue) => new InvalidCursorError(String(issue.input)).message })
  .optional()
  .meta({
    description: 'The `X-Next-Cursor` of the previous page (opaque)',
    param: { name: 'cursor', in: 'query' },
  });

const SeqNumParams = z.object({
  seq_num: z.string().meta({ param: { name: 'seq_num', in: 'path' }, description: 'The guest key (UUID)' }),
});

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(ErrorSchema) });
const unavailable = { 503: error('DynamoDB unavailable after retries; see Retry-After') };
const unauthorized = {
  401: error(
    'Missing or invalid bearer token, when API tokens are configured (a malformed Authorization header is a 400)',
  ),
};

/** Whether `/guests` requires a bearer token: it changes the security and 401s in the document. */
export interface GuestApiOptions {
  readonly auth: boolean;
}

/**
 * The `/guests` operations, with their parameters, bodies, limits and messages stated once: the
 * validators are built from these and the OpenAPI document is generated from them.
 */
export function guestApi({ auth }: GuestApiOptions) {
  const security = auth ? [{ bearer: [] }] : [];
  return {
    list: createRoute({
      method: 'get',
      path: '/',
      summary: 'List guests, one page at a time',
      security,
      request: { query: z.object({ limit: LimitSchema, cursor: CursorSchema }) },
      responses: {
        200: {
          description: "Guests keyed by seq_num (the old API's map)",
          headers: z.object({
            'X-Next-Cursor': z.string().optional().meta({ description: 'Present when more remain' }),
            Link: z.string().optional().meta({ description: '`<...>; rel="next"` when more remain' }),
          }),
          content: json(z.record(z.string(), GuestSchema)),
        },
        400: error('Bad limit or cursor'),
        ...unauthorized,
        ...unavailable,
      },
    }),
    read: createRoute({
      method: 'get',
      path: '/{seq_num}',
      summary: 'Read one guest',
      security,
      request: { params: SeqNumParams },
      responses: {
        200: { description: 'The guest', content: json(GuestSchema) },
        404: error('No such guest'),
        ...unauthorized,
        ...unavailable,
      },
    }),
    create: createRoute({
      method: 'post',
      path: '/',
      summary: 'Create a guest',
      description: '`guest_id` is accepted as an alias of `id`; unknown fields and `seq_num` are ignored.',
      security,
      // 415 and 413 before the validator reads or parses anything.
      middleware: jsonBodyGuards(MAX_BODY_BYTES),
      request: { body: { required: true, content: json(GuestBodySchema) } },
      responses: {
        201: {
          description: 'Created',
          content: json(z.object({ message: z.string(), guest: GuestSchema })),
        },
        400: error('Validation failed, or malformed JSON'),
        ...unauthorized,
        409: error('A guest with this person id exists'),
        413: error(`Body over ${MAX_BODY_BYTES} bytes`),
        415: error('Content-Type is not application/json'),
        ...unavailable,
      },
    }),
    remove: createRoute({
      method: 'delete',
      path: '/{seq_num}',
      summary: 'Delete a guest (frees its person id)',
      security,
      request: { params: SeqNumParams },
      responses: {
        200: { description: 'Deleted', content: json(z.object({ msg: z.string() })) },
        404: error('No such guest'),
        ...unauthorized,
        ...unavailable,
      },
    }),
  };
}
