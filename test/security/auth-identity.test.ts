// Issue 10, item 1: no identity without proof. An attacker (a second user) tries to make someone else's
// phone or email theirs through PUT /auth/v1/user and phone sign-up, then to use it on claim_patient_records
// and accept_staff_invitation — with the real supabase-js and raw HTTP, on PGlite and PostgreSQL. Each
// attack must be refused AND leave the rows it aimed at unchanged (fingerprints). The legitimate flows
// (supabase-js updateUser + verifyOtp phone_change / email_change) must work unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KINDS,
  expectNoLeak,
  fingerprint,
  raw,
  startSecurityStack,
  unique,
  type SecurityStack,
} from './helpers/stack';

const VICTIM_PHONE = '+212600000101';
const TABLES = [
  'public.patients',
  'public.clinic_members',
  'public.staff_invitations',
  'auth.users',
] as const;

describe.each(KINDS)('identity changes need proof (%s)', (kind) => {
  let t: SecurityStack;
  let clinic: Awaited<ReturnType<SecurityStack['newClinic']>>;
  let victimPatientId = '';
  let invite: { token: string; email: string };

  beforeAll(async () => {
    t = await startSecurityStack(kind);
    clinic = await t.newClinic('victim-clinic');
    // a patient of the clinic who never created an account (the receptionist typed the phone)
    const { rows } = await t.db.query<{ id: string }>(
      `insert into public.patients (clinic_id, full_name, phone) values ($1, 'Victim Patient', $2) returning id::text as id`,
      [clinic.clinicId, VICTIM_PHONE],
    );
    victimPatientId = rows[0]?.id ?? '';
    const email = `${unique('invitee')}@example.test`;
    const inv = await clinic.client.rpc('create_staff_invitation', {
      p_clinic_id: clinic.clinicId,
      p_role: 'admin',
      p_display_name: 'New admin',
      p_email: email,
    });
    expect(inv.error).toBeNull();
    invite = { token: (inv.data as { token: string }).token, email };
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('PUT /user {phone: someone else’s} (raw HTTP) only stores it as pending: no phone, no phone_confirmed_at; claim_patient_records is refused and no patient changes', async () => {
    const attacker = await t.signUp('attacker-phone');
    const before = await fingerprint(
      t.db,
      TABLES.filter((x) => x !== 'auth.users'),
    );
    const put = await raw(t.stack, '/auth/v1/user', {
      method: 'PUT',
      token: attacker.token,
      body: JSON.stringify({ phone: VICTIM_PHONE }),
    });
    expect(put.status).toBe(200);
    const u = put.json as Record<string, unknown>;
    expect(u.phone).toBe('');
    expect(u.phone_confirmed_at).toBeUndefined();
    expect(u.new_phone).toBe('212600000101');
    const { rows } = await t.db.query<{ phone: string | null; phone_confirmed_at: unknown }>(
      `select phone, phone_confirmed_at from auth.users where id = $1`,
      [attacker.userId],
    );
    expect(rows[0]).toEqual({ phone: null, phone_confirmed_at: null });
    const claim = await attacker.client.rpc('claim_patient_records');
    expect(claim.error?.message).toBe('AUTH.FORBIDDEN');
    expect(
      await fingerprint(
        t.db,
        TABLES.filter((x) => x !== 'auth.users'),
      ),
    ).toEqual(before);
    const { rows: p } = await t.db.query<{ user_id: string | null }>(
      `select user_id::text as user_id from public.patients where id = $1`,
      [victimPatientId],
    );
    expect(p[0]?.user_id).toBeNull();
  });

  it('the same through supabase-js updateUser({ phone }) and a guessed verifyOtp phone_change: refused; five wrong codes drop the pending change, so even the right code is then refused', async () => {
    const attacker = await t.signUp('attacker-guess');
    const upd = await attacker.auth.auth.updateUser({ phone: VICTIM_PHONE });
    expect(upd.error).toBeNull();
    expect(upd.data.user?.phone_confirmed_at).toBeUndefined();
    const real = t.lastCode(VICTIM_PHONE); // what the victim's phone received — the attacker never sees it
    const wrong = real === '000000' ? '111111' : '000000';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const v = await t.client().auth.verifyOtp({ phone: VICTIM_PHONE, token: wrong, type: 'phone_change' });
      statuses.push(v.error?.status ?? 200);
    }
    expect(statuses).toEqual([403, 403, 403, 403, 403]);
    const before = await fingerprint(t.db, TABLES);
    const late = await t.client().auth.verifyOtp({ phone: VICTIM_PHONE, token: real, type: 'phone_change' });
    expect(late.error?.status).toBe(403);
    expect(late.error?.code).toBe('otp_expired');
    const { rows } = await t.db.query<{
      phone: string | null;
      phone_confirmed_at: unknown;
      phone_change_token: string;
    }>(`select phone, phone_confirmed_at, phone_change_token from auth.users where id = $1`, [
      attacker.userId,
    ]);
    expect(rows[0]?.phone).toBeNull();
    expect(rows[0]?.phone_confirmed_at).toBeNull();
    expect(rows[0]?.phone_change_token).toBe('');
    const after = await fingerprint(t.db, TABLES);
    // only the attacker's own row may differ (its pending token was dropped); nothing else
    expect({ ...after, 'auth.users': '' }).toEqual({ ...before, 'auth.users': '' });
    expect((await attacker.client.rpc('claim_patient_records')).error?.message).toBe('AUTH.FORBIDDEN');
  });

  it('phone sign-up with someone else’s phone gives no session and no confirmed phone; when the owner proves the phone, the number leaves the squatter’s account and the owner gets their own', async () => {
    const squat = await t.client().auth.signUp({ phone: '+212600000202', password: 'squatter-pass' });
    expect(squat.error).toBeNull();
    expect(squat.data.session).toBeNull();
    expect(squat.data.user?.phone_confirmed_at).toBeUndefined();
    const early = await t
      .client()
      .auth.signInWithPassword({ phone: '+212600000202', password: 'squatter-pass' });
    expect(early.error?.code).toBe('phone_not_confirmed');
    // the real owner signs in by SMS
    const owner = t.client();
    expect((await owner.auth.signInWithOtp({ phone: '+212600000202' })).error).toBeNull();
    const v = await owner.auth.verifyOtp({
      phone: '+212600000202',
      token: t.lastCode('+212600000202'),
      type: 'sms',
    });
    expect(v.error).toBeNull();
    expect(v.data.user?.phone_confirmed_at).toBeTruthy();
    // the owner gets an account of their own; the squatter's account loses the unproven phone
    expect(v.data.user?.id).not.toBe(squat.data.user?.id);
    const { rows } = await t.db.query<{ phone: string | null; phone_confirmed_at: unknown }>(
      `select phone, phone_confirmed_at from auth.users where id = $1`,
      [squat.data.user?.id],
    );
    expect(rows[0]).toEqual({ phone: null, phone_confirmed_at: null });
    const after = await t
      .client()
      .auth.signInWithPassword({ phone: '+212600000202', password: 'squatter-pass' });
    expect(after.error?.code).toBe('invalid_credentials');
  });

  it('PUT /user {email: an invited address} stays pending: accept_staff_invitation is refused and no membership or invitation changes', async () => {
    const attacker = await t.signUp('attacker-email');
    const before = await fingerprint(t.db, ['public.clinic_members', 'public.staff_invitations']);
    const put = await raw(t.stack, '/auth/v1/user', {
      method: 'PUT',
      token: attacker.token,
      body: JSON.stringify({ email: invite.email }),
    });
    expect(put.status).toBe(200);
    expect((put.json as Record<string, unknown>).email).toBe(attacker.email);
    expect((put.json as Record<string, unknown>).new_email).toBe(invite.email);
    const accept = await attacker.client.rpc('accept_staff_invitation', { p_token: invite.token });
    expect(accept.error?.message).toBe('AUTH.FORBIDDEN');
    expect(await fingerprint(t.db, ['public.clinic_members', 'public.staff_invitations'])).toEqual(before);
    const wrong = await t
      .client()
      .auth.verifyOtp({ email: invite.email, token: '123456', type: 'email_change' });
    expect(wrong.error?.status).toBe(403);
    const { rows } = await t.db.query<{ email: string }>(`select email from auth.users where id = $1`, [
      attacker.userId,
    ]);
    expect(rows[0]?.email).toBe(attacker.email);
  });

  it('a code is bound to its address and its type: an email-change code is no phone_change code, and another user’s code is not yours', async () => {
    const a = await t.signUp('bound-a');
    const newEmail = `${unique('bound-new')}@example.test`;
    expect((await a.auth.auth.updateUser({ email: newEmail })).error).toBeNull();
    const code = t.lastCode(newEmail);
    const asPhone = await t
      .client()
      .auth.verifyOtp({ phone: '+212600000303', token: code, type: 'phone_change' });
    expect(asPhone.error?.status).toBe(403);
    const otherEmail = await t
      .client()
      .auth.verifyOtp({ email: `${unique('other')}@example.test`, token: code, type: 'email_change' });
    expect(otherEmail.error?.status).toBe(403);
    const asSms = await raw(t.stack, '/auth/v1/verify', {
      method: 'POST',
      body: JSON.stringify({ type: 'signup', email: newEmail, token: code }),
    });
    expect(asSms.status).toBe(400);
    expectNoLeak(asSms.text, 'verify signup');
  });

  it('email or phone already used by another account → 422 email_exists / phone_exists, nothing written', async () => {
    const a = await t.signUp('dup-a');
    const b = await t.signUp('dup-b');
    const before = await fingerprint(t.db, ['auth.users']);
    const email = await raw(t.stack, '/auth/v1/user', {
      method: 'PUT',
      token: b.token,
      body: JSON.stringify({ email: a.email.toUpperCase() }),
    });
    expect(email.status).toBe(422);
    expect(email.json).toMatchObject({ code: 'email_exists' });
    // the phone that the squatter test's owner proved
    const phone = await raw(t.stack, '/auth/v1/user', {
      method: 'PUT',
      token: b.token,
      body: JSON.stringify({ phone: '+212 600 000 202' }),
    });
    expect(phone.status).toBe(422);
    expect(phone.json).toMatchObject({ code: 'phone_exists' });
    const bad = await raw(t.stack, '/auth/v1/user', {
      method: 'PUT',
      token: b.token,
      body: JSON.stringify({ email: 'not-an-email' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'email_address_invalid' });
    expect(await fingerprint(t.db, ['auth.users'])).toEqual(before);
    for (const r of [email, phone, bad]) expectNoLeak(r.text, 'PUT /user');
  });

  it('the real flows: updateUser({ phone }) + verifyOtp phone_change makes the phone the user’s (then claim_patient_records finds their record); updateUser({ email }) + verifyOtp email_change changes the email', async () => {
    const me = await t.signUp('owner-of-phone');
    const myPhone = '+212600000404';
    await t.db.query(
      `insert into public.patients (clinic_id, full_name, phone) values ($1, 'Real Owner', $2)`,
      [clinic.clinicId, myPhone],
    );
    const upd = await me.auth.auth.updateUser({ phone: myPhone });
    expect(upd.error).toBeNull();
    expect(upd.data.user?.new_phone).toBe('212600000404');
    const v = await me.auth.auth.verifyOtp({
      phone: myPhone,
      token: t.lastCode(myPhone),
      type: 'phone_change',
    });
    expect(v.error).toBeNull();
    expect(v.data.user?.phone).toBe('212600000404');
    expect(v.data.user?.phone_confirmed_at).toBeTruthy();
    expect(v.data.user?.new_phone).toBeUndefined();
    const session = v.data.session?.access_token ?? '';
    expect(session).not.toBe('');
    const claim = await t.client(session).rpc('claim_patient_records');
    expect(claim.error).toBeNull();
    expect(claim.data).toBe(1);

    const newEmail = `${unique('moved')}@example.test`;
    const e = await me.auth.auth.updateUser({ email: newEmail });
    expect(e.error).toBeNull();
    expect(e.data.user?.email).toBe(me.email);
    expect(e.data.user?.new_email).toBe(newEmail);
    const ve = await t
      .client()
      .auth.verifyOtp({ email: newEmail, token: t.lastCode(newEmail), type: 'email_change' });
    expect(ve.error).toBeNull();
    expect(ve.data.user?.email).toBe(newEmail);
    expect(ve.data.user?.email_confirmed_at).toBeTruthy();
    const signIn = await t.client().auth.signInWithPassword({ email: newEmail, password: 'secret-pass-123' });
    expect(signIn.error).toBeNull();
    // a code works once
    const replay = await t
      .client()
      .auth.verifyOtp({ email: newEmail, token: t.lastCode(newEmail), type: 'email_change' });
    expect(replay.error?.status).toBe(403);
  });
});
