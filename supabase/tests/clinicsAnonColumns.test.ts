/**
 * Attack review of session 16 (20261214700002_clinics_anon_columns.sql): anon read clinics.created_by (the
 * owner's user id), settings and the messaging set-up. anon now reads only what a clinic publishes anyway
 * (what get_public_clinic answers); staff read their clinic's settings through get_clinic_staff_settings
 * (20261216100001). No clock involved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const HIDDEN = [
  'created_by',
  'settings',
  'whatsapp_templates',
  'whatsapp_sender',
  'sms_sender',
  'sms_sender_approved',
  'retention_days',
  'reminder_minutes_before',
  'default_channel',
  'created_at',
  'updated_at',
];

describe.each(DB_KINDS)('what anon reads of a clinic, on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it.each(HIDDEN)('anon cannot read clinics.%s (permission denied, 42501)', (col) =>
    rolledBack(t.db, async (tx) => {
      const e = await refused(tx, ACTORS.anon, `select ${col}::text as r from public.clinics where id = $1`, [
        ID.clinicA,
      ]);
      expect(e.startsWith('42501 ')).toBe(true);
      // nor through the whole row
      const row = await refused(
        tx,
        ACTORS.anon,
        `select to_jsonb(c) as r from public.clinics c where id = $1`,
        [ID.clinicA],
      );
      expect(row.startsWith('42501 ')).toBe(true);
    }),
  );

  it('anon still reads the published columns; staff read settings through get_clinic_staff_settings', () =>
    rolledBack(t.db, async (tx) => {
      const pub = await as<Record<string, unknown>>(
        tx,
        ACTORS.anon,
        `select jsonb_build_object('id', id, 'slug', slug, 'name', name, 'tz', time_zone, 'lang', default_language,
                'prefix', ticket_prefix, 'phone', phone, 'address', address) as r from public.clinics where id = $1`,
        [ID.clinicA],
      );
      expect(pub).toMatchObject({ id: ID.clinicA, slug: 'clinic-a', name: 'Clinique A' });
      // signed-in callers no longer read settings from the table (20261216100001, clinicsStaffSettings.test)
      const staff = await as<{ settings: unknown }>(
        tx,
        ACTORS.ownerA,
        `select public.get_clinic_staff_settings($1) as r`,
        [ID.clinicA],
      );
      expect(staff.settings).not.toBeNull();
    }));
});
