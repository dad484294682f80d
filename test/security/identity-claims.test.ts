/**
 * Security (issue 10): no identity without proof. claim_patient_records and accept_staff_invitation act on
 * a phone / email only when it was VERIFIED (auth.users.*_confirmed_at) and the caller's JWT carries that
 * same identity, and — for invitations — it is the invitation's own address or phone. Each attack asserts
 * the refusal and that patients / clinic_members / staff_invitations did not change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, codeOf, startKit, type Clinic, type Kit } from './kit';

const IDENTITY_TABLES = ['public.patients', 'public.clinic_members', 'public.staff_invitations'];

describe.each(KINDS)('identity claims need proof (%s)', (kind) => {
  let k: Kit;
  let clinic: Clinic;
  beforeAll(async () => {
    k = await startKit(kind);
    // a walk-in without an account: the record (and its visits) an attacker wants
    clinic = await k.newClinic('claims', [{ name: 'Walk-in Victim', phone: '+212615000001' }]);
  }, 600_000);
  afterAll(async () => {
    await k?.stop();
  });

  it("a phone set on the account without a code does not claim another patient's records", async () => {
    const attacker = await k.signUp('phone-thief');
    const before = await k.fingerprint(...IDENTITY_TABLES);
    // attack 1: PUT /auth/v1/user {"phone"} (whatever the auth service does with it), then claim with the session
    const put = await k.http('/auth/v1/user', {
      method: 'PUT',
      token: attacker.token,
      body: { phone: '+212615000001' },
    });
    const viaJs = await attacker.client.rpc('claim_patient_records');
    const raw = await k.http('/rest/v1/rpc/claim_patient_records', { token: attacker.token, body: {} });
    // attack 2: the phone on the account but never confirmed, with a JWT that carries it
    await k.db.query(
      `update auth.users set phone = '212615000001', phone_confirmed_at = null where id = $1`,
      [attacker.userId],
    );
    const signIn = await k.http('/auth/v1/token?grant_type=password', {
      apikey: k.stack.anonKey,
      body: { email: attacker.email, password: 'secret-pass-123' },
    });
    const fresh = String(signIn.json?.access_token ?? '');
    expect(fresh).not.toBe('');
    const unconfirmed = await k.http('/rest/v1/rpc/claim_patient_records', { token: fresh, body: {} });
    expect({
      put: put.status < 500,
      viaJs: [viaJs.status, codeOf(viaJs)],
      raw: [raw.status, raw.json?.message],
      unconfirmed: [unconfirmed.status, unconfirmed.json?.message],
    }).toEqual({
      put: true,
      viaJs: [403, 'AUTH.FORBIDDEN'],
      raw: [403, 'AUTH.FORBIDDEN'],
      unconfirmed: [403, 'AUTH.FORBIDDEN'],
    });
    expect(await k.fingerprint(...IDENTITY_TABLES)).toBe(before);
  });

  it('the owner of the phone, signed in with the code sent to it, claims the record', async () => {
    const phone = '+212615000001';
    const c = k.client();
    const sent = await c.auth.signInWithOtp({ phone });
    expect(sent.error).toBeNull();
    const code = k.otp(phone);
    expect(code).toMatch(/^\d{6}$/);
    const v = await c.auth.verifyOtp({ phone, token: code ?? '', type: 'sms' });
    expect(v.error).toBeNull();
    const owner = k.client(v.data.session?.access_token);
    const r = await owner.rpc('claim_patient_records');
    expect([codeOf(r), r.data]).toEqual(['ok', 1]);
    const row = await k.db.query<{ user_id: string }>(
      'select user_id::text from public.patients where id = $1',
      [clinic.patients[0]!.id],
    );
    expect(row.rows).toEqual([{ user_id: v.data.user?.id }]);
  });

  it('an invited email set on an account without proof does not accept the invitation', async () => {
    const inv = await clinic.owner.client.rpc('create_staff_invitation', {
      p_clinic_id: clinic.clinicId,
      p_role: 'admin',
      p_display_name: 'Invited Admin',
      p_email: `invited-${process.pid}@example.test`,
    });
    expect(codeOf(inv)).toBe('ok');
    const token = (inv.data as { token: string }).token;
    const attacker = await k.signUp('email-thief');
    const before = await k.fingerprint(...IDENTITY_TABLES);
    // attack: PUT /auth/v1/user {"email": <invited>}, then accept with the session
    await k.http('/auth/v1/user', {
      method: 'PUT',
      token: attacker.token,
      body: { email: `invited-${process.pid}@example.test` },
    });
    const viaJs = await attacker.client.rpc('accept_staff_invitation', { p_token: token });
    const raw = await k.http('/rest/v1/rpc/accept_staff_invitation', {
      token: attacker.token,
      body: { p_token: token },
    });
    // the invited address on the account, unconfirmed, in a fresh JWT
    await k.db.query(`update auth.users set email = $2, email_confirmed_at = null where id = $1`, [
      attacker.userId,
      `invited-${process.pid}@example.test`,
    ]);
    const signIn = await k.http('/auth/v1/token?grant_type=password', {
      apikey: k.stack.anonKey,
      body: { email: `invited-${process.pid}@example.test`, password: 'secret-pass-123' },
    });
    const fresh = String(signIn.json?.access_token ?? '');
    const unconfirmed = fresh
      ? await k.http('/rest/v1/rpc/accept_staff_invitation', { token: fresh, body: { p_token: token } })
      : { status: 403, json: { message: 'AUTH.FORBIDDEN' } };
    // someone else's confirmed account with the token in hand
    const other = await k.signUp('token-holder');
    const holder = await other.client.rpc('accept_staff_invitation', { p_token: token });
    expect({
      viaJs: [viaJs.status, codeOf(viaJs)],
      raw: [raw.status, raw.json?.message],
      unconfirmed: [unconfirmed.status, unconfirmed.json?.message],
      holder: [holder.status, codeOf(holder)],
    }).toEqual({
      viaJs: [403, 'AUTH.FORBIDDEN'],
      raw: [403, 'AUTH.FORBIDDEN'],
      unconfirmed: [403, 'AUTH.FORBIDDEN'],
      holder: [403, 'AUTH.FORBIDDEN'],
    });
    expect(await k.fingerprint(...IDENTITY_TABLES)).toBe(before);
  });

  it('the invited person, signed up with that (confirmed) email, accepts once', async () => {
    const email = `welcome-${process.pid}@example.test`;
    const inv = await clinic.owner.client.rpc('create_staff_invitation', {
      p_clinic_id: clinic.clinicId,
      p_role: 'receptionist',
      p_display_name: 'Welcome Recep',
      p_email: email,
    });
    const token = (inv.data as { token: string }).token;
    const c = k.client();
    const su = await c.auth.signUp({ email, password: 'secret-pass-123' });
    expect(su.error).toBeNull();
    const me = k.client(su.data.session?.access_token);
    const r = await me.rpc('accept_staff_invitation', { p_token: token });
    expect([codeOf(r), (r.data as { role?: string } | null)?.role]).toEqual(['ok', 'receptionist']);
  });
});
