// The guest's schemas: the validation rules of a guest's fields and their error messages, and the stored
// guest's shape.
import { z } from 'zod';

/** Longest JSON rendering of a rejected value quoted in an error message. */
const MAX_QUOTED = 60;

/** Quotes a rejected value for an error message (JSON, truncated). */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}...` : text;
}

type Issue = { input?: unknown };

/** Error function: "Missing field: x" when absent, else "Invalid field: 'x' (<value>) <rule>". */
const fieldError = (field: string, rule: string) => (issue: Issue) =>
  issue.input === undefined
    ? `Missing field: ${field}`
    : `Invalid field: '${field}' (${quote(issue.input)}) ${rule}`;

// C0 and C1 control characters plus DEL.
const CONTROL = /\p{Cc}/u;

/**
 * A string field whose rules judge the value after trimming, while an error quotes the value as sent (a
 * blank name is reported as `("   ")`, not `("")`): each rule is a refinement of the untrimmed string, and
 * the trimmed value is what comes out.
 */
const trimmedField = (
  field: string,
  rules: readonly (readonly [rule: string, ok: (s: string) => boolean])[],
) =>
  rules
    .reduce(
      (schema, [rule, ok]) => schema.refine((raw) => ok(raw.trim()), { error: fieldError(field, rule) }),
      z.string({ error: fieldError(field, 'must be a string') }),
    )
    .transform((raw) => raw.trim());

const nameField = (field: string) =>
  trimmedField(field, [
    ['must be 1 to 100 characters after trimming', (s) => [...s].length >= 1 && [...s].length <= 100],
    ['must not contain control characters', (s) => !CONTROL.test(s)],
  ]).meta({ minLength: 1, maxLength: 100, description: `${field}; trimmed, no control characters` });

const PHONE = /^0\d{8,9}$/;
const EMAIL_RULE = 'must be a valid email address of at most 254 characters';
const EMAIL = z.email();

const ID_RULE = 'must be 5 to 20 digits';
const UNSAFE_ID_RULE = `is a JSON number above ${Number.MAX_SAFE_INTEGER} (2^53 - 1), which cannot be stored exactly; send it as a string of 5 to 20 digits`;
const QUANTITY_RULE = 'must be an integer from 1 to 100';

/**
 * Person id: 5–20 digits; a JSON number or string in, always a string out. A number must be a safe
 * integer: JSON.parse has already rounded a larger one (12345678901234567891 arrives as
 * 12345678901234567000), so storing it would store a different id.
 */
export const PersonIdSchema = z
  .union([z.string(), z.number()], { error: fieldError('id', ID_RULE) })
  .check((ctx) => {
    const v = ctx.value;
    // Checked on the original value so the message quotes what the client sent.
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) && v > 0) {
      ctx.issues.push({ code: 'custom', input: v, message: fieldError('id', UNSAFE_ID_RULE)({ input: v }) });
    } else if (!/^\d{5,20}$/.test(String(v))) {
      ctx.issues.push({ code: 'custom', input: v, message: fieldError('id', ID_RULE)({ input: v }) });
    }
  })
  .transform(String)
  .meta({
    description:
      'Person id, 5 to 20 digits: a string, or a JSON number up to 2^53 - 1; `guest_id` is accepted as an alias',
  });

const isQuantity = (v: string | number) => {
  const n = typeof v === 'number' ? v : /^\d{1,3}$/.test(v) ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= 100;
};

/** Body of `POST /guests`. Unknown keys (including `seq_num`) are stripped, never stored. */
export const GuestInputSchema = z
  .object(
    {
      id: PersonIdSchema,
      firstname: nameField('firstname'),
      surname: nameField('surname'),
      quantity: z
        .union([z.number(), z.string()], { error: fieldError('quantity', QUANTITY_RULE) })
        .refine(isQuantity, { error: fieldError('quantity', QUANTITY_RULE) })
        .transform((v) => String(Number(v)))
        .meta({ description: 'Number of people, an integer from 1 to 100 (number or numeric string)' }),
      phone: trimmedField('phone', [['must be 0 followed by 8 or 9 digits', (s) => PHONE.test(s)]]).meta({
        pattern: PHONE.source,
        description: 'Israeli phone number: 0 followed by 8 or 9 digits',
      }),
      email: trimmedField('email', [[EMAIL_RULE, (s) => s.length <= 254 && EMAIL.safeParse(s).success]]).meta(
        {
          format: 'email',
          maxLength: 254,
          description: 'Email address, at most 254 characters',
        },
      ),
    },
    { error: (issue) => `Invalid body: ${quote(issue.input)} must be a JSON object` },
  )
  .meta({ id: 'GuestInput' });

/** Validated guest fields, as stored (all strings). */
export type GuestInput = z.output<typeof GuestInputSchema>;

/** `guest_id` (old clients) stands for `id` when `id` is absent. */
function aliasGuestId(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  return record.id === undefined && record.guest_id !== undefined
    ? { ...record, id: record.guest_id }
    : record;
}

/** The body of `POST /guests` as validated by the route: the `guest_id` alias, then {@link GuestInputSchema}. */
export const GuestBodySchema = z.preprocess(aliasGuestId, GuestInputSchema);

/** A stored guest as returned by the API. */
export const GuestSchema = z
  .object({
    seq_num: z.string().meta({ description: 'Server-generated UUID' }),
    id: z.string(),
    firstname: z.string(),
    surname: z.string(),
    quantity: z.string(),
    phone: z.string(),
    email: z.string(),
  })
  .meta({ id: 'Guest' });

/** A stored guest. */
export type Guest = z.infer<typeof GuestSchema>;

/** The fields of a guest, in response order. */
export const GUEST_FIELDS = ['seq_num', 'id', 'firstname', 'surname', 'quantity', 'phone', 'email'] as const;

/** Error body used by every failing response. */
export const ErrorSchema = z
  .object({
    error: z.string(),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Every validation failure, in field order (POST /guests only)' }),
  })
  .meta({ id: 'Error' });

/** Outcome of {@link parseGuestInput}. */
export type GuestInputResult =
  | { readonly ok: true; readonly value: GuestInput }
  | { readonly ok: false; readonly message: string; readonly issues: { path: string; message: string }[] };

/** The response's issues and message for a failed validation: every issue, the first one as the message. */
export function describeIssues(error: z.ZodError): {
  message: string;
  issues: { path: string; message: string }[];
} {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return { message: issues[0]?.message ?? 'Invalid body', issues };
}

/** Validates a parsed JSON body: applies the `guest_id` alias, then the schema; names the first failure. */
export function parseGuestInput(body: unknown): GuestInputResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const message = `Invalid body: ${quote(body)} must be a JSON object`;
    return { ok: false, message, issues: [{ path: '', message }] };
  }
  const result = GuestBodySchema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, ...describeIssues(result.error) };
}
