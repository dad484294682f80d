// Security, session 17 (20261216100001_clinics_staff_settings.sql): any signed-in user read every column of every
// clinic through REST (`GET /rest/v1/clinics?select=*`): the rule set, the WhatsApp/SMS set-up, retention and
// the owner's user id. Over the real gateway and supabase-js: a patient account and another clinic's owner get
// the published columns only and are refused the private ones and get_clinic_staff_settings; the clinic's owner
// reads them through the RPC and still saves through the table (the admin screen's PATCH). PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, startSecurityStack, type SecurityStack } from './helpers/stack';

describe.each(KINDS)("a clinic's private columns over REST (%s)", (kind) => {
  let s: SecurityStack;
  let clinic: Awaited<ReturnType<SecurityStack['newClinic']>>;
  let other: Awaited<ReturnType<SecurityStack['newClinic']>>;
  let patient: Awaited<ReturnType<SecurityStack['signUp']>>;
  beforeAll(async () => {
    s = await startSecurityStack(kind);
    clinic = await s.newClinic('cols-a');
    other = await s.newClinic('cols-b');
    patient = await s.signUp('cols-patient');
    await s.db.query(
      `update public.clinics set retention_days = 365, sms_sender = 'ClinicA', reminder_minutes_before = 60
        where id = $1`,
      [clinic.clinicId],
    );
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('a patient and another clinic’s owner: select=* and select=settings are refused, the public columns answer', async () => {
    for (const who of [patient.client, other.client]) {
      for (const cols of ['*', 'settings', 'created_by', 'whatsapp_templates,sms_sender', 'retention_days']) {
        const r = await who.from('clinics').select(cols).eq('id', clinic.clinicId);
        expect(`${cols}: ${r.error?.code ?? 'answered'}`).toBe(`${cols}: 42501`);
        expect(r.data).toBeNull();
      }
      // a filter on a private column reads it too
      const filtered = await who
        .from('clinics')
        .select('id')
        .eq('id', clinic.clinicId)
        .gt('retention_days', 0);
      expect(filtered.error?.code).toBe('42501');
      const pub = await who
        .from('clinics')
        .select('id, slug, name, time_zone, default_language, ticket_prefix, phone, address')
        .eq('id', clinic.clinicId)
        .single();
      expect(pub.error).toBeNull();
      expect(pub.data).toMatchObject({ id: clinic.clinicId, name: 'Clinic cols-a' });
      const rpc = await who.rpc('get_clinic_staff_settings', { p_clinic_id: clinic.clinicId });
      expect(rpc.error?.message).toBe('AUTH.FORBIDDEN');
      expect(rpc.data).toBeNull();
    }
  });

  it('the clinic’s owner reads the private settings through the RPC and saves settings through the table', async () => {
    const got = await clinic.client.rpc('get_clinic_staff_settings', { p_clinic_id: clinic.clinicId });
    expect(got.error).toBeNull();
    expect(got.data).toMatchObject({ id: clinic.clinicId, retention_days: 365, sms_sender: 'ClinicA' });
    const settings = {
      ...(got.data as { settings: Record<string, unknown> }).settings,
      grace_period_minutes: 14,
    };
    const saved = await clinic.client
      .from('clinics')
      .update({ settings })
      .eq('id', clinic.clinicId)
      .select('id');
    expect(saved.error).toBeNull();
    expect(saved.data).toEqual([{ id: clinic.clinicId }]);
    const after = await clinic.client.rpc('get_clinic_staff_settings', { p_clinic_id: clinic.clinicId });
    expect((after.data as { settings: { grace_period_minutes: number } }).settings.grace_period_minutes).toBe(
      14,
    );
    // but never reads a private column back through the write (PATCH …&select=settings)
    const leak = await clinic.client
      .from('clinics')
      .update({ name: 'Clinic cols-a' })
      .eq('id', clinic.clinicId)
      .select('settings');
    expect(leak.error?.code).toBe('42501');
    // and a patient's PATCH of a clinic changes nothing
    const hijack = await patient.client
      .from('clinics')
      .update({ settings: {} })
      .eq('id', clinic.clinicId)
      .select('id');
    expect(hijack.data ?? []).toEqual([]);
  });
});
