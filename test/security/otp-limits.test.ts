// Security, session 17 — SMS pumping: one client address asked codes for 30 different phones, because the only
// OTP limit was per address + phone. Now also per phone across addresses and per address across phones
// (supabase/local/auth/otpLimits.ts), in the database (auth.rate_limits) so stacks sharing PostgreSQL count
// together. The limiter runs on a pinned clock (no waiting, no wall clock); the stack case drives the real
// supabase-js from 127.0.0.1 and reads GoTrue's 429 shape. On PGlite and PostgreSQL.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtpSendLimits } from '../../supabase/local/auth/otpLimits';
import { startTestStack, call, type TestStack } from '../conformance/harness';
import { openTestDb } from '../fixtures/localStack';
import type { Db } from '../../supabase/local/db';
import { KINDS } from './helpers/stack';
import { SupabaseAuthGateway } from '../../src/services/shared/repositories/SupabaseAuthGateway';

const HOUR = 60 * 60_000;
const T0 = Date.parse('2026-12-02T09:00:00Z');
const phoneN = (n: number) => `2126120${String(n).padStart(5, '0')}`;
const limits = {
  otpLimit: { max: 5, windowMs: 15 * 60_000 },
  otpPhoneLimit: { max: 5, windowMs: HOUR },
  otpIpPhonesLimit: { max: 10, windowMs: HOUR },
};

describe.each(KINDS)('SMS code limits (%s)', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  let t: TestStack;
  const sent: string[] = [];
  const logLines: string[] = [];
  beforeAll(async () => {
    ({ db, close } = await openTestDb(kind, 5, 'shim'));
    t = await startTestStack(kind, {
      auth: { otpIpPhonesLimit: { max: 3, windowMs: HOUR }, otpPhoneLimit: { max: 4, windowMs: HOUR } },
      onOtp: (phone) => void sent.push(phone),
      logger: pino({ level: 'info' }, { write: (s: string) => void logLines.push(s) }),
    });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await close?.();
  });

  it('one address asking codes for 30 phones: 10 are sent, the other 20 refused until its hour is over', async () => {
    let now = T0;
    const l = new OtpSendLimits(db, limits, () => now);
    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await l.take('203.0.113.7', phoneN(i), true));
    expect(answers.slice(0, 10).every((a) => a.ok)).toBe(true);
    expect(answers.slice(10)).toEqual(
      Array.from({ length: 20 }, () => ({ ok: false, limit: 'ip_phones', retryAfterSeconds: 3600 })),
    );
    // a patient of the first ten asking their code again is not another phone
    expect(await l.take('203.0.113.7', phoneN(3), true)).toEqual({ ok: true });
    // another address is not held up by this one
    expect(await l.take('198.51.100.9', phoneN(20), true)).toEqual({ ok: true });
    // 59 minutes later still refused (Retry-After says the rest), an hour later new phones are sent again
    now = T0 + 59 * 60_000;
    expect(await l.take('203.0.113.7', phoneN(25), true)).toEqual({
      ok: false,
      limit: 'ip_phones',
      retryAfterSeconds: 60,
    });
    now = T0 + HOUR;
    expect(await l.take('203.0.113.7', phoneN(26), true)).toEqual({ ok: true });
    // the counters keep hashes only: no phone digits and no address in auth.rate_limits
    const { rows } = await db.query<{ key: string }>('select key from auth.rate_limits');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => /2126120|203\.0\.113|198\.51\.100/.test(r.key))).toEqual([]);
  });

  it('one phone asked from many addresses: 5 codes an hour, whichever address asks', async () => {
    let now = T0 + 2 * HOUR;
    const l = new OtpSendLimits(db, limits, () => now);
    const victim = phoneN(900);
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await l.take(`192.0.2.${i + 1}`, victim, true));
    expect(answers.map((a) => (a.ok ? 'sent' : a.limit))).toEqual([
      'sent',
      'sent',
      'sent',
      'sent',
      'sent',
      'phone',
      'phone',
      'phone',
    ]);
    now += HOUR;
    expect(await l.take('192.0.2.99', victim, true)).toEqual({ ok: true });
    // an email change code counts per address + email only
    for (let i = 0; i < 5; i++) expect((await l.take('192.0.2.50', 'a@example.test', false)).ok).toBe(true);
    expect(await l.take('192.0.2.50', 'a@example.test', false)).toMatchObject({
      ok: false,
      limit: 'ip_phone',
    });
  });

  // npm start's values (QUEUEMED_OTP_*; the OTP_* names are aliases; a bad value stops the start):
  // test/unit/limitsEnv.test.ts

  it('through supabase-js: the 4th phone from one address gets GoTrue’s 429 over_sms_send_rate_limit, no SMS is sent, the log has no number', async () => {
    const c = t.client();
    for (let i = 0; i < 3; i++)
      expect((await c.auth.signInWithOtp({ phone: `+${phoneN(100 + i)}` })).error).toBeNull();
    const before = sent.length;
    const refused = await c.auth.signInWithOtp({ phone: `+${phoneN(103)}` });
    expect(refused.error?.status).toBe(429);
    expect(refused.error?.code).toBe('over_sms_send_rate_limit');
    expect(sent.length).toBe(before);
    // the same refusal for a phone sign-up (it sends a code too); the raw answer carries Retry-After
    const signUp = await call(t.stack, '/auth/v1/signup', {
      method: 'POST',
      body: JSON.stringify({ phone: `+${phoneN(104)}`, password: 'secret-pass-123' }),
    });
    expect(signUp.status).toBe(429);
    expect(signUp.json).toMatchObject({ error_code: 'over_sms_send_rate_limit' });
    expect(Number(signUp.headers.get('retry-after'))).toBeGreaterThan(0);
    // the app's adapter hands it on as RATE.LIMITED (the sign-in screen's "try again later")
    const viaApp = await new SupabaseAuthGateway(t.client()).sendOtp(`+${phoneN(105)}`);
    expect(viaApp.ok ? 'sent' : viaApp.error.code).toBe('RATE.LIMITED');
    // a phone already counted for this address still gets its code again (a patient asking twice)
    expect((await c.auth.signInWithOtp({ phone: `+${phoneN(100)}` })).error).toBeNull();
    expect(sent.at(-1)).toBe(`+${phoneN(100)}`);
    const log = logLines.join('');
    expect(log).toContain('"limit":"ip_phones"');
    expect(log).not.toContain(phoneN(103).slice(3));
  });
});
