// REST /v1's answers to input PostgREST cannot take, without a network: the database is a fake fetch that answers
// the way PostgREST does. sec19 (review19 L2): `GET /v1/clinics/%00` answered 500 INTERNAL — the NUL passed the
// path schema, PostgREST refused it (400 PGRST102) and every unexpected PostgREST status mapped to INTERNAL.
import assert from 'node:assert/strict';
import { createApiHandler } from './handler.ts';

interface Seen {
  readonly calls: string[];
}

/** A handler whose database answers every RPC with `status` and PostgREST's error body `err`. */
const withDb = (status: number, err: { code: string; message: string }) => {
  const seen: Seen = { calls: [] };
  const handler = createApiHandler({
    env: { get: (n: string) => ({ SUPABASE_URL: 'http://127.0.0.1:9', SUPABASE_ANON_KEY: 'anon' })[n] },
    fetch: (input: RequestInfo | URL) => {
      seen.calls.push(String(input instanceof Request ? input.url : input));
      return Promise.resolve(
        new Response(JSON.stringify({ ...err, details: null, hint: null }), {
          status,
          headers: { 'content-type': 'application/json' },
        }),
      );
    },
    log: { info: () => {}, warn: () => {}, error: () => {} } as never,
    nowSeconds: () => 1_800_000_000,
  });
  return { handler, seen };
};

const get = (path: string) => new Request(`http://127.0.0.1/functions/v1/api${path}`);

Deno.test('a control character in a path parameter is a coded 422 before any database call', async () => {
  for (const path of [
    '/v1/clinics/%00',
    '/v1/clinics/clinic%0Aa',
    '/v1/clinics/%7F',
    '/v1/visits/abcdefghijklmnop%00q',
  ]) {
    const { handler, seen } = withDb(400, { code: 'PGRST102', message: 'Empty or invalid json' });
    const r = await handler(get(path));
    const body = await r.json();
    assert.equal(r.status, 422, path);
    assert.equal(body.code, 'VALIDATION.FAILED', path);
    assert.deepEqual(seen.calls, [], path);
  }
});

Deno.test('PostgREST refusing the request (client-class) is the caller’s coded 4xx, never 500', async () => {
  const cases: [number, { code: string; message: string }, number, string][] = [
    [400, { code: 'PGRST102', message: 'Empty or invalid json' }, 422, 'VALIDATION.FAILED'],
    [400, { code: 'PGRST100', message: 'unexpected "x" expecting' }, 422, 'VALIDATION.FAILED'],
    [400, { code: '22P02', message: 'invalid input syntax for type uuid' }, 422, 'VALIDATION.FAILED'],
    [
      406,
      { code: 'PGRST116', message: 'JSON object requested, multiple (or no) rows returned' },
      404,
      'NOT_FOUND',
    ],
    [404, { code: 'PGRST202', message: 'Could not find the function' }, 404, 'NOT_FOUND'],
  ];
  for (const [status, err, want, code] of cases) {
    const { handler, seen } = withDb(status, err);
    const r = await handler(get('/v1/clinics/clinic-a'));
    const body = await r.json();
    assert.ok(
      seen.calls.some((c) => c.includes('/rest/v1/rpc/get_public_clinic')),
      err.code,
    );
    assert.equal(r.status, want, err.code);
    assert.equal(body.code, code, err.code);
    // the driver's text never reaches the caller
    assert.ok(!JSON.stringify(body).includes(err.message), err.code);
  }
});

Deno.test('a server failure stays a 5xx with no driver text', async () => {
  const { handler } = withDb(500, { code: 'XX000', message: 'internal driver text' });
  const r = await handler(get('/v1/clinics/clinic-a'));
  const body = await r.json();
  assert.equal(r.status, 500);
  assert.equal(body.code, 'INTERNAL');
  assert.ok(!JSON.stringify(body).includes('driver text'));
});

/** A handler whose database answers every RPC with `status` and `body`, recording each call's URL and body. */
const answering = (status: number, body: unknown) => {
  const seen: { url: string; body: string }[] = [];
  const handler = createApiHandler({
    env: { get: (n: string) => ({ SUPABASE_URL: 'http://127.0.0.1:9', SUPABASE_ANON_KEY: 'anon' })[n] },
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : null;
      seen.push({
        url: String(req ? req.url : input),
        body: req ? await req.text() : String(init?.body ?? ''),
      });
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    },
    log: { info: () => {}, warn: () => {}, error: () => {} } as never,
    nowSeconds: () => 1_800_000_000,
  });
  return { handler, seen };
};

const CLINIC = 'a0000000-0000-4000-8000-000000000001';
const TYPE = 'a2000000-0000-4000-8000-000000000001';
const DOCTOR = 'a1000000-0000-4000-8000-000000000003';
const slotsOf = (query: string) => get(`/v1/clinics/${CLINIC}/slots?from=2026-12-10&${query}`);

Deno.test('doctor20: /slots?practitionerId asks get_free_slots for that doctor’s slots', async () => {
  const slot = { start: '2026-12-10T09:00:00.000Z', end: '2026-12-10T09:20:00.000Z', remaining: 1 };
  const { handler, seen } = answering(200, [slot]);
  const r = await handler(slotsOf(`visitTypeId=${TYPE}&practitionerId=${DOCTOR}`));
  assert.equal(r.status, 200);
  assert.deepEqual((await r.json()).data, [slot]);
  assert.equal(seen.length, 1);
  assert.match(seen[0]!.url, /\/rest\/v1\/rpc\/get_free_slots$/);
  assert.deepEqual(JSON.parse(seen[0]!.body), {
    p_clinic_id: CLINIC,
    p_from: '2026-12-10',
    p_to: null,
    p_appointment_type_id: TYPE,
    p_practitioner_id: DOCTOR,
  });
});

Deno.test('doctor20: /slots without a doctor is any doctor’s (no p_practitioner_id)', async () => {
  const { handler, seen } = answering(200, []);
  const r = await handler(slotsOf(`visitTypeId=${TYPE}`));
  assert.equal(r.status, 200);
  assert.equal('p_practitioner_id' in JSON.parse(seen[0]!.body), false);
});

Deno.test(
  'doctor20: a doctor who does not offer the type is 422, one of another clinic 404 — coded',
  async () => {
    for (const [db, status, code] of [
      [
        { code: 'PT422', message: 'BOOKING.PRACTITIONER_NOT_OFFERED' },
        422,
        'BOOKING.PRACTITIONER_NOT_OFFERED',
      ],
      [{ code: 'PT404', message: 'NOT_FOUND' }, 404, 'NOT_FOUND'],
    ] as const) {
      const { handler } = answering(Number(db.code.slice(2)), { ...db, details: db.message, hint: null });
      const r = await handler(slotsOf(`visitTypeId=${TYPE}&practitionerId=${DOCTOR}`));
      const body = await r.json();
      assert.equal(r.status, status, code);
      assert.equal(body.code, code);
    }
  },
);

Deno.test('doctor20: a malformed practitionerId is a coded 422 before any database call', async () => {
  for (const bad of ['not-a-uuid', `${DOCTOR}'--`, '%00']) {
    const { handler, seen } = answering(200, []);
    const r = await handler(slotsOf(`practitionerId=${bad}`));
    assert.equal(r.status, 422, bad);
    assert.equal((await r.json()).code, 'VALIDATION.FAILED', bad);
    assert.deepEqual(seen, [], bad);
  }
});
