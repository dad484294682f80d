/**
 * Security, session 17 (20261216100001_clinics_staff_settings.sql): any signed-in user — a patient account, or
 * the owner of another clinic — read every column of every clinic (its rule set, messaging set-up, retention,
 * created_by). Signed-in callers now read only the public columns through the table, as anon does; a clinic's
 * staff read its private columns through get_clinic_staff_settings, which answers nobody else. No clock involved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const PRIVATE = [
  'created_by',
  'settings',
  'whatsapp_templates',
  'whatsapp_sender',
  'sms_sender',
  'sms_sender_approved',
  'retention_days',
  'reminder_minutes_before',
  'default_channel',
  'remote_join_cap',
  'remote_arrival_minutes',
  'waitlist_offer_minutes',
  'created_at',
  'updated_at',
];
const OUTSIDERS = [ACTORS.patientA, ACTORS.patientB, ACTORS.ownerB] as const;
const STAFF = [ACTORS.recepA, ACTORS.practA, ACTORS.ownerA] as const;

/** Clinic A's private set-up, written as its owner's screens would (superuser, in the test's transaction). */
const SET_UP = `update public.clinics set settings = settings || '{"grace_period_minutes": 12}'::jsonb,
  reminder_minutes_before = 90, default_channel = 'email', whatsapp_sender = '+212522000001',
  sms_sender = 'ClinicA', retention_days = 365 where id = '${ID.clinicA}'`;

describe.each(DB_KINDS)("who reads a clinic's private columns, on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it.each(PRIVATE)(
    'a patient, another clinic’s owner and even the clinic’s own staff cannot select clinics.%s (42501)',
    (col) =>
      rolledBack(t.db, async (tx) => {
        for (const actor of [...OUTSIDERS, ...STAFF]) {
          const e = await refused(tx, actor, `select ${col}::text as r from public.clinics where id = $1`, [
            ID.clinicA,
          ]);
          expect(`${actor.name}: ${e.slice(0, 5)}`).toBe(`${actor.name}: 42501`);
        }
      }),
  );

  it('nor the whole row, a filter on a private column, or an update that reads one back (what REST select=*, ?settings=… and PATCH …&select=settings run)', () =>
    rolledBack(t.db, async (tx) => {
      for (const actor of [...OUTSIDERS, ...STAFF]) {
        for (const sql of [
          `select to_jsonb(c) as r from public.clinics c where id = $1`,
          `select count(*) as r from public.clinics where id = $1 and settings ? 'grace_period_minutes'`,
          `with u as (update public.clinics set name = name where id = $1 returning settings) select 1 as r from u`,
        ]) {
          const e = await refused(tx, actor, sql, [ID.clinicA]);
          expect(`${actor.name}: ${e.slice(0, 5)}`).toBe(`${actor.name}: 42501`);
        }
      }
    }));

  it('signed-in callers still read the published columns of any clinic (as anon does)', () =>
    rolledBack(t.db, async (tx) => {
      for (const actor of [...OUTSIDERS, ...STAFF]) {
        const pub = await as<Record<string, unknown>>(
          tx,
          actor,
          `select jsonb_build_object('id', id, 'slug', slug, 'name', name, 'tz', time_zone, 'lang', default_language,
                  'prefix', ticket_prefix, 'phone', phone, 'address', address) as r from public.clinics where id = $1`,
          [ID.clinicA],
        );
        expect(pub).toMatchObject({ id: ID.clinicA, slug: 'clinic-a', name: 'Clinique A', prefix: 'A' });
      }
    }));

  it('get_clinic_staff_settings answers a patient, another clinic’s owner and anon nothing', () =>
    rolledBack(t.db, async (tx) => {
      await tx.query(SET_UP);
      for (const actor of OUTSIDERS) {
        const e = await refused(tx, actor, `select public.get_clinic_staff_settings($1) as r`, [ID.clinicA]);
        expect(`${actor.name}: ${e}`).toMatch(new RegExp(`^${actor.name}: PT403 .*AUTH\\.FORBIDDEN`));
      }
      // a clinic that does not exist: the same refusal (no probing for clinic ids)
      const none = await refused(tx, ACTORS.ownerB, `select public.get_clinic_staff_settings($1) as r`, [
        '00000000-0000-4000-8000-000000000000',
      ]);
      expect(none).toMatch(/^PT403 .*AUTH\.FORBIDDEN/);
      const anon = await refused(tx, ACTORS.anon, `select public.get_clinic_staff_settings($1) as r`, [
        ID.clinicA,
      ]);
      expect(anon.startsWith('42501 ')).toBe(true);
    }));

  it("get_clinic_staff_settings answers the clinic's receptionist, practitioner and owner its private settings", () =>
    rolledBack(t.db, async (tx) => {
      await tx.query(SET_UP);
      for (const actor of STAFF) {
        const s = await as<Record<string, unknown>>(
          tx,
          actor,
          `select public.get_clinic_staff_settings($1) as r`,
          [ID.clinicA],
        );
        expect(s).toMatchObject({
          id: ID.clinicA,
          slug: 'clinic-a',
          name: 'Clinique A',
          ticket_prefix: 'A',
          reminder_minutes_before: 90,
          default_channel: 'email',
          whatsapp_sender: '+212522000001',
          whatsapp_templates: {},
          sms_sender: 'ClinicA',
          retention_days: 365,
        });
        expect((s['settings'] as Record<string, unknown>)['grace_period_minutes']).toBe(12);
        // what no screen needs stays out
        expect(Object.keys(s)).not.toContain('created_by');
        expect(Object.keys(s)).not.toContain('sms_sender_approved');
      }
      // clinic B's owner reads clinic B's
      const b = await as<Record<string, unknown>>(
        tx,
        ACTORS.ownerB,
        `select public.get_clinic_staff_settings($1) as r`,
        [ID.clinicB],
      );
      expect(b).toMatchObject({ id: ID.clinicB, retention_days: null });
    }));

  it('the owner still saves the profile and settings through the table (the admin screen’s PATCH)', () =>
    rolledBack(t.db, async (tx) => {
      const saved = await as<{ id: string }[]>(
        tx,
        ACTORS.ownerA,
        `with u as (update public.clinics set settings = '{"grace_period_minutes": 15}'::jsonb, name = 'Clinique A2'
           where id = $1 returning id) select coalesce(jsonb_agg(jsonb_build_object('id', id)), '[]') as r from u`,
        [ID.clinicA],
      );
      expect(saved).toEqual([{ id: ID.clinicA }]);
      const s = await as<{ settings: { grace_period_minutes: number }; name: string }>(
        tx,
        ACTORS.ownerA,
        `select public.get_clinic_staff_settings($1) as r`,
        [ID.clinicA],
      );
      expect(s.settings.grace_period_minutes).toBe(15);
      expect(s.name).toBe('Clinique A2');
      // a receptionist's update touches no row (clinics_update: owners/admins)
      const recep = await as<number>(
        tx,
        ACTORS.recepA,
        `with u as (update public.clinics set settings = '{}'::jsonb where id = $1 returning id) select count(*)::int as r from u`,
        [ID.clinicA],
      );
      expect(recep).toBe(0);
    }));
});
