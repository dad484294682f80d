// Deno unit tests of the pure parts of REST /v1: routing, cursors, problems, credentials, and the
// generated OpenAPI document against the route table (a route and the document cannot disagree).
import assert from 'node:assert/strict';
import {
  API_KEY_PATTERN,
  keyIdentityClaims,
  presented,
  scopeAllows,
  sha256Hex,
  signJwt,
  unverifiedClaims,
} from './credentials.ts';
import { forwardedClient, parseIfMatch } from './handler.ts';
import { buildOpenApi } from './openapi.ts';
import { ErrorCodes } from '../../../src/services/shared/AppError.ts';
import { ApiCodes, problemBody, problemFromError, STATUS_BY_CODE, statusForCode } from './problem.ts';
import { apiPath, createRouter, cursorVersion, decodeCursor, encodeCursor, paginate } from './router.ts';
import { ROUTES } from './routes.ts';

const C = '11111111-1111-4111-8111-111111111111';
const E = '22222222-2222-4222-8222-222222222222';
const route = createRouter(ROUTES);

Deno.test('apiPath strips the function mount, whatever the host passes', () => {
  assert.equal(apiPath('/functions/v1/api/v1/clinics/x'), '/v1/clinics/x');
  assert.equal(apiPath('/api/v1/clinics/x/'), '/v1/clinics/x');
  assert.equal(apiPath('/api'), '/');
  assert.equal(apiPath('/v1/docs'), '/v1/docs');
});

Deno.test('router: path parameters, 405 with Allow, 404, no partial matches', () => {
  const m = route('POST', `/v1/clinics/${C}/queue/entries/${E}/start`);
  assert.equal(m.kind, 'found');
  if (m.kind === 'found') {
    assert.equal(m.route.operationId, 'startVisit');
    assert.deepEqual(m.params, { clinicId: C, entryId: E });
  }
  const wrong = route('GET', `/v1/clinics/${C}/queue/call-next`);
  assert.deepEqual(wrong, { kind: 'methodNotAllowed', allow: ['POST'] });
  assert.deepEqual(route('GET', `/v1/clinics/${C}/queue/extra`), { kind: 'notFound' });
  assert.deepEqual(route('GET', `/v1/visits`), { kind: 'notFound' });
  // /v1/clinics is the directory search (feat21b), a route of its own, not a prefix of /v1/clinics/{clinic}
  const dir = route('GET', '/v1/clinics');
  assert.equal(dir.kind === 'found' && dir.route.operationId, 'searchClinicDirectory');
  assert.deepEqual(route('GET', `/v1/clinics/${C}/queue/entries`), {
    kind: 'methodNotAllowed',
    allow: ['POST'],
  });
  const enc = route('GET', '/v1/clinics/caf%C3%A9');
  assert.equal(enc.kind === 'found' && enc.params['clinic'], 'café');
  assert.deepEqual(route('GET', '/v1/clinics/%E0%A4%A'), { kind: 'notFound' });
});

Deno.test('cursors are opaque offsets; anything forged is rejected; pages have no gaps or repeats', () => {
  assert.equal(decodeCursor(undefined), 0);
  assert.equal(decodeCursor(encodeCursor(40)), 40);
  assert.equal(decodeCursor('zzz'), null);
  assert.equal(decodeCursor(btoa(JSON.stringify({ o: -1 }))), null);
  const items = Array.from({ length: 7 }, (_, i) => i);
  const seen: number[] = [];
  let offset: number | null = 0;
  while (offset !== null) {
    const p: { data: number[]; nextCursor: string | null } = paginate(items, offset, 3);
    seen.push(...p.data);
    offset = p.nextCursor === null ? null : decodeCursor(p.nextCursor);
  }
  assert.deepEqual(seen, items);
});

Deno.test('a queue page cursor carries the queue version it was read on; a slot cursor carries none', () => {
  const items = Array.from({ length: 5 }, (_, i) => i);
  const q = paginate(items, 0, 2, 17);
  assert.equal(cursorVersion(q.nextCursor ?? undefined), 17);
  assert.equal(decodeCursor(q.nextCursor ?? undefined), 2);
  const slots = paginate(items, 0, 2);
  assert.equal(cursorVersion(slots.nextCursor ?? undefined), null);
  assert.equal(cursorVersion(undefined), null);
  assert.equal(cursorVersion('zzz'), null);
  assert.equal(cursorVersion(btoa(JSON.stringify({ o: 2, v: -3 }))), null);
});

Deno.test(
  'problems: every code of the catalogue and of the gateway has an HTTP status in the one table',
  () => {
    // A new ErrorCodes entry without a row in STATUS_BY_CODE fails here (and in deno check: the table is total).
    const catalogue = [...Object.values(ErrorCodes), ...Object.values(ApiCodes)];
    const missing = catalogue.filter((c) => !Object.prototype.hasOwnProperty.call(STATUS_BY_CODE, c));
    assert.deepEqual(missing, []);
    for (const c of catalogue) {
      const s = statusForCode(c);
      assert.ok([400, 401, 403, 404, 405, 409, 410, 412, 422, 429, 500, 503].includes(s), `${c} → ${s}`);
    }
    // and the table names nothing that is not a code (a renamed code leaves no stale row behind)
    assert.deepEqual(
      Object.keys(STATUS_BY_CODE).filter((c) => !(catalogue as string[]).includes(c)),
      [],
    );
  },
);

Deno.test('problems: not found / conflict / rule refusal / stale are told apart', () => {
  // 404: nothing there for the caller (another clinic's ids look the same)
  for (const c of ['NOT_FOUND', 'QUEUE.ENTRY_NOT_FOUND', 'API.ROUTE_NOT_FOUND'])
    assert.equal(statusForCode(c), 404, c);
  // 409: a real conflict with the current state
  for (const c of [
    'BOOKING.SLOT_FULL',
    'QUEUE.ILLEGAL_TRANSITION',
    'QUEUE.CURSOR_STALE',
    'IDEMPOTENCY.IN_PROGRESS',
  ])
    assert.equal(statusForCode(c), 409, c);
  // 422: a rule refuses the request itself
  for (const c of [
    'BOOKING.CANCEL_TOO_LATE',
    'BOOKING.RESCHEDULE_TOO_LATE',
    'BOOKING.TOO_SOON',
    'BOOKING.BEYOND_HORIZON',
    'BOOKING.CLINIC_CLOSED',
    'BOOKING.SLOT_UNAVAILABLE',
    'BOOKING.RESCHEDULE_SAME_SLOT',
    'WEBHOOK.URL_PRIVATE',
  ])
    assert.equal(statusForCode(c), 422, c);
  // sec25: a landline where a mobile is needed has its own code (a landline is local: not COUNTRY_NOT_ALLOWED)
  assert.equal(statusForCode('PHONE.NOT_MOBILE'), 422);
  assert.equal(statusForCode('PHONE.COUNTRY_NOT_ALLOWED'), 422);
  const landline = problemFromError({ code: 'PHONE.NOT_MOBILE', message: 'this number is a landline' });
  assert.equal(landline.status, 422);
  assert.equal(problemBody(landline).code, 'PHONE.NOT_MOBILE');
  assert.equal(statusForCode('QUEUE.VERSION_STALE'), 412);
  assert.equal(statusForCode('VALIDATION.MALFORMED_JSON'), 400);
  assert.equal(statusForCode('API.NOT_CONFIGURED'), 503);
  // a server invariant is a 500 and its message is never sent
  const inv = problemFromError({ code: 'QUEUE.EVENT_MISMATCH', message: 'insert into queue_events …' });
  assert.equal(inv.status, 500);
  assert.equal(inv.detail, 'The request could not be completed.');
});

Deno.test('problems: stable statuses per code, RFC 9457 body, no SQL or stack in details', () => {
  assert.equal(statusForCode('BOOKING.SLOT_FULL'), 409);
  assert.equal(statusForCode('QUEUE.ILLEGAL_TRANSITION'), 409);
  assert.equal(statusForCode('QUEUE.ENTRY_NOT_FOUND'), 404);
  assert.equal(statusForCode('VALIDATION.FAILED'), 422);
  assert.equal(statusForCode('QUEUE.VERSION_STALE'), 412);
  assert.equal(statusForCode('AUTH.REQUIRED'), 401);
  assert.equal(statusForCode('AUTH.INVALID_KEY'), 401);
  assert.equal(statusForCode('AUTH.SCOPE_MISSING'), 403);
  assert.equal(statusForCode('RATE.LIMITED'), 429);
  assert.equal(statusForCode('TEMPLATE.UNKNOWN_VARIABLE'), 422);
  assert.equal(statusForCode('TEMPLATE.EMPTY'), 422);
  assert.equal(statusForCode('IDEMPOTENCY.KEY_REQUIRED'), 400);
  assert.equal(statusForCode('SOMETHING.NEW'), 500);
  const body = problemBody({ status: 409, code: 'BOOKING.SLOT_FULL', detail: 'full' }, '/v1/bookings');
  assert.deepEqual(body, {
    type: 'https://queuemed.org/problems/booking-slot-full',
    title: 'Conflict',
    status: 409,
    code: 'BOOKING.SLOT_FULL',
    detail: 'full',
    instance: '/v1/bookings',
  });
  const sql = problemFromError({
    code: 'VALIDATION.FAILED',
    message: 'insert into public.x failed: relation "x"',
  });
  assert.equal(sql.detail, undefined);
  const internal = problemFromError({ code: 'INTERNAL', message: 'connection refused at 10.0.0.3' });
  assert.equal(internal.status, 500);
  assert.equal(internal.detail, 'The request could not be completed.');
  const issues = problemFromError({
    code: 'VALIDATION.FAILED',
    message: 'Invalid input',
    details: { issues: [{ path: 'from', message: 'bad' }] },
  });
  assert.deepEqual(issues.issues, [{ path: 'from', message: 'bad' }]);
});

Deno.test('If-Match: a version, quoted or weak; anything else is malformed (null), absent is absent', () => {
  assert.equal(parseIfMatch('"12"'), 12);
  assert.equal(parseIfMatch('W/"3"'), 3);
  assert.equal(parseIfMatch('7'), 7);
  assert.equal(parseIfMatch(null), 'absent');
  assert.equal(parseIfMatch(''), 'absent');
  assert.equal(parseIfMatch('"1", "2"'), null);
  assert.equal(parseIfMatch('*'), null);
});

Deno.test('credentials: key, JWT, none, malformed; scopes; SHA-256 of a key', async () => {
  const key = `qmk_${'ab'.repeat(32)}`;
  assert.ok(API_KEY_PATTERN.test(key));
  assert.deepEqual(presented(new Headers({ authorization: `Bearer ${key}` })), { kind: 'key', key });
  assert.deepEqual(presented(new Headers({ 'x-api-key': key })), { kind: 'key', key });
  assert.deepEqual(presented(new Headers({ authorization: 'Bearer qmk_short' })), { kind: 'malformed' });
  assert.deepEqual(presented(new Headers({ authorization: 'Basic abc' })), { kind: 'malformed' });
  assert.deepEqual(presented(new Headers()), { kind: 'none' });
  assert.deepEqual(presented(new Headers({ authorization: 'Bearer a.b.c' })), {
    kind: 'jwt',
    token: 'a.b.c',
  });
  assert.equal(scopeAllows(['read'], 'read'), true);
  assert.equal(scopeAllows(['queue'], 'read'), true);
  assert.equal(scopeAllows(['read'], 'queue'), false);
  assert.equal(scopeAllows(['bookings'], 'queue'), false);
  assert.equal(scopeAllows(['admin'], 'bookings'), true);
  assert.equal(scopeAllows([], 'read'), false);
  // the database's encode(sha256(convert_to(key,'UTF8')),'hex') — the same function of the same bytes
  assert.equal(await sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

Deno.test('a minted key token is an HS256 JWT for the key identity, verifiable with the secret', async () => {
  const claims = keyIdentityClaims({ userId: 'u1', keyId: 'k1', clinicId: C });
  const t = await signJwt('secret-secret-secret-secret-secret', claims, 1_000, 300);
  const [h, p, s] = t.split('.');
  assert.deepEqual(unverifiedClaims(t), { ...claims, iat: 1_000, exp: 1_300 });
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode('secret-secret-secret-secret-secret'),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const sig = Uint8Array.from(atob(s!.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
  assert.ok(await crypto.subtle.verify('HMAC', key, sig, new TextEncoder().encode(`${h}.${p}`)));
  assert.equal(JSON.parse(atob(h!)).alg, 'HS256');
});

Deno.test('the OpenAPI document has exactly the routes, each with its success and documented errors', () => {
  const doc = buildOpenApi('http://x/functions/v1/api') as {
    openapi: string;
    paths: Record<
      string,
      Record<
        string,
        {
          operationId: string;
          responses: Record<string, unknown>;
          parameters: { name: string; in: string }[];
        }
      >
    >;
    components: { schemas: Record<string, unknown> };
  };
  assert.equal(doc.openapi, '3.1.0');
  const documented = Object.entries(doc.paths)
    .flatMap(([p, ops]) => Object.entries(ops).map(([m, o]) => `${m.toUpperCase()} ${p} ${o.operationId}`))
    .sort();
  assert.deepEqual(documented, ROUTES.map((r) => `${r.method} ${r.path} ${r.operationId}`).sort());
  for (const r of ROUTES) {
    const op = doc.paths[r.path]![r.method.toLowerCase()]!;
    assert.ok(op.responses[String(r.status)], `${r.operationId} success`);
    for (const e of r.errors) assert.ok(op.responses[String(e)], `${r.operationId} ${e}`);
    if (r.access !== 'public')
      for (const e of [401, 403, 429]) assert.ok(op.responses[String(e)], `${r.operationId} ${e}`);
    // every path parameter of the template is documented, and only those
    const names = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(
      op.parameters
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort(),
      names,
      r.operationId,
    );
    if (r.method === 'POST')
      assert.ok(
        op.parameters.some((p) => p.name === 'Idempotency-Key'),
        r.operationId,
      );
    // every route is matched by the router under its own template
    const concrete = r.path.replace(/\{(\w+)\}/g, C);
    const m = route(r.method, concrete);
    assert.equal(m.kind === 'found' && m.route.operationId, r.operationId);
  }
  // every $ref resolves
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  for (const ref of refs) assert.ok(doc.components.schemas[ref], ref);
});

Deno.test('apiaddr18: forwardedClient names the gateway’s client address only with the stack secret', () => {
  const req = (h: Record<string, string>) =>
    new Request('http://127.0.0.1/functions/v1/api/v1/bookings', { headers: h });
  assert.deepEqual(forwardedClient(req({ 'x-queuemed-client-address': ' 203.0.113.5 ' }), 's3cret'), {
    'x-queuemed-client-address': '203.0.113.5',
    'x-queuemed-forward-secret': 's3cret',
  });
  // no secret configured (hosted Supabase), or no address: nothing forwarded
  assert.equal(forwardedClient(req({ 'x-queuemed-client-address': '203.0.113.5' }), ''), undefined);
  assert.equal(forwardedClient(req({}), 's3cret'), undefined);
});
