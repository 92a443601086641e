import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, validGuest } from '../../test/harness';

describe('/guests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('should create a guest (201) with a server UUID, ignoring seq_num and unknown fields', async () => {
    const res = await h.post(validGuest({ id: '300001', seq_num: 'chosen-by-client', role: 'admin' }));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({
      message: 'Guest created successfully',
      guest: {
        seq_num: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        id: '300001',
        firstname: 'Dana',
        surname: 'Levi',
        quantity: '2',
        phone: '0501234567',
        email: 'dana@example.com',
      },
    });
    const read = await h.app.request(`/guests/${body.guest.seq_num}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(body.guest);
    expect(await h.store.get('chosen-by-client')).toBeUndefined();
  });

  it('should accept guest_id as an alias of id', async () => {
    const res = await h.post({ ...validGuest({ id: undefined }), guest_id: 300002 });
    expect(res.status).toBe(201);
    expect((await res.json()).guest.id).toBe('300002');
  });

  it('should answer 409 for a second guest with the same person id, naming the id', async () => {
    expect((await h.post(validGuest({ id: '300003' }))).status).toBe(201);
    const res = await h.post(validGuest({ id: '300003', firstname: 'Other' }));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: "Guest with id '300003' already exists; person ids must be unique",
    });
  });

  it('should let exactly one of 16 concurrent POSTs with one id win, and delete free the id', async () => {
    const before = await h.store.count();
    const responses = await Promise.all(
      Array.from({ length: 16 }, () => h.post(validGuest({ id: '300004' }))),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(15).fill(409)]);
    expect(await h.store.count()).toBe(before + 1);
    const page = await (await h.app.request('/guests')).json();
    const stored = Object.values(page as Record<string, { id: string; seq_num: string }>).filter(
      (g) => g.id === '300004',
    );
    expect(stored).toHaveLength(1);
    const seqNum = stored[0]?.seq_num ?? '';
    const del = await h.app.request(`/guests/${seqNum}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ msg: `Guest ${seqNum} deleted successfully` });
    expect((await h.post(validGuest({ id: '300004' }))).status).toBe(201);
  });

  it('should answer 400 with the first failure and all issues', async () => {
    const res = await h.post({ id: '12', firstname: 'A' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: `Invalid field: 'id' ("12") must be 5 to 20 digits`,
      issues: [
        { path: 'id', message: `Invalid field: 'id' ("12") must be 5 to 20 digits` },
        { path: 'surname', message: 'Missing field: surname' },
        { path: 'quantity', message: 'Missing field: quantity' },
        { path: 'phone', message: 'Missing field: phone' },
        { path: 'email', message: 'Missing field: email' },
      ],
    });
  });

  it('should answer 400 for malformed JSON', async () => {
    const res = await h.post('{"id": "12345",');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Malformed JSON in request body' });
  });

  it('should answer 415 for a body that is not application/json', async () => {
    const res = await h.app.request('/guests', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'id=12345',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: 'Content-Type must be application/json' });
    const none = await h.app.request('/guests', { method: 'POST', body: new Uint8Array([1]) });
    expect(none.status).toBe(415);
    expect(await none.json()).toEqual({ error: 'Content-Type must be application/json' });
  });

  it('should accept application/json with a charset parameter', async () => {
    const res = await h.post(validGuest({ id: '300005' }), {
      'Content-Type': 'application/json; charset=utf-8',
    });
    expect(res.status).toBe(201);
  });

  it('should answer 413 for a 2 MiB body before parsing and store nothing', async () => {
    const before = await h.store.count();
    const big = JSON.stringify(validGuest({ id: '300006', firstname: 'x'.repeat(2 * 1024 * 1024) }));
    const declared = await h.post(big, { 'Content-Length': String(Buffer.byteLength(big)) });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: 'Request body too large: more than 16384 bytes' });
    // Streamed without Content-Length (chunked): counted while reading.
    const chunks = [
      new TextEncoder().encode(big.slice(0, 10_000)),
      new TextEncoder().encode(big.slice(10_000)),
    ];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const streamed = await h.app.request('/guests', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toEqual({ error: 'Request body too large: more than 16384 bytes' });
    expect(await h.store.count()).toBe(before);
  });

  it('should accept a body of exactly 16 KiB and refuse one byte more', async () => {
    const body = JSON.stringify(validGuest({ id: '300007' }));
    const padded = (size: number) => body.replace('{', `{"pad":"${'p'.repeat(size - body.length - 9)}",`);
    expect(Buffer.byteLength(padded(16_384))).toBe(16_384);
    expect((await h.post(padded(16_385))).status).toBe(413);
    expect((await h.post(padded(16_384))).status).toBe(201);
  });

  it('should refuse an id sent as a JSON number beyond 2^53 - 1, naming id, and store nothing', async () => {
    const before = await h.store.count();
    const res = await h.post(
      '{"id": 12345678901234567891, "firstname": "Dana", "surname": "Levi", "quantity": 2, "phone": "0501234567", "email": "dana@example.com"}',
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe(
      "Invalid field: 'id' (12345678901234567000) is a JSON number above 9007199254740991 (2^53 - 1), which cannot be stored exactly; send it as a string of 5 to 20 digits",
    );
    expect(body.issues).toEqual([{ path: 'id', message: body.error }]);
    expect(await h.store.count()).toBe(before);
  });

  it('should keep 20-digit ids exact: two ids that differ in the last digit are two guests', async () => {
    const a = await h.post(validGuest({ id: '12345678901234567891' }));
    const b = await h.post(validGuest({ id: '12345678901234567892' }));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await a.json()).guest.id).toBe('12345678901234567891');
    expect((await b.json()).guest.id).toBe('12345678901234567892');
    const safe = await h.post(validGuest({ id: 9007199254740991 }));
    expect(safe.status).toBe(201);
    expect((await safe.json()).guest.id).toBe('9007199254740991');
  });

  it.each([
    ['PUT', '/guests', 'GET, HEAD, POST'],
    ['PATCH', '/guests/abc', 'DELETE, GET, HEAD'],
    ['POST', '/guests/abc', 'DELETE, GET, HEAD'],
    ['DELETE', '/guests', 'GET, HEAD, POST'],
    ['POST', '/health', 'GET, HEAD'],
    ['DELETE', '/', 'GET, HEAD'],
  ])('should answer 405 with Allow to %s %s', async (method, path, allow) => {
    const before = await h.store.count();
    const res = await h.app.request(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe(allow);
    expect(await res.json()).toEqual({
      error: `Method ${method} is not allowed on ${path}; allowed: ${allow}`,
    });
    expect(await h.store.count()).toBe(before);
  });

  it('should answer 404 for unknown keys and for keys of the guard table', async () => {
    for (const key of ['no-such-guest', encodeURIComponent('person#300001'), encodeURIComponent('count#0')]) {
      const res = await h.app.request(`/guests/${key}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: `Guest with seq_num '${decodeURIComponent(key)}' not found`,
      });
      const del = await h.app.request(`/guests/${key}`, { method: 'DELETE' });
      expect(del.status).toBe(404);
    }
  });

  it('should answer 404 for a seq_num longer than DynamoDB keys can be', async () => {
    const key = 'k'.repeat(3000);
    const res = await h.app.request(`/guests/${key}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: `Guest with seq_num '${'k'.repeat(200)}' not found` });
    expect((await h.app.request(`/guests/${key}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('should answer 404 with a JSON error for an unknown route', async () => {
    const res = await h.app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Route GET /nope not found' });
  });
});

describe('GET /guests paging', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
    for (let batch = 0; batch < 2; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => h.post(validGuest({ id: String(400000 + batch * 10 + i) }))),
      );
    }
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('should follow X-Next-Cursor and Link until every guest was seen once', async () => {
    const seen: string[] = [];
    let next: string | undefined = '/guests?limit=7';
    let pages = 0;
    while (next !== undefined) {
      const res = await h.app.request(next);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, { seq_num: string }>;
      for (const [key, guest] of Object.entries(body)) {
        expect(guest.seq_num).toBe(key);
        seen.push(key);
      }
      const cursor = res.headers.get('X-Next-Cursor');
      const link = res.headers.get('Link');
      if (cursor === null) {
        expect(link).toBeNull();
        next = undefined;
      } else {
        expect(link).toBe(`</guests?limit=7&cursor=${cursor}>; rel="next"`);
        next = link?.slice(1, link.indexOf('>'));
      }
      pages++;
    }
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
    expect(pages).toBe(3);
  });

  it.each(['0', '1001', 'abc', '-1', '1.5', ''])('should answer 400 for limit=%j', async (limit) => {
    const res = await h.app.request(`/guests?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: `Invalid limit: '${limit}' must be an integer from 1 to 1000`,
    });
  });

  it.each(['garbage!', 'eyJ4IjoxfQ', ''])('should answer 400 for cursor=%j', async (cursor) => {
    const res = await h.app.request(`/guests?cursor=${cursor}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: `Invalid cursor: '${cursor}' is not a cursor returned by GET /guests`,
    });
  });
});
