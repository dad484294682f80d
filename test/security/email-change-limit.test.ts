/**
 * review20 L5: email change codes were limited only per (client address, new address): one account from one address
 * sent `PUT /auth/v1/user {"email": …}` for 80 strangers' addresses, each getting a code mail. The local GoTrue now
 * also counts the distinct new addresses per account (5 an hour by default; auth.rate_limits, scope
 * email_change_account): the 6th is GoTrue's 429 over_email_send_rate_limit with Retry-After and sends nothing.
 * Another account is not affected; the window ends, the account may ask again. On the auth limiter's pinned clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../conformance/harness';
import { startSecurityStack, type SecurityStack } from './helpers/stack';

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

describe('email change codes per account (pglite)', () => {
  let t: SecurityStack;
  let now = T0;
  beforeAll(async () => {
    t = await startSecurityStack('pglite', { auth: { now: () => now } });
  }, 240_000);
  afterAll(async () => {
    await t?.stop();
  });

  const change = (token: string, email: string) =>
    call(t.stack, '/auth/v1/user', { method: 'PUT', token, body: JSON.stringify({ email }) });
  const mails = (to: string) => t.sent.filter((s) => s.channel === 'email' && s.to === to).length;

  it('the 6th distinct new address within the hour is 429 and sends nothing; others unaffected; the hour ends', async () => {
    const spammer = await t.signUp('spammer');
    for (let i = 1; i <= 5; i++) {
      const r = await change(spammer.token, `t2x${i}@victim.example`);
      expect(r.status, `address ${i}`).toBe(200);
      expect(mails(`t2x${i}@victim.example`)).toBe(1);
    }
    const refused = await change(spammer.token, 't2x6@victim.example');
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ error_code: 'over_email_send_rate_limit' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(mails('t2x6@victim.example')).toBe(0);
    // asking again for an address already counted is not another address (a typo fixed, a code resent)
    expect((await change(spammer.token, 't2x5@victim.example')).status).toBe(200);

    // another account, same client address: its own window
    const other = await t.signUp('honest');
    expect((await change(other.token, 'new-me@example.test')).status).toBe(200);

    // an hour later the first account may ask again
    now = T0 + 3_600_000 + 1_000;
    expect((await change(spammer.token, 't2x7@victim.example')).status).toBe(200);
    expect(mails('t2x7@victim.example')).toBe(1);
  });
});
