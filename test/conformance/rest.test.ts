// PostgREST conformance: RPC calls and table reads through the real supabase-js client, plus the raw
// HTTP edge cases (apikey, JWT, malformed JSON, body limits), on PGlite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../supabase/local/keys';
import { KINDS, assertNoLeak, call, startTestStack, type TestStack } from './harness';

describe.each(KINDS)('REST on %s', (kind) => {
  let t: TestStack;
  let userToken: string;
  beforeAll(async () => {
    t = await startTestStack(kind);
    const c = t.client();
    const { data, error } = await c.auth.signUp({
      email: `rest-${kind}@example.test`,
      password: 'secret-pass',
    });
    expect(error).toBeNull();
    userToken = data.session?.access_token ?? '';
    const service = await call(t.stack, '/rest/v1/rpc/cf_join', {
      method: 'POST',
      apikey: t.stack.serviceKey,
      body: JSON.stringify({ p_user: data.user?.id, p_clinic: 1 }),
    });
    expect(service.status).toBe(204);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('calls a function with named arguments and defaults; scalar results are JSON scalars', async () => {
    const c = t.client();
    expect(await c.rpc('cf_add', { a: 2, b: 3 })).toMatchObject({ data: 5, error: null, status: 200 });
    expect((await c.rpc('cf_add', { a: 2 })).data).toBe(3);
    const echo = await c.rpc('cf_echo', { msg: 'salam "x"', tags: ['a', 'b,c'] });
    expect(echo.data).toEqual({ msg: 'salam "x"', tags: ['a', 'b,c'] });
  });

  it("arguments arrive exactly as sent, quotes, backslashes and all (PostgreSQL's one-round-trip path inlines them)", async () => {
    const c = t.client();
    const msg = `it's \\'; select 1; -- $1 $$ \\x00 "q" \u00e9\u0645 \n\t end\\`;
    const echo = await c.rpc('cf_echo', { msg, tags: ["o'k", 'back\\slash', '$2'] });
    expect(echo.error).toBeNull();
    expect(echo.data).toEqual({ msg, tags: ["o'k", 'back\\slash', '$2'] });
    const got = await c.rpc('cf_echo', { msg }, { get: true });
    expect(got.data).toEqual({ msg, tags: [] });
  });

  it('supports GET calls with query arguments', async () => {
    const c = t.client();
    expect((await c.rpc('cf_add', { a: 40, b: 2 }, { get: true })).data).toBe(42);
  });

  it('GET calls run read-only: a function that writes answers 405 (25006), as PostgREST', async () => {
    const r = await call(t.stack, '/rest/v1/rpc/cf_ticket_add?p_clinic=3&p_label=G', {
      apikey: t.stack.serviceKey,
    });
    expect(r.status).toBe(405);
    expect(r.json).toMatchObject({ code: '25006' });
  });

  it('runs as the caller: anon without a session, the user with one (auth.uid())', async () => {
    const anon = await t.client().rpc('cf_whoami');
    expect(anon.data).toEqual({ uid: null, role: 'anon', method: 'POST' });
    const res = await call(t.stack, '/rest/v1/rpc/cf_whoami', {
      method: 'POST',
      token: userToken,
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ role: 'authenticated' });
    expect((res.json as { uid: string }).uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('void functions answer 204 without a body', async () => {
    const r = await t.client().rpc('cf_void');
    expect(r).toMatchObject({ status: 204, data: null, error: null });
  });

  it('returns composite results as an object and setof results as an array, with filters/order/limit', async () => {
    const svc = await call(t.stack, '/rest/v1/rpc/cf_ticket_add', {
      method: 'POST',
      apikey: t.stack.serviceKey,
      body: JSON.stringify({ p_clinic: 7, p_label: 'A1' }),
    });
    expect(svc.status).toBe(200);
    expect(svc.json).toMatchObject({ clinic_id: 7, label: 'A1', n: 0 });
    const star = await call(t.stack, '/rest/v1/cf_tickets?select=*', { token: userToken });
    expect(star.status).toBe(403); // column grants hide `secret`, as PostgREST would report
    await call(t.stack, '/rest/v1/rpc/cf_ticket_add', {
      method: 'POST',
      apikey: t.stack.serviceKey,
      body: JSON.stringify({ p_clinic: 7, p_label: 'A2' }),
    });
    const list = await call(t.stack, '/rest/v1/rpc/cf_tickets_of?select=label&order=label.desc&limit=1', {
      method: 'POST',
      apikey: t.stack.serviceKey,
      body: JSON.stringify({ p_clinic: 7 }),
    });
    expect(list.json).toEqual([{ label: 'A2' }]);
    const filtered = await call(t.stack, '/rest/v1/rpc/cf_tickets_of?label=eq.A1', {
      method: 'POST',
      apikey: t.stack.serviceKey,
      body: JSON.stringify({ p_clinic: 7 }),
    });
    expect((filtered.json as unknown[]).length).toBe(1);
  });

  it('maps PTxyz to HTTP xyz with the PostgREST error body', async () => {
    const r = await t.client().rpc('cf_fail', { p_status: 409 });
    expect(r.status).toBe(409);
    expect(r.error).toEqual({
      code: 'PT409',
      message: 'TEST.FAILED',
      details: 'it failed on purpose',
      hint: null,
    });
    expect((await t.client().rpc('cf_fail', { p_status: 422 })).status).toBe(422);
  });

  it('maps SQLSTATEs like PostgREST: P0001 400, 23505 409, 22P02 400, 42501 401 for anon / 403 for users', async () => {
    const c = t.client();
    const plain = await c.rpc('cf_plain_raise');
    expect(plain.status).toBe(400);
    expect(plain.error).toMatchObject({ code: 'P0001', message: 'plain failure' });
    const dup = await call(t.stack, '/rest/v1/rpc/cf_dup', {
      method: 'POST',
      apikey: t.stack.serviceKey,
      body: '{}',
    });
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({ code: '23505' });
    const bad = await c.rpc('cf_bad_int', { v: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.error?.code).toBe('22P02');
    const anon = await c.rpc('cf_private');
    expect(anon.status).toBe(401);
    expect(anon.error?.code).toBe('42501');
    const other = await t
      .client()
      .rpc('cf_join', { p_user: '00000000-0000-0000-0000-000000000002', p_clinic: 1 });
    expect(other.status).toBe(401);
    const asUser = await call(t.stack, '/rest/v1/rpc/cf_join', {
      method: 'POST',
      token: userToken,
      body: JSON.stringify({ p_user: '00000000-0000-0000-0000-000000000002', p_clinic: 1 }),
    });
    expect(asUser.status).toBe(403);
    const ok = await call(t.stack, '/rest/v1/rpc/cf_private', {
      method: 'POST',
      token: userToken,
      body: '{}',
    });
    expect(ok.json).toBe(42);
    for (const r of [plain, dup, bad, anon]) assertNoLeak(JSON.stringify('error' in r ? r.error : r.json));
  });

  it('unknown function → 404 PGRST202; unknown argument names → 404 PGRST202', async () => {
    const r = await t.client().rpc('cf_nope', { x: 1 });
    expect(r.status).toBe(404);
    expect(r.error?.code).toBe('PGRST202');
    expect(r.error?.message).toContain('public.cf_nope(x)');
    const wrongArgs = await t.client().rpc('cf_add', { z: 1 });
    expect(wrongArgs.status).toBe(404);
    expect(wrongArgs.error?.code).toBe('PGRST202');
  });

  it('reads tables with select, eq/in filters, order and limit, under RLS', async () => {
    const c = t.client();
    // anon: RLS shows nothing
    const anon = await c.from('cf_tickets').select('id,label');
    expect(anon).toMatchObject({ status: 200, data: [] });
    await call(t.stack, '/rest/v1/rpc/cf_ticket_add', {
      method: 'POST',
      apikey: t.stack.serviceKey,
      body: JSON.stringify({ p_clinic: 1, p_label: 'B1' }),
    });
    await call(t.stack, '/rest/v1/rpc/cf_ticket_add', {
      method: 'POST',
      apikey: t.stack.serviceKey,
      body: JSON.stringify({ p_clinic: 1, p_label: 'B2' }),
    });
    await call(t.stack, '/rest/v1/rpc/cf_ticket_add', {
      method: 'POST',
      apikey: t.stack.serviceKey,
      body: JSON.stringify({ p_clinic: 2, p_label: 'C1' }),
    });
    const r = await call(t.stack, '/rest/v1/cf_tickets?select=label,clinic_id&order=label.desc&limit=5', {
      token: userToken,
    });
    expect(r.json).toEqual([
      { label: 'B2', clinic_id: 1 },
      { label: 'B1', clinic_id: 1 },
    ]);
    const inF = await call(t.stack, '/rest/v1/cf_tickets?select=label&label=in.(B1,C1)', {
      token: userToken,
    });
    expect(inF.json).toEqual([{ label: 'B1' }]);
    const svc = await call(t.stack, '/rest/v1/cf_tickets?select=label&clinic_id=eq.2', {
      apikey: t.stack.serviceKey,
    });
    expect(svc.json).toEqual([{ label: 'C1' }]);
    const single = await call(t.stack, '/rest/v1/cf_tickets?select=label&label=eq.C1', {
      apikey: t.stack.serviceKey,
      headers: { accept: 'application/vnd.pgrst.object+json' },
    });
    expect(single.json).toEqual({ label: 'C1' });
    const none = await call(t.stack, '/rest/v1/cf_tickets?select=label&label=eq.ZZ', {
      apikey: t.stack.serviceKey,
      headers: { accept: 'application/vnd.pgrst.object+json' },
    });
    expect(none.status).toBe(406);
    expect(none.json).toMatchObject({ code: 'PGRST116' });
    const unknownCol = await call(t.stack, '/rest/v1/cf_tickets?nope=eq.1', { apikey: t.stack.serviceKey });
    expect(unknownCol.status).toBe(400);
    const orFilter = await call(t.stack, '/rest/v1/cf_tickets?or=(label.eq.B1,label.eq.C1)', {
      apikey: t.stack.serviceKey,
    });
    expect(orFilter.status).toBe(400); // unsupported filters fail loudly, never return unfiltered rows
    const unknownTable = await call(t.stack, '/rest/v1/cf_nothing', { apikey: t.stack.serviceKey });
    expect(unknownTable.status).toBe(404);
  });

  it('supabase-js table reads: eq, in, order, limit, single', async () => {
    const svcClient = t.client({ accessToken: t.stack.serviceKey });
    const { data, error } = await svcClient
      .from('cf_tickets')
      .select('label')
      .eq('clinic_id', 1)
      .in('label', ['B1', 'B2'])
      .order('label')
      .limit(1);
    expect(error).toBeNull();
    expect(data).toEqual([{ label: 'B1' }]);
    const one = await svcClient.from('cf_tickets').select('label').eq('label', 'C1').single();
    expect(one.data).toEqual({ label: 'C1' });
  });

  it('apikey: missing or wrong → 401; JWT: invalid → 401 PGRST301, expired → 401 PGRST303', async () => {
    const missing = await call(t.stack, '/rest/v1/rpc/cf_add', {
      method: 'POST',
      apikey: null,
      body: '{"a":1}',
    });
    expect(missing.status).toBe(401);
    const wrong = await call(t.stack, '/rest/v1/rpc/cf_add', {
      method: 'POST',
      apikey: 'not-a-key',
      body: '{"a":1}',
    });
    expect(wrong.status).toBe(401);
    const forged = await signJwt('another-secret-another-secret-1234', { role: 'service_role' }, 60);
    const invalid = await call(t.stack, '/rest/v1/rpc/cf_add', {
      method: 'POST',
      token: forged,
      body: '{"a":1}',
    });
    expect(invalid.status).toBe(401);
    expect(invalid.json).toMatchObject({ code: 'PGRST301' });
    const expiredToken = await signJwt(
      t.stack.jwtSecret,
      { role: 'authenticated', sub: '00000000-0000-0000-0000-000000000009' },
      -10,
    );
    const expired = await call(t.stack, '/rest/v1/rpc/cf_add', {
      method: 'POST',
      token: expiredToken,
      body: '{"a":1}',
    });
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ code: 'PGRST303', message: 'JWT expired' });
    const garbage = await call(t.stack, '/rest/v1/rpc/cf_add', {
      method: 'POST',
      token: 'abc.def',
      body: '{"a":1}',
    });
    expect(garbage.status).toBe(401);
  });

  it('malformed JSON → 400 PGRST102; body over 1 MB → 413; unknown route → 404; never a stack trace or SQL', async () => {
    const malformed = await call(t.stack, '/rest/v1/rpc/cf_add', { method: 'POST', body: '{"a": 1,' });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ code: 'PGRST102' });
    const big = await call(t.stack, '/rest/v1/rpc/cf_echo', {
      method: 'POST',
      body: JSON.stringify({ msg: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(big.status).toBe(413);
    const route = await call(t.stack, '/rest/v1/a/b/c');
    expect(route.status).toBe(404);
    const other = await call(t.stack, '/nope/v9/thing');
    expect(other.status).toBe(404);
    for (const r of [malformed, big, route, other]) assertNoLeak(r.text);
  });

  it('Content-Profile selects the schema; an unexposed one → 406 PGRST106', async () => {
    const r = await call(t.stack, '/rest/v1/rpc/cf_add', {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-profile': 'auth' },
    });
    expect(r.status).toBe(406);
    expect(r.json).toMatchObject({ code: 'PGRST106' });
  });

  it('supabase-js refreshSession works; a second refresh of the same token within the reuse interval (two tabs) gets the same successor', async () => {
    const c = t.client();
    await c.auth.signInWithPassword({ email: `rest-${kind}@example.test`, password: 'secret-pass' });
    const before = (await c.auth.getSession()).data.session;
    const { data, error } = await c.auth.refreshSession();
    expect(error).toBeNull();
    expect(data.session?.refresh_token).not.toBe(before?.refresh_token);
    const twin = await call(t.stack, '/auth/v1/token?grant_type=refresh_token', {
      method: 'POST',
      body: JSON.stringify({ refresh_token: before?.refresh_token }),
    });
    expect(twin.status).toBe(200);
    expect((twin.json as { refresh_token: string }).refresh_token).toBe(data.session?.refresh_token);
    expect((await c.auth.getUser()).data.user?.email).toBe(`rest-${kind}@example.test`);
  });

  it('Prefer: tx=rollback runs the call and discards its writes', async () => {
    const before = await call(t.stack, '/rest/v1/cf_tickets?select=id', { apikey: t.stack.serviceKey });
    const r = await call(t.stack, '/rest/v1/rpc/cf_ticket_add', {
      method: 'POST',
      apikey: t.stack.serviceKey,
      headers: { prefer: 'tx=rollback' },
      body: JSON.stringify({ p_clinic: 9, p_label: 'R' }),
    });
    expect(r.status).toBe(200);
    const after = await call(t.stack, '/rest/v1/cf_tickets?select=id', { apikey: t.stack.serviceKey });
    expect((after.json as unknown[]).length).toBe((before.json as unknown[]).length);
  });
});
