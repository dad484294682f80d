/**
 * abuse17 (session 17 attack review, item 1a): 72 email accounts were signed up from one IP in 8 s — accounts are
 * free, and each could create 3 clinics a day. POST /auth/v1/signup now counts sign-ups per client IP (the
 * socket's address; forwarded headers are not trusted) in auth.rate_limits: over the limit it answers GoTrue's
 * 429 over_request_rate_limit with retry-after, creates nobody, and leaves sign-in alone. `npm start` sets 30 an
 * hour (QUEUEMED_SIGNUP_IP_MAX, alias AUTH_SIGNUP_LIMIT_PER_HOUR; supabase/local/limitsEnv.ts); here 3, so the test signs up 4.
 */
import { AuthApiError } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, call, type TestStack } from '../conformance/harness';
import { KINDS } from './helpers/stack';

describe.each(KINDS)('sign-ups per IP on %s', (kind) => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack(kind, { auth: { signupLimit: { max: 3, windowMs: 3_600_000 } } });
  }, 240_000);
  afterAll(async () => {
    await t?.stop();
  });

  const users = async () =>
    (
      await t.db.query<{ n: number }>(
        `select count(*)::int as n from auth.users where email like '%@signup17.test'`,
      )
    ).rows[0]!.n;

  it('the 4th sign-up from one IP within the hour is 429 over_request_rate_limit and creates no account', async () => {
    const client = t.client();
    for (const i of [1, 2, 3]) {
      const { error } = await client.auth.signUp({ email: `u${i}@signup17.test`, password: 'long-enough-1' });
      expect(error).toBeNull();
    }
    const { data, error } = await client.auth.signUp({
      email: 'u4@signup17.test',
      password: 'long-enough-1',
    });
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error).toMatchObject({ status: 429, code: 'over_request_rate_limit' });
    expect(data.user).toBeNull();
    expect(await users()).toBe(3);
    // the raw answer is GoTrue's shape, with when to come back
    const raw = await call(t.stack, '/auth/v1/signup', {
      method: 'POST',
      body: JSON.stringify({ email: 'u5@signup17.test', password: 'long-enough-1' }),
      headers: { 'x-forwarded-for': '203.0.113.9' }, // not trusted: the socket's address counts
    });
    expect(raw.status).toBe(429);
    expect(raw.json).toMatchObject({
      code: 'over_request_rate_limit',
      error_code: 'over_request_rate_limit',
    });
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
    // an existing account still signs in
    const signedIn = await client.auth.signInWithPassword({
      email: 'u1@signup17.test',
      password: 'long-enough-1',
    });
    expect(signedIn.error).toBeNull();
  });
});

// npm start's value (QUEUEMED_SIGNUP_IP_MAX, alias AUTH_SIGNUP_LIMIT_PER_HOUR; 0 off, a bad value stops the start):
// test/unit/limitsEnv.test.ts
