/**
 * sec26 (session 25's "Left"): the local auth took a sign-up or an e-mail change whose address held an invisible
 * character or a non-ASCII domain ("x@ｇｍａｉｌ.com", "x@مثال.ma", "x@gm<U+200B>ail.com") — the app's own rule
 * (private.email_domain_rules, EMAIL.DOMAIN_NOT_ASCII) refuses them on patients.email and staff_invitations.email,
 * and real GoTrue refuses them too (its checkmail pattern is ASCII-only: 400 validation_failed "Unable to validate
 * email address: invalid format"). Now a written address (sign-up, PUT /user, the admin API) is refused with 400
 * `email_domain_not_ascii`, no account or pending change made; the app's gateway reads it as EMAIL.DOMAIN_NOT_ASCII
 * (the sign-up screen's en/fr/ar message). The app sends an international domain as punycode at sign-up and sign-in;
 * an account the local stack stored with a Unicode domain before still signs in with the punycode form.
 * Real supabase-js and raw HTTP against the stack, on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupabaseAuthGateway } from '../../src/services/shared/repositories/SupabaseAuthGateway';
import { AuthService } from '../../src/services/shared/AuthService';
import {
  KINDS,
  expectNoLeak,
  fingerprint,
  raw,
  startSecurityStack,
  unique,
  type SecurityStack,
} from './helpers/stack';

const BAD_DOMAINS = [
  'ｇｍａｉｌ.com', // full-width letters
  'مثال.ma', // an Arabic domain typed as is
  'gm\u200bail.com', // zero-width space
  'gm\u00adail.com', // soft hyphen
  'gm\u00a0ail.com', // no-break space inside
  'gmail.com\u202e', // bidi override at the end
];

describe.each(KINDS)('auth.users e-mail domains under the app rule (%s)', (kind) => {
  let k: SecurityStack;
  beforeAll(async () => {
    k = await startSecurityStack(kind);
  }, 240_000);
  afterAll(async () => {
    await k?.stop();
  });

  const users = async (local: string) =>
    (
      await k.db.query<{ n: number }>(
        `select count(*)::int as n from auth.users where email like $1 || '@%'`,
        [local],
      )
    ).rows[0]!.n;

  it('anon: a sign-up with an invisible character or a non-ASCII domain is refused (400 email_domain_not_ascii), no account', async () => {
    for (const domain of BAD_DOMAINS) {
      const local = unique('dom');
      const r = await raw(k.stack, '/auth/v1/signup', {
        method: 'POST',
        body: JSON.stringify({ email: `${local}@${domain}`, password: 'secret-pass-123' }),
      });
      expect([domain, r.status, (r.json as { code?: string }).code]).toEqual([
        domain,
        400,
        'email_domain_not_ascii',
      ]);
      // GoTrue's error body shape: code, error_code, msg
      expect(r.json).toMatchObject({ error_code: 'email_domain_not_ascii', msg: expect.any(String) });
      expectNoLeak(r.text, 'signup');
      expect(await users(local)).toBe(0);
    }
    // ASCII junk in the domain is GoTrue's invalid format, refused as well
    const local = unique('dom');
    const junk = await raw(k.stack, '/auth/v1/signup', {
      method: 'POST',
      body: JSON.stringify({ email: `${local}@evil_host.com`, password: 'secret-pass-123' }),
    });
    expect([junk.status, (junk.json as { code?: string }).code]).toEqual([400, 'email_address_invalid']);
    expect(await users(local)).toBe(0);
  });

  it('the app: supabase-js through the gateway answers EMAIL.DOMAIN_NOT_ASCII; AuthService sends punycode and signs in', async () => {
    const gateway = new SupabaseAuthGateway(k.client());
    const local = unique('dom');
    const r = await gateway.signUp({ email: `${local}@ｇｍａｉｌ.com`, password: 'secret-pass-123' });
    expect(r.ok ? 'ok' : r.error.code).toBe('EMAIL.DOMAIN_NOT_ASCII');
    expect(await users(local)).toBe(0);
    // the screen's path: AuthService folds the domain to its ASCII form first
    const service = new AuthService(new SupabaseAuthGateway(k.client()));
    const local2 = unique('idn');
    const up = await service.signUp({ email: `${local2}@مثال.ma`, password: 'secret-pass-123' });
    expect(up.ok ? 'ok' : up.error.code).toBe('ok');
    const { rows } = await k.db.query<{ email: string }>(
      `select email from auth.users where email like $1 || '@%'`,
      [local2],
    );
    expect(rows.map((x) => x.email)).toEqual([`${local2}@xn--mgbh0fb.ma`]);
    // signing in with the address as typed (Unicode) and as punycode both find the account
    for (const typed of [`${local2}@مثال.ma`, `${local2}@xn--mgbh0fb.ma`]) {
      const s = await new AuthService(new SupabaseAuthGateway(k.client())).signInWithPassword(
        typed,
        'secret-pass-123',
      );
      expect([typed, s.ok ? s.value.email : s.error.code]).toEqual([typed, `${local2}@xn--mgbh0fb.ma`]);
    }
  });

  it('an account stored with a Unicode domain before (local stack) still signs in with the punycode the app sends', async () => {
    const local = unique('old');
    const old = await raw(k.stack, '/auth/v1/signup', {
      method: 'POST',
      body: JSON.stringify({ email: `${local}@xn--mgbh0fb.ma`, password: 'secret-pass-123' }),
    });
    expect(old.status).toBe(200);
    // as a row written before the rule: its domain in Unicode
    await k.db.query(`update auth.users set email = $2 where email = $1`, [
      `${local}@xn--mgbh0fb.ma`,
      `${local}@مثال.ma`,
    ]);
    const s = await new AuthService(new SupabaseAuthGateway(k.client())).signInWithPassword(
      `${local}@مثال.ma`,
      'secret-pass-123',
    );
    expect(s.ok ? s.value.email : s.error.code).toBe(`${local}@مثال.ma`);
    // a wrong password is still wrong
    const wrong = await new AuthService(new SupabaseAuthGateway(k.client())).signInWithPassword(
      `${local}@xn--mgbh0fb.ma`,
      'not-the-password',
    );
    expect(wrong.ok).toBe(false);
  });

  it('a signed-in user (a patient, a clinic owner) cannot change their e-mail to such an address: 400, no pending change', async () => {
    const patient = await k.signUp('patient-dom');
    const owner = await k.newClinic('owner-dom');
    for (const token of [patient.token, owner.token]) {
      const before = await fingerprint(k.db, ['auth.users']);
      for (const domain of BAD_DOMAINS) {
        const put = await raw(k.stack, '/auth/v1/user', {
          method: 'PUT',
          token,
          body: JSON.stringify({ email: `${unique('chg')}@${domain}` }),
        });
        expect([domain, put.status, (put.json as { code?: string }).code]).toEqual([
          domain,
          400,
          'email_domain_not_ascii',
        ]);
        expectNoLeak(put.text, 'PUT /user');
      }
      expect(await fingerprint(k.db, ['auth.users'])).toEqual(before);
    }
    // the punycode form is a change like any other: stored as pending, a code sent
    const good = await raw(k.stack, '/auth/v1/user', {
      method: 'PUT',
      token: patient.token,
      body: JSON.stringify({ email: `${unique('chg')}@xn--mgbh0fb.ma` }),
    });
    expect(good.status).toBe(200);
    expect((good.json as { new_email?: string }).new_email).toMatch(/@xn--mgbh0fb\.ma$/);
  });

  it('the admin API (service role) is held to the same rule; anon and a user cannot reach it', async () => {
    const local = unique('adm');
    const body = JSON.stringify({ email: `${local}@مثال.ma`, password: 'secret-pass-123' });
    const svc = await raw(k.stack, '/auth/v1/admin/users', {
      method: 'POST',
      apikey: k.stack.serviceKey,
      token: k.stack.serviceKey,
      body,
    });
    expect([svc.status, (svc.json as { code?: string }).code]).toEqual([400, 'email_domain_not_ascii']);
    const patient = await k.signUp('patient-adm');
    for (const token of [null, patient.token]) {
      const r = await raw(k.stack, '/auth/v1/admin/users', { method: 'POST', token, body });
      expect(r.status).toBe(403);
    }
    expect(await users(local)).toBe(0);
  });
});
