// Issue 10, item 3: supabase-js signOut() (scope global by default) must succeed and revoke: after it,
// no refresh token of that user works and no access token reaches /auth/v1/user. Scopes local and
// others end only the sessions they name, as GoTrue does. On PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, expectNoLeak, raw, startSecurityStack, type SecurityStack } from './helpers/stack';

describe.each(KINDS)('sign-out revokes (%s)', (kind) => {
  let t: SecurityStack;
  beforeAll(async () => {
    t = await startSecurityStack(kind);
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Two more sessions of the same user (two other devices). */
  async function devices(email: string) {
    const out: { access: string; refresh: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const { data, error } = await t
        .client()
        .auth.signInWithPassword({ email, password: 'secret-pass-123' });
      expect(error).toBeNull();
      out.push({ access: data.session?.access_token ?? '', refresh: data.session?.refresh_token ?? '' });
    }
    return out;
  }
  const refreshWorks = async (token: string) =>
    (
      await raw(t.stack, '/auth/v1/token?grant_type=refresh_token', {
        method: 'POST',
        body: JSON.stringify({ refresh_token: token }),
      })
    ).status === 200;
  const userWorks = async (access: string) =>
    (await raw(t.stack, '/auth/v1/user', { token: access })).status === 200;

  it('signOut() (default scope global, what supabase-js sends) succeeds and ends every session of the user', async () => {
    const me = await t.signUp('global');
    const others = await devices(me.email);
    const { error } = await me.auth.auth.signOut();
    expect(error).toBeNull();
    expect(await refreshWorks(me.refresh)).toBe(false);
    expect(await userWorks(me.token)).toBe(false);
    for (const d of others) {
      expect(await refreshWorks(d.refresh)).toBe(false);
      expect(await userWorks(d.access)).toBe(false);
    }
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*)::int as n from auth.sessions where user_id = $1`,
      [me.userId],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('scope local ends this session only; scope others ends every session but this one', async () => {
    const me = await t.signUp('scopes');
    const [a, b] = await devices(me.email);
    const local = await raw(t.stack, '/auth/v1/logout?scope=local', {
      method: 'POST',
      token: a?.access ?? '',
    });
    expect(local.status).toBe(204);
    expect(await refreshWorks(a?.refresh ?? '')).toBe(false);
    expect(await userWorks(b?.access ?? '')).toBe(true);
    expect(await userWorks(me.token)).toBe(true);
    const others = await raw(t.stack, '/auth/v1/logout?scope=others', { method: 'POST', token: me.token });
    expect(others.status).toBe(204);
    expect(await userWorks(b?.access ?? '')).toBe(false);
    expect(await refreshWorks(b?.refresh ?? '')).toBe(false);
    expect(await userWorks(me.token)).toBe(true);
    expect(await refreshWorks(me.refresh)).toBe(true);
  });

  it('an unknown scope is 400 and ends nothing; another user’s sign-out ends none of mine', async () => {
    const me = await t.signUp('bad-scope');
    const stranger = await t.signUp('stranger');
    const bad = await raw(t.stack, '/auth/v1/logout?scope=everyone', { method: 'POST', token: me.token });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'validation_failed' });
    expectNoLeak(bad.text, 'logout');
    expect((await stranger.auth.auth.signOut()).error).toBeNull();
    expect(await userWorks(me.token)).toBe(true);
    expect(await refreshWorks(me.refresh)).toBe(true);
  });
});
