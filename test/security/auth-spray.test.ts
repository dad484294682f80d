// Attack review of session 17, item 2: password spraying. The sign-in limit counted failures per IP + identifier
// only, so one IP could try 30 passwords on each of many accounts (200 wrong passwords over 5 accounts: 160
// checked). Now an IP's FAILED password sign-ins across identifiers are limited too (supabase/local/auth/
// sprayLimit.ts, env QUEUEMED_SIGNIN_IP_MAX / QUEUEMED_SIGNIN_IP_WINDOW_SECONDS): over it, GoTrue's 429
// over_request_rate_limit with Retry-After, even for a right password, while right passwords never count (the
// e2e suite signs in many demo accounts from 127.0.0.1). Limits are set small here; on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, raw, startSecurityStack, type SecurityStack } from './helpers/stack';

// npm start's values (QUEUEMED_SIGNIN_IP_MAX / _WINDOW_SECONDS; a bad value stops the start): test/unit/limitsEnv.test.ts
describe.each(KINDS)('password spraying from one IP is limited (%s)', (kind) => {
  let t: SecurityStack;
  beforeAll(async () => {
    t = await startSecurityStack(kind, {
      auth: {
        signInLimit: { max: 30, windowMs: 5 * 60_000 },
        signInIpLimit: { max: 8, windowMs: 15 * 60_000 },
      },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const signIn = (email: string, password: string) =>
    raw(t.stack, '/auth/v1/token?grant_type=password', {
      method: 'POST',
      body: JSON.stringify({ email, password }),
    });

  it('right passwords never count; 8 wrong ones over 4 accounts do, then every password sign-in waits (429)', async () => {
    const accounts = [];
    for (let i = 0; i < 4; i++) accounts.push(await t.signUp(`spray${i}`));
    // many right sign-ins first (what the e2e suite does): not counted
    for (let round = 0; round < 3; round++)
      for (const a of accounts) expect((await signIn(a.email, 'secret-pass-123')).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const a = accounts[i % accounts.length]!;
      statuses.push((await signIn(a.email, `wrong-${i}`)).status);
    }
    // each account saw at most 3 wrong passwords, far below the per-identifier 30: only the per-IP limit stops it
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 400, 429, 429]);
    const right = await signIn(accounts[0]!.email, 'secret-pass-123');
    expect(right.status).toBe(429);
    expect(right.json).toMatchObject({ error_code: 'over_request_rate_limit' });
  });
});
