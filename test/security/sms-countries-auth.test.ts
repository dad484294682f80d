// Security, session 22 (sec22a) — SMS pumping abroad: the local auth sent one-time codes to any country. Now it asks
// the database's allowlist (private.sms_country_allowed over private.sms_countries, default 212 = Morocco) before a
// code is stored or sent: sign-in by code, phone sign-up and a phone change to a number outside it get 422
// `phone_country_not_allowed`, nothing reaches the SMS hook, and the app's adapter hands it on as
// PHONE.COUNTRY_NOT_ALLOWED (the sign-in screen says it in words). On PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../conformance/harness';
import { KINDS, startSecurityStack, type SecurityStack } from './helpers/stack';
import { SupabaseAuthGateway } from '../../src/services/shared/repositories/SupabaseAuthGateway';

describe.each(KINDS)('SMS codes go to the allowed countries only (%s)', (kind) => {
  let t: SecurityStack;
  const sent: string[] = [];
  beforeAll(async () => {
    t = await startSecurityStack(kind, { onOtp: (phone) => void sent.push(phone) });
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('no code to +33, +44, +1 or a number dressed up (spaces, 00); Moroccan numbers get theirs', async () => {
    const c = t.client();
    const answers: [string, string | null][] = [];
    for (const phone of [
      '+33612345678',
      '+33 6 12 34 56 78',
      '+447400123456',
      '+12025550123',
      '0033612345678',
    ]) {
      const r = await c.auth.signInWithOtp({ phone });
      answers.push([phone, r.error?.code ?? null]);
    }
    expect(answers).toEqual([
      ['+33612345678', 'phone_country_not_allowed'],
      ['+33 6 12 34 56 78', 'phone_country_not_allowed'],
      ['+447400123456', 'phone_country_not_allowed'],
      ['+12025550123', 'phone_country_not_allowed'],
      // "00" is not a "+": its digits read 0033…, which is no E.164 number at all (the app turns 00 into + first)
      ['0033612345678', 'validation_failed'],
    ]);
    const signUp = await call(t.stack, '/auth/v1/signup', {
      method: 'POST',
      body: JSON.stringify({ phone: '+33612345679', password: 'secret-pass-123' }),
    });
    expect([signUp.status, (signUp.json as { error_code?: string }).error_code]).toEqual([
      422,
      'phone_country_not_allowed',
    ]);
    expect(sent).toEqual([]);
    // the app's adapter: the code the sign-in screen turns into words
    const viaApp = await new SupabaseAuthGateway(t.client()).sendOtp('+33 6 12 34 56 78');
    expect(viaApp.ok ? 'sent' : viaApp.error.code).toBe('PHONE.COUNTRY_NOT_ALLOWED');
    expect(sent).toEqual([]);
    // Moroccan numbers, +212 and 06… alike, get their code
    expect((await c.auth.signInWithOtp({ phone: '+212612000922' })).error).toBeNull();
    expect(await new SupabaseAuthGateway(t.client()).sendOtp('06 12 00 09 23')).toEqual({
      ok: true,
      value: undefined,
    });
    expect(sent).toEqual(['+212612000922', '+212612000923']);
  });

  it('sec25: a Moroccan landline gets no code and says "enter a mobile" (phone_not_mobile), not "a local number"', async () => {
    const before = sent.length;
    const answers: [string, string | null][] = [];
    // before: 422 phone_country_not_allowed ("enter a local number" — a landline IS local)
    for (const phone of ['+212522123456', '+212 537 12 34 56']) {
      const r = await t.client().auth.signInWithOtp({ phone });
      answers.push([phone, r.error?.code ?? null]);
    }
    expect(answers).toEqual([
      ['+212522123456', 'phone_not_mobile'],
      ['+212 537 12 34 56', 'phone_not_mobile'],
    ]);
    const signUp = await call(t.stack, '/auth/v1/signup', {
      method: 'POST',
      body: JSON.stringify({ phone: '+212522123457', password: 'secret-pass-123' }),
    });
    expect([signUp.status, (signUp.json as { error_code?: string }).error_code]).toEqual([
      422,
      'phone_not_mobile',
    ]);
    const c = t.client();
    expect(
      (await c.auth.signUp({ email: `sec25-${kind}@example.test`, password: 'secret-pass-123' })).error,
    ).toBeNull();
    expect((await c.auth.updateUser({ phone: '+212522123458' })).error?.code).toBe('phone_not_mobile');
    // a number abroad keeps its own code
    expect((await t.client().auth.signInWithOtp({ phone: '+33612345699' })).error?.code).toBe(
      'phone_country_not_allowed',
    );
    expect(sent.length).toBe(before);
    // the app's adapter: the code the sign-in screen words as "this is a landline — enter a mobile"
    const viaApp = await new SupabaseAuthGateway(t.client()).sendOtp('0522 12 34 59');
    expect(viaApp.ok ? 'sent' : viaApp.error.code).toBe('PHONE.NOT_MOBILE');
    expect(sent.length).toBe(before);
  });

  it('a phone change to a number abroad sends no code and stores nothing pending', async () => {
    const c = t.client();
    const email = `sec22a-${kind}@example.test`;
    const up = await c.auth.signUp({ email, password: 'secret-pass-123' });
    expect(up.error).toBeNull();
    const before = sent.length;
    const change = await c.auth.updateUser({ phone: '+447400123457' });
    expect(change.error?.code).toBe('phone_country_not_allowed');
    expect(sent.length).toBe(before);
    const me = await c.auth.getUser();
    expect(me.data.user?.new_phone ?? null).toBeNull();
    // a Moroccan number is taken as pending and gets its code
    expect((await c.auth.updateUser({ phone: '+212612000924' })).error).toBeNull();
    expect(sent.at(-1)).toBe('+212612000924');
  });

  it('review23 L6: a trunk 0 kept after +212 is dropped as the app drops it: the code goes to +2126…, never +21206…', async () => {
    const c = t.client();
    const up = await c.auth.signUp({ email: `l6-${kind}@example.test`, password: 'secret-pass-123' });
    expect(up.error).toBeNull();
    // before: 200 and the code went to +2120612000931 (it never arrives)
    expect((await c.auth.updateUser({ phone: '+212 (0) 612000931' })).error).toBeNull();
    expect(sent.at(-1)).toBe('+212612000931');
    expect((await c.auth.getUser()).data.user?.new_phone).toBe('212612000931');
    expect((await c.auth.updateUser({ phone: '2120612000932' })).error).toBeNull();
    expect(sent.at(-1)).toBe('+212612000932');
    expect((await c.auth.getUser()).data.user?.new_phone).toBe('212612000932');
    // sign-in by code and phone sign-up alike
    expect((await t.client().auth.signInWithOtp({ phone: '+2120612000933' })).error).toBeNull();
    expect(sent.at(-1)).toBe('+212612000933');
    const signUp = await call(t.stack, '/auth/v1/signup', {
      method: 'POST',
      body: JSON.stringify({ phone: '+212 0 612 000 934', password: 'secret-pass-123' }),
    });
    expect(signUp.status).toBe(200);
    expect(sent.at(-1)).toBe('+212612000934');
    // a +2120… no parsing can repair is refused as no number (the database's phone check), and nothing is sent
    const before = sent.length;
    const bad = await t.client().auth.signInWithOtp({ phone: '+2120000000' });
    expect(bad.error?.code).toBe('validation_failed');
    expect(sent.length).toBe(before);
  });

  it('review24 L2: a number libphonenumber finds invalid gets no code (too long, a landline, an 8 range): 400 PHONE.INVALID', async () => {
    const before = sent.length;
    const answers: [string, string | null][] = [];
    // before: each answered 200 and its raw digits got a code
    for (const phone of ['+212612398793123', '+212512398791', '+212812398792', '+2121234567']) {
      const r = await t.client().auth.signInWithOtp({ phone });
      answers.push([phone, r.error?.code ?? null]);
    }
    expect(answers).toEqual([
      ['+212612398793123', 'validation_failed'],
      ['+212512398791', 'validation_failed'],
      ['+212812398792', 'validation_failed'],
      ['+2121234567', 'validation_failed'],
    ]);
    // phone sign-up and a phone change alike
    const signUp = await call(t.stack, '/auth/v1/signup', {
      method: 'POST',
      body: JSON.stringify({ phone: '+212612398793124', password: 'secret-pass-123' }),
    });
    expect([signUp.status, (signUp.json as { error_code?: string }).error_code]).toEqual([
      400,
      'validation_failed',
    ]);
    const c = t.client();
    expect(
      (await c.auth.signUp({ email: `l2-${kind}@example.test`, password: 'secret-pass-123' })).error,
    ).toBeNull();
    expect((await c.auth.updateUser({ phone: '+212512398795' })).error?.code).toBe('validation_failed');
    expect(sent.length).toBe(before);
    // the sign-in screen's words: the app's adapter maps it to a validation error, shown as PHONE.INVALID
    const viaApp = await new SupabaseAuthGateway(t.client()).sendOtp('+212612398793123');
    expect(viaApp.ok ? 'sent' : viaApp.error.code).toBe('VALIDATION.FAILED');
    expect(sent.length).toBe(before);
  });
});
