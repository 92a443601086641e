import { describe, expect, it } from 'vitest';
import { validGuest } from '../../test/harness';
import { parseGuestInput } from './guest';

const messageOf = (body: unknown) => {
  const result = parseGuestInput(body);
  return result.ok ? 'ok' : result.message;
};

describe('parseGuestInput', () => {
  it('should accept a valid guest and store every field as a string', () => {
    expect(parseGuestInput(validGuest({ id: 12345, quantity: 3 }))).toEqual({
      ok: true,
      value: {
        id: '12345',
        firstname: 'Dana',
        surname: 'Levi',
        quantity: '3',
        phone: '0501234567',
        email: 'dana@example.com',
      },
    });
  });

  it.each(['id', 'firstname', 'surname', 'quantity', 'phone', 'email'])(
    'should name the missing field %s',
    (field) => {
      const body: Record<string, unknown> = validGuest();
      delete body[field];
      expect(messageOf(body)).toBe(`Missing field: ${field}`);
    },
  );

  it('should name the first failing field in field order and list every issue', () => {
    const result = parseGuestInput({ firstname: 'A', quantity: 0 });
    expect(result).toMatchObject({ ok: false, message: 'Missing field: id' });
    if (result.ok) throw new Error('expected failure');
    expect(result.issues.map((i) => i.path)).toEqual(['id', 'surname', 'quantity', 'phone', 'email']);
  });

  it('should accept guest_id as an alias of id, and prefer id when both are sent', () => {
    expect(parseGuestInput({ ...validGuest({ id: undefined }), guest_id: 55555 })).toMatchObject({
      ok: true,
      value: { id: '55555' },
    });
    expect(parseGuestInput({ ...validGuest({ id: '66666' }), guest_id: '55555' })).toMatchObject({
      ok: true,
      value: { id: '66666' },
    });
  });

  it.each([
    ['1234', `Invalid field: 'id' ("1234") must be 5 to 20 digits`],
    ['123456789012345678901', `Invalid field: 'id' ("123456789012345678901") must be 5 to 20 digits`],
    ['12a45', `Invalid field: 'id' ("12a45") must be 5 to 20 digits`],
    [-12345, `Invalid field: 'id' (-12345) must be 5 to 20 digits`],
    [123.45, `Invalid field: 'id' (123.45) must be 5 to 20 digits`],
    [true, `Invalid field: 'id' (true) must be 5 to 20 digits`],
    [null, `Invalid field: 'id' (null) must be 5 to 20 digits`],
  ])('should reject id %j', (id, message) => {
    expect(messageOf(validGuest({ id }))).toBe(message);
  });

  it.each([
    [0, `Invalid field: 'quantity' (0) must be an integer from 1 to 100`],
    [101, `Invalid field: 'quantity' (101) must be an integer from 1 to 100`],
    [1.5, `Invalid field: 'quantity' (1.5) must be an integer from 1 to 100`],
    [-1, `Invalid field: 'quantity' (-1) must be an integer from 1 to 100`],
    ['two', `Invalid field: 'quantity' ("two") must be an integer from 1 to 100`],
    [[], `Invalid field: 'quantity' ([]) must be an integer from 1 to 100`],
  ])('should reject quantity %j', (quantity, message) => {
    expect(messageOf(validGuest({ quantity }))).toBe(message);
  });

  it('should accept quantity bounds 1 and 100, as number or string', () => {
    expect(parseGuestInput(validGuest({ quantity: 1 }))).toMatchObject({
      ok: true,
      value: { quantity: '1' },
    });
    expect(parseGuestInput(validGuest({ quantity: '100' }))).toMatchObject({
      ok: true,
      value: { quantity: '100' },
    });
  });

  it.each([
    ['501234567', `Invalid field: 'phone' ("501234567") must be 0 followed by 8 or 9 digits`],
    ['0501234', `Invalid field: 'phone' ("0501234") must be 0 followed by 8 or 9 digits`],
    ['05012345678', `Invalid field: 'phone' ("05012345678") must be 0 followed by 8 or 9 digits`],
    ['050-1234567', `Invalid field: 'phone' ("050-1234567") must be 0 followed by 8 or 9 digits`],
    [501234567, `Invalid field: 'phone' (501234567) must be a string`],
  ])('should reject phone %j', (phone, message) => {
    expect(messageOf(validGuest({ phone }))).toBe(message);
  });

  it('should accept 9- and 10-digit phones', () => {
    expect(messageOf(validGuest({ phone: '031234567' }))).toBe('ok');
    expect(messageOf(validGuest({ phone: '0501234567' }))).toBe('ok');
  });

  it.each([
    [
      'not-an-email',
      `Invalid field: 'email' ("not-an-email") must be a valid email address of at most 254 characters`,
    ],
    ['a@b', `Invalid field: 'email' ("a@b") must be a valid email address of at most 254 characters`],
    [
      `${'a'.repeat(250)}@b.co`,
      `Invalid field: 'email' ("${'a'.repeat(59)}...) must be a valid email address of at most 254 characters`,
    ],
  ])('should reject email %j', (email, message) => {
    expect(messageOf(validGuest({ email }))).toBe(message);
  });

  it('should trim names and reject blank, too long and control characters', () => {
    expect(parseGuestInput(validGuest({ firstname: '  Dana  ' }))).toMatchObject({
      ok: true,
      value: { firstname: 'Dana' },
    });
    expect(messageOf(validGuest({ firstname: '   ' }))).toBe(
      `Invalid field: 'firstname' ("   ") must be 1 to 100 characters after trimming`,
    );
    expect(messageOf(validGuest({ surname: 'x'.repeat(101) }))).toBe(
      `Invalid field: 'surname' ("${'x'.repeat(59)}...) must be 1 to 100 characters after trimming`,
    );
    expect(messageOf(validGuest({ surname: 'ל'.repeat(100) }))).toBe('ok');
    expect(messageOf(validGuest({ firstname: 'Da\u0000na' }))).toBe(
      `Invalid field: 'firstname' ("Da\\u0000na") must not contain control characters`,
    );
    expect(messageOf(validGuest({ surname: 'Le\nvi' }))).toBe(
      `Invalid field: 'surname' ("Le\\nvi") must not contain control characters`,
    );
    expect(messageOf(validGuest({ firstname: 7 }))).toBe(`Invalid field: 'firstname' (7) must be a string`);
  });

  it('should quote every trimmed field as it was sent, not as trimmed', () => {
    expect(messageOf(validGuest({ phone: ' 12 ' }))).toBe(
      `Invalid field: 'phone' (" 12 ") must be 0 followed by 8 or 9 digits`,
    );
    expect(messageOf(validGuest({ email: '  a@b ' }))).toBe(
      `Invalid field: 'email' ("  a@b ") must be a valid email address of at most 254 characters`,
    );
    expect(parseGuestInput(validGuest({ phone: ' 0501234567 ', email: ' d@example.com ' }))).toMatchObject({
      ok: true,
      value: { phone: '0501234567', email: 'd@example.com' },
    });
  });

  it('should drop unknown fields and a client-sent seq_num', () => {
    const result = parseGuestInput(validGuest({ seq_num: 'mine', admin: true, __proto__x: 1 }));
    expect(result.ok && Object.keys(result.value).sort()).toEqual([
      'email',
      'firstname',
      'id',
      'phone',
      'quantity',
      'surname',
    ]);
  });

  it.each([
    [[1], 'Invalid body: [1] must be a JSON object'],
    [null, 'Invalid body: null must be a JSON object'],
    ['text', 'Invalid body: "text" must be a JSON object'],
  ])('should reject a body that is not an object: %j', (body, message) => {
    expect(messageOf(body)).toBe(message);
  });
});
