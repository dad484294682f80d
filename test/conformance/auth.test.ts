// GoTrue conformance through @supabase/auth-js: sign-up, password sign-in, refresh rotation and reuse
// detection, expiry, user, logout, phone OTP, rate limits — on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { installClockOffset } from '../../supabase/local/fakeClock';
import { KINDS, assertNoLeak, call, startTestStack, type TestStack } from './harness';

describe.each(KINDS)('Auth on %s', (kind) => {
  let t: TestStack;
  const otps: { phone: string; code: string }[] = [];
  beforeAll(async () => {
    t = await startTestStack(kind, {
      auth: {
        accessTokenTtlSeconds: 3600,
        refreshTokenReuseIntervalSeconds: 0,
        signInLimit: { max: 5, windowMs: 60_000 },
      },
      onOtp: (phone, code) => {
        otps.push({ phone, code });
      },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('signs up with email + password (confirmed at once) and returns a GoTrue session with Supabase claims', async () => {
    const c = t.client();
    const { data, error } = await c.auth.signUp({
      email: 'Amina@Example.test',
      password: 'long-password',
      options: { data: { name: 'Amina' } },
    });
    expect(error).toBeNull();
    const s = data.session;
    expect(s).not.toBeNull();
    expect(s?.token_type).toBe('bearer');
    expect(s?.expires_in).toBe(3600);
    expect(typeof s?.expires_at).toBe('number');
    expect(data.user?.email).toBe('amina@example.test');
    expect(data.user?.email_confirmed_at).toBeTruthy();
    expect(data.user?.user_metadata).toEqual({ name: 'Amina' });
    const claims = decodeJwt(s?.access_token ?? '');
    expect(claims).toMatchObject({
      sub: data.user?.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: 'amina@example.test',
      aal: 'aal1',
      is_anonymous: false,
      user_metadata: { name: 'Amina' },
      app_metadata: { provider: 'email', providers: ['email'] },
    });
    expect(claims.iss).toBe(`${t.stack.url}/auth/v1`);
    expect(typeof claims.session_id).toBe('string');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    const again = await t.client().auth.signUp({ email: 'amina@example.test', password: 'long-password' });
    expect(again.error?.status).toBe(422);
    expect(again.error?.code).toBe('user_already_exists');
  });

  it('rejects weak passwords with weak_password', async () => {
    const { error } = await t.client().auth.signUp({ email: 'weak@example.test', password: '123' });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe('weak_password');
  });

  it('signs in with password; wrong password → 400 invalid_credentials; getUser works with the token', async () => {
    const c = t.client();
    const bad = await c.auth.signInWithPassword({ email: 'amina@example.test', password: 'nope-nope' });
    expect(bad.error?.status).toBe(400);
    expect(bad.error?.code).toBe('invalid_credentials');
    const { data, error } = await c.auth.signInWithPassword({
      email: 'AMINA@example.test',
      password: 'long-password',
    });
    expect(error).toBeNull();
    const user = await c.auth.getUser();
    expect(user.data.user?.email).toBe('amina@example.test');
    expect(user.data.user?.id).toBe(data.user?.id);
    const upd = await c.auth.updateUser({ data: { lang: 'ar' } });
    expect(upd.error).toBeNull();
    expect(upd.data.user?.user_metadata).toEqual({ name: 'Amina', lang: 'ar' });
  });

  it('signs up with phone + password: no session and no confirmed phone until the SMS code is verified', async () => {
    const c = t.client();
    const up = await c.auth.signUp({ phone: '+212600000001', password: 'phone-pass' });
    expect(up.error).toBeNull();
    expect(up.data.session).toBeNull();
    expect(up.data.user?.phone).toBe('212600000001');
    expect(up.data.user?.phone_confirmed_at).toBeUndefined();
    const early = await t
      .client()
      .auth.signInWithPassword({ phone: '+212600000001', password: 'phone-pass' });
    expect(early.error?.code).toBe('phone_not_confirmed');
    const msg = otps.at(-1);
    expect(msg?.phone).toBe('+212600000001');
    const v = await c.auth.verifyOtp({ phone: '+212600000001', token: msg?.code ?? '', type: 'sms' });
    expect(v.error).toBeNull();
    expect(v.data.user?.phone_confirmed_at).toBeTruthy();
    const inn = await t.client().auth.signInWithPassword({ phone: '+212600000001', password: 'phone-pass' });
    expect(inn.error).toBeNull();
    expect(decodeJwt(inn.data.session?.access_token ?? '').phone).toBe('212600000001');
  });

  it('rotates refresh tokens; reusing a rotated token revokes the whole session', async () => {
    const c = t.client();
    const { data } = await c.auth.signInWithPassword({
      email: 'amina@example.test',
      password: 'long-password',
    });
    const first = data.session?.refresh_token ?? '';
    // Raw calls with the body auth-js sends: with a 2 s token lifetime auth-js itself would refresh first.
    const r1 = await call(t.stack, '/auth/v1/token?grant_type=refresh_token', {
      method: 'POST',
      body: JSON.stringify({ refresh_token: first }),
    });
    expect(r1.status).toBe(200);
    const s1 = r1.json as { refresh_token: string; access_token: string; user: { id: string } };
    const second = s1.refresh_token;
    expect(second).not.toBe(first);
    expect(s1.user.id).toBe(data.user?.id);
    expect(decodeJwt(s1.access_token).session_id).toBe(
      decodeJwt(data.session?.access_token ?? '').session_id,
    );
    // reuse of the first (revoked) token: refused, and the family (the second token too) is revoked
    const reuse = await call(t.stack, '/auth/v1/token?grant_type=refresh_token', {
      method: 'POST',
      body: JSON.stringify({ refresh_token: first }),
    });
    expect(reuse.status).toBe(400);
    expect(reuse.json).toMatchObject({ code: 'refresh_token_already_used' });
    const afterReuse = await call(t.stack, '/auth/v1/token?grant_type=refresh_token', {
      method: 'POST',
      body: JSON.stringify({ refresh_token: second }),
    });
    expect(afterReuse.status).toBe(400);
    const user = await call(t.stack, '/auth/v1/user', { token: s1.access_token });
    expect(user.status).toBe(403);
    expect(user.json).toMatchObject({ code: 'session_not_found' });
    const unknown = await call(t.stack, '/auth/v1/token?grant_type=refresh_token', {
      method: 'POST',
      body: JSON.stringify({ refresh_token: 'nope' }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ code: 'refresh_token_not_found' });
  });

  it('access tokens expire: the REST gateway answers 401 PGRST303 and a refresh gives a working token', async () => {
    const c = t.client();
    const { data } = await c.auth.signInWithPassword({
      email: 'amina@example.test',
      password: 'long-password',
    });
    const token = data.session?.access_token ?? '';
    const now = await call(t.stack, '/rest/v1/rpc/cf_whoami', { method: 'POST', token, body: '{}' });
    expect(now.status).toBe(200);
    const exp = (decodeJwt(token).exp ?? 0) * 1000;
    // an hour-long token (a 2 s one could expire mid-test on a busy machine) and no waiting for it to age: the stack (in this process) reads the time through Date, so move that
    // clock past the expiry (fakeClock.ts), whatever the machine's speed
    const restore = installClockOffset(exp - Date.now() + 60_000);
    try {
      const later = await call(t.stack, '/rest/v1/rpc/cf_whoami', { method: 'POST', token, body: '{}' });
      expect(later.status).toBe(401);
      expect(later.json).toMatchObject({ code: 'PGRST303' });
      const userLater = await call(t.stack, '/auth/v1/user', { token });
      expect(userLater.status).toBe(401);
      const r = await call(t.stack, '/auth/v1/token?grant_type=refresh_token', {
        method: 'POST',
        body: JSON.stringify({ refresh_token: data.session?.refresh_token ?? '' }),
      });
      expect(r.status).toBe(200);
      const fresh = await call(t.stack, '/rest/v1/rpc/cf_whoami', {
        method: 'POST',
        token: (r.json as { access_token: string }).access_token,
        body: '{}',
      });
      expect(fresh.status).toBe(200);
    } finally {
      restore();
    }
  });

  it('logout ends the session: its refresh token and /user stop working', async () => {
    const c = t.client();
    const { data } = await c.auth.signInWithPassword({
      email: 'amina@example.test',
      password: 'long-password',
    });
    const token = data.session?.access_token ?? '';
    const refresh = data.session?.refresh_token ?? '';
    const { error } = await c.auth.signOut({ scope: 'local' });
    expect(error).toBeNull();
    const user = await call(t.stack, '/auth/v1/user', { token });
    expect(user.status).toBe(403);
    const r = await call(t.stack, '/auth/v1/token?grant_type=refresh_token', {
      method: 'POST',
      body: JSON.stringify({ refresh_token: refresh }),
    });
    expect(r.status).toBe(400);
  });

  it('phone OTP: the code goes to onOtp; verify signs in (creating the user); a wrong code → 403', async () => {
    const c = t.client();
    const sent = await c.auth.signInWithOtp({ phone: '+212611223344' });
    expect(sent.error).toBeNull();
    const msg = otps.at(-1);
    expect(msg?.phone).toBe('+212611223344');
    expect(msg?.code).toMatch(/^\d{6}$/);
    const wrong = await c.auth.verifyOtp({
      phone: '+212611223344',
      token: msg?.code === '000000' ? '111111' : '000000',
      type: 'sms',
    });
    expect(wrong.error?.status).toBe(403);
    expect(wrong.error?.code).toBe('otp_expired');
    const ok = await c.auth.verifyOtp({ phone: '+212611223344', token: msg?.code ?? '', type: 'sms' });
    expect(ok.error).toBeNull();
    expect(ok.data.user?.phone).toBe('212611223344');
    expect(ok.data.session?.access_token).toBeTruthy();
    // a code works once
    const replay = await c.auth.verifyOtp({ phone: '+212611223344', token: msg?.code ?? '', type: 'sms' });
    expect(replay.error?.status).toBe(403);
    // shouldCreateUser: false for an unknown phone → 422
    const noUser = await c.auth.signInWithOtp({
      phone: '+212699999999',
      options: { shouldCreateUser: false },
    });
    expect(noUser.error?.status).toBe(422);
  });

  it('rate-limits sign-in attempts per IP + identifier (429) without affecting other identifiers', async () => {
    const c = t.client();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await c.auth.signInWithPassword({ email: 'victim@example.test', password: `guess-${i}` });
      statuses.push(r.error?.status ?? 200);
    }
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const other = await c.auth.signInWithPassword({ email: 'amina@example.test', password: 'long-password' });
    expect(other.error).toBeNull();
  });

  it('admin API (service role only): createUser, getUserById, listUsers, updateUserById, deleteUser', async () => {
    const admin = t.client({ key: t.stack.serviceKey }).auth.admin;
    const created = await admin.createUser({
      email: 'staff@example.test',
      password: 'staff-pass',
      email_confirm: true,
      user_metadata: { name: 'Staff' },
    });
    expect(created.error).toBeNull();
    const id = created.data.user?.id ?? '';
    expect(created.data.user?.email_confirmed_at).toBeTruthy();
    expect((await admin.getUserById(id)).data.user?.user_metadata).toEqual({ name: 'Staff' });
    expect((await admin.listUsers()).data.users.map((u) => u.email)).toContain('staff@example.test');
    expect(
      (await admin.updateUserById(id, { user_metadata: { room: '2' } })).data.user?.user_metadata,
    ).toEqual({ name: 'Staff', room: '2' });
    const signIn = await t
      .client()
      .auth.signInWithPassword({ email: 'staff@example.test', password: 'staff-pass' });
    expect(signIn.error).toBeNull();
    const asAnon = await t
      .client()
      .auth.admin.createUser({ email: 'x@example.test', password: 'x-password' });
    expect(asAnon.error?.status).toBe(403);
    const asUser = await call(t.stack, '/auth/v1/admin/users', {
      token: signIn.data.session?.access_token ?? '',
    });
    expect(asUser.status).toBe(403);
    expect((await admin.deleteUser(id)).error).toBeNull();
    expect((await admin.getUserById(id)).error?.status).toBe(404);
  });

  it('requires a valid apikey; bad JSON → 400; no internals in error bodies', async () => {
    const noKey = await call(t.stack, '/auth/v1/token?grant_type=password', {
      method: 'POST',
      apikey: null,
      body: '{}',
    });
    expect(noKey.status).toBe(401);
    const wrongKey = await call(t.stack, '/auth/v1/signup', { method: 'POST', apikey: 'wrong', body: '{}' });
    expect(wrongKey.status).toBe(401);
    const bad = await call(t.stack, '/auth/v1/signup', { method: 'POST', body: '{"email":' });
    expect(bad.status).toBe(400);
    const big = await call(t.stack, '/auth/v1/signup', {
      method: 'POST',
      body: JSON.stringify({ email: 'x'.repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    const noToken = await call(t.stack, '/auth/v1/user');
    expect(noToken.status).toBe(401);
    for (const r of [noKey, wrongKey, bad, big, noToken]) assertNoLeak(r.text);
  });
});
