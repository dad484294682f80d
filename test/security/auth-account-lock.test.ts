// sec20 item 4 — per-account sign-in lockout. Password failures were limited per address (auth-spray.test.ts) and
// per address + identifier only: guesses spread over many addresses had no end on one account. Now GoTrue counts an
// account's FAILED password sign-ins whatever the address (supabase/local/auth/sprayLimit.ts, scope
// sign_in_account, on the auth clock; env QUEUEMED_SIGNIN_ACCOUNT_MAX / _WINDOW_SECONDS). Over the limit, every
// password sign-in of that account answers 429 over_request_rate_limit with Retry-After — even the right password —
// and the lock is bounded: it ends with the window the first failure opened, however many guesses follow (they are
// refused unchecked and not counted). A proven way in clears it: an SMS code sign-in, a password set by the signed-in
// user, a right password below the limit. An unknown account answers exactly like a known one. Limits small here,
// the auth clock pinned; on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../conformance/harness';
import { KINDS, LEAKS, startSecurityStack, type SecurityStack } from './helpers/stack';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
const RIGHT = 'secret-pass-123';

describe.each(KINDS)('password failures per account (%s)', (kind) => {
  let t: SecurityStack;
  let now = T0;
  beforeAll(async () => {
    t = await startSecurityStack(kind, {
      auth: {
        now: () => now,
        signInLimit: { max: 30, windowMs: 5 * MIN },
        signInIpLimit: { max: 1000, windowMs: 15 * MIN },
        signInAccountLimit: { max: 3, windowMs: 15 * MIN },
      },
    });
  }, 240_000);
  afterAll(async () => {
    await t?.stop();
  });

  const signIn = (body: { email?: string; phone?: string }, password: string) =>
    call(t.stack, '/auth/v1/token?grant_type=password', {
      method: 'POST',
      body: JSON.stringify({ ...body, password }),
    });
  const statuses = async (body: { email?: string; phone?: string }, passwords: string[]) => {
    const out: number[] = [];
    for (const p of passwords) out.push((await signIn(body, p)).status);
    return out;
  };

  it('3 wrong passwords lock the account: 429 with Retry-After even for the right one, the same for an unknown account; other accounts are not touched', async () => {
    now = T0;
    const victim = await t.signUp('lock-victim');
    const other = await t.signUp('lock-other');
    expect(await statuses({ email: victim.email }, ['w1', 'w2', 'w3', 'w4', RIGHT])).toEqual([
      400, 400, 400, 429, 429,
    ]);
    const locked = await signIn({ email: victim.email.toUpperCase() }, RIGHT); // the same account, however spelt
    expect(locked.status).toBe(429);
    expect(locked.json).toMatchObject({ error_code: 'over_request_rate_limit' });
    const retry = Number(locked.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    for (const leak of LEAKS) expect(locked.text).not.toMatch(leak);
    // the same address signs another account in: the lock is the account's, not the address's
    expect((await signIn({ email: other.email }, RIGHT)).status).toBe(200);
    // an account that does not exist answers exactly the same way (no account discovery through the lock)
    expect(await statuses({ email: `nobody-${victim.email}` }, ['w1', 'w2', 'w3', 'w4'])).toEqual([
      400, 400, 400, 429,
    ]);
  });

  it('bounded: 200 more guesses while locked do not lengthen the lock; when its window ends the right password works', async () => {
    now = T0 + 60 * MIN;
    const victim = await t.signUp('lock-bounded');
    await statuses({ email: victim.email }, ['w1', 'w2', 'w3']);
    for (let i = 0; i < 20; i++) {
      now += 40_000; // an attacker keeps trying for 13 minutes
      expect((await signIn({ email: victim.email }, `guess-${i}`)).status).toBe(429);
    }
    now = T0 + 60 * MIN + 15 * MIN + 1;
    expect((await signIn({ email: victim.email }, RIGHT)).status).toBe(200);
  });

  it('a right password below the limit clears the count; setting a new password while signed in lifts a lock', async () => {
    now = T0 + 120 * MIN;
    const a = await t.signUp('lock-clear');
    expect(await statuses({ email: a.email }, ['w1', 'w2', RIGHT, 'w3', 'w4', RIGHT])).toEqual([
      400, 400, 200, 400, 400, 200,
    ]);
    await statuses({ email: a.email }, ['w1', 'w2', 'w3']);
    expect((await signIn({ email: a.email }, RIGHT)).status).toBe(429);
    // the reset path: the user, signed in (e.g. by an emailed or SMS code), sets a new password
    const { error } = await a.auth.auth.updateUser({ password: 'a-new-pass-456' });
    expect(error).toBeNull();
    expect((await signIn({ email: a.email }, 'a-new-pass-456')).status).toBe(200);
  });

  it('an SMS code sign-in (the phone proven) lifts the lock of the account, by phone and by email', async () => {
    now = T0 + 180 * MIN;
    const a = await t.signUp('lock-otp');
    const phone = '212612300777';
    await t.db.query(`update auth.users set phone = $2, phone_confirmed_at = now() where id = $1`, [
      a.userId,
      phone,
    ]);
    await statuses({ phone: `+${phone}` }, ['w1', 'w2', 'w3']);
    expect((await signIn({ phone: `+${phone}` }, RIGHT)).status).toBe(429);
    expect((await signIn({ email: a.email }, RIGHT)).status).toBe(200); // a different identifier, its own count
    await statuses({ email: a.email }, ['w1', 'w2', 'w3']);
    expect((await signIn({ email: a.email }, RIGHT)).status).toBe(429);
    const otp = await call(t.stack, '/auth/v1/otp', { method: 'POST', body: JSON.stringify({ phone }) });
    expect(otp.status).toBe(200);
    const verify = await call(t.stack, '/auth/v1/verify', {
      method: 'POST',
      body: JSON.stringify({ phone, token: t.lastCode(phone), type: 'sms' }),
    });
    expect(verify.status).toBe(200);
    expect((await signIn({ phone: `+${phone}` }, RIGHT)).status).toBe(200);
    expect((await signIn({ email: a.email }, RIGHT)).status).toBe(200);
  });
});
