import { z } from 'zod';
import { ErrorSchema, GuestInputSchema, GuestSchema } from './schemas/guest';

/** Options of {@link buildOpenApi}. */
export interface OpenApiOptions {
  readonly version: string;
  /** Whether `/guests` requires a bearer token. @default false */
  readonly auth?: boolean;
}

const schema = (s: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const error = (description: string) => ({ description, content: json('Error') });
const seqNumParam = { name: 'seq_num', in: 'path', required: true, schema: { type: 'string' } };

/** OpenAPI 3.1 document whose schemas are generated from the zod schemas that validate requests. */
export function buildOpenApi(options: OpenApiOptions) {
  // Operation-level security: only /guests needs a token, and only when tokens are configured.
  const guarded = { security: options.auth ? [{ bearer: [] }] : [] };
  const unauthorized = options.auth ? { 401: error('Missing or invalid bearer token') } : {};
  const unavailable = { 503: error('DynamoDB unavailable after retries; see Retry-After') };
  return {
    openapi: '3.1.0',
    info: { title: 'Guest List API', version: options.version },
    components: {
      schemas: {
        GuestInput: schema(GuestInputSchema, 'input'),
        Guest: schema(GuestSchema, 'output'),
        Error: schema(ErrorSchema, 'output'),
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    paths: {
      '/guests': {
        get: {
          summary: 'List guests, one page at a time',
          ...guarded,
          parameters: [
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 1000, default: 1000 },
            },
            {
              name: 'cursor',
              in: 'query',
              schema: { type: 'string' },
              description: 'X-Next-Cursor of a page',
            },
          ],
          responses: {
            200: {
              description: 'Guests keyed by seq_num',
              headers: {
                'X-Next-Cursor': { schema: { type: 'string' }, description: 'Present when more remain' },
                Link: { schema: { type: 'string' }, description: '<...>; rel="next" when more remain' },
              },
              content: {
                'application/json': {
                  schema: { type: 'object', additionalProperties: { $ref: '#/components/schemas/Guest' } },
                },
              },
            },
            400: error('Bad limit or cursor'),
            ...unauthorized,
            ...unavailable,
          },
        },
        post: {
          summary: 'Create a guest',
          ...guarded,
          requestBody: {
            required: true,
            description: '`guest_id` is accepted as an alias of `id`; unknown fields and seq_num are ignored',
            content: json('GuestInput'),
          },
          responses: {
            201: {
              description: 'Created',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      message: { type: 'string' },
                      guest: { $ref: '#/components/schemas/Guest' },
                    },
                    required: ['message', 'guest'],
                  },
                },
              },
            },
            400: error('Validation failed or malformed JSON'),
            ...unauthorized,
            409: error('A guest with this person id exists'),
            413: error('Body over 16 KiB'),
            415: error('Content-Type is not application/json'),
            ...unavailable,
          },
        },
      },
      '/guests/{seq_num}': {
        get: {
          summary: 'Read one guest',
          ...guarded,
          parameters: [seqNumParam],
          responses: {
            200: { description: 'The guest', content: json('Guest') },
            404: error('No such guest'),
            ...unauthorized,
            ...unavailable,
          },
        },
        delete: {
          summary: 'Delete a guest (frees its person id)',
          ...guarded,
          parameters: [seqNumParam],
          responses: {
            200: {
              description: 'Deleted',
              content: {
                'application/json': { schema: { type: 'object', properties: { msg: { type: 'string' } } } },
              },
            },
            404: error('No such guest'),
            ...unauthorized,
            ...unavailable,
          },
        },
      },
      '/health': {
        get: { summary: 'Health with the guest count (O(1))', responses: { 200: { description: 'OK' } } },
      },
      '/healthz': {
        get: { summary: 'Liveness; touches no dependency', responses: { 200: { description: 'OK' } } },
      },
      '/readyz': {
        get: {
          summary: 'Readiness: table reachable and not draining',
          responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready, with a reason' } },
        },
      },
      '/api': { get: { summary: 'Service description', responses: { 200: { description: 'OK' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'OK' } } } },
    },
  };
}
