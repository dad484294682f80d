/**
 * fix23a (review23 M1): a sign-up's data.full_name breaking rule P1 (a link, an e-mail address or a phone number) was
 * stored as NULL silently (profiles.full_name null, the account made); a PATCH of profiles.full_name answered
 * 23514 VALIDATION.FAILED. Now the sign-up is refused — 422 person_name_not_allowed, no account — and the app's
 * gateway reads it as PERSON.NAME_NOT_ALLOWED (the sign-up screen's translated message); the profile write answers
 * 422 PERSON.NAME_NOT_ALLOWED. A real name with a particle after a dot (L5) is stored as typed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../conformance/harness';
import { SupabaseAuthGateway } from '../../src/services/shared/repositories/SupabaseAuthGateway';
import { KINDS, startSecurityStack, unique, type SecurityStack } from './helpers/stack';
import { codeOf } from './kit';

describe.each(KINDS)('a sign-up name and a profile name under rule P1 on %s', (kind) => {
  let k: SecurityStack;
  beforeAll(async () => {
    k = await startSecurityStack(kind);
  }, 240_000);
  afterAll(async () => {
    await k?.stop();
  });

  const users = async (email: string) =>
    (await k.db.query<{ n: number }>(`select count(*)::int as n from auth.users where email = $1`, [email]))
      .rows[0]!.n;

  it('a sign-up whose name holds a link or a phone number is refused (422 person_name_not_allowed), no account made', async () => {
    for (const name of ['Gagnant bit(.)ly/promo', 'Promo 06 -- 61 -- 23 -- 45 -- 67', 'Gagnant ⓿❻❻❶❷❸❹❺❻❼']) {
      const email = `${unique('p1name')}@example.test`;
      const raw = await call(k.stack, '/auth/v1/signup', {
        method: 'POST',
        body: JSON.stringify({ email, password: 'secret-pass-123', data: { full_name: name } }),
      });
      expect([name, raw.status, (raw.json as { code?: string }).code]).toEqual([
        name,
        422,
        'person_name_not_allowed',
      ]);
      expect(await users(email)).toBe(0);
    }
    // the app's path: supabase-js, then the gateway's coded error (the sign-up screen translates it)
    const email = `${unique('p1name')}@example.test`;
    const gateway = new SupabaseAuthGateway(k.client());
    const r = await gateway.signUp({
      email,
      password: 'secret-pass-123',
      fullName: 'Gagnant bit۔ly/promo',
      language: 'ar',
    });
    expect(r.ok ? 'ok' : r.error.code).toBe('PERSON.NAME_NOT_ALLOWED');
    expect(await users(email)).toBe(0);
  });

  it('a real name with a particle after a dot signs up and is the profile name', async () => {
    const email = `${unique('p1name')}@example.test`;
    const gateway = new SupabaseAuthGateway(k.client());
    const r = await gateway.signUp({
      email,
      password: 'secret-pass-123',
      fullName: 'Moulay.El Hassan',
      language: 'fr',
    });
    expect(r.ok).toBe(true);
    const { rows } = await k.db.query<{ full_name: string | null }>(
      `select p.full_name from public.profiles p join auth.users u on u.id = p.id where u.email = $1`,
      [email],
    );
    expect(rows).toEqual([{ full_name: 'Moulay.El Hassan' }]);
  });

  it('PATCH profiles.full_name with a phone number answers 422 PERSON.NAME_NOT_ALLOWED and keeps the name', async () => {
    const me = await k.signUp('p1profile');
    expect(
      (await me.client.from('profiles').update({ full_name: 'Sidi.Ma Alaoui' }).eq('id', me.userId)).error,
    ).toBeNull();
    for (const name of ['Promo 06 -- 61 -- 23 -- 45 -- 67', 'Gagnant evil.coffee', 'Gagnant bit·ly/promo']) {
      const r = await me.client.from('profiles').update({ full_name: name }).eq('id', me.userId);
      expect([name, r.status, codeOf(r)]).toEqual([name, 422, 'PERSON.NAME_NOT_ALLOWED']);
    }
    const { rows } = await k.db.query<{ full_name: string | null }>(
      `select full_name from public.profiles where id = $1`,
      [me.userId],
    );
    expect(rows).toEqual([{ full_name: 'Sidi.Ma Alaoui' }]);
  });
});
