/**
 * sec22a (20261222100001_sms_country_allowlist.sql): SMS go only to the deployment's countries
 * (private.sms_countries, default 212 = Morocco, read by private.sms_country_allowed).
 *   smsCountryStored: a number outside the list is refused where it is stored for SMS (patients, profiles,
 *     staff invitations) with 422 PHONE.COUNTRY_NOT_ALLOWED, whichever path writes it (an RPC, the service role);
 *     formatting tricks never reach the country check as another country: the database takes strict E.164 only.
 *   smsCountryNeverSent: a number stored before the rule is never texted: notification_recipient answers no
 *     phone (skip_reason country_not_allowed), and no SMS / WhatsApp row can be recorded for it.
 *   smsCountryConfigured: the operator adds a country with one row; clients can neither read nor change the list.
 * The database's clock is pinned to 10:00 of the world's day; each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const FIND_OR_CREATE = `select public.staff_find_or_create_patient($1::uuid, 'Salma Walk-in', $2) as r`;
const RECIPIENT = `select public.notification_recipient($1::uuid, $2::uuid, $3) as r`;
const RESERVE = `select public.sms_budget_reserve(p_clinic_id => $1, p_idempotency_key => $2,
                   p_kind => 'your_turn', p_segments => 1, p_cost => 0.05,
                   p_recipient => $3, p_body => 'x') as r`;
const NOT_ALLOWED = 'PT422 PHONE.COUNTRY_NOT_ALLOWED';
const NOT_MOBILE = 'PT422 PHONE.NOT_MOBILE';

describe.each(DB_KINDS)('SMS destination countries on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const notifications = async (tx: DbTx): Promise<number> =>
    (await tx.query<{ n: number }>(`select count(*)::int as n from public.notifications`)).rows[0]!.n;

  it('smsCountryStored: a number outside the list is refused where it is stored, whoever writes it', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      // the desk's walk-in (every desk / kiosk / booking path goes through the same patient row)
      for (const foreign of ['+33612345678', '+447700900123', '+12025550123', '+2126']) {
        const got = await refused(tx, ACTORS.recepA, FIND_OR_CREATE, [ID.clinicA, foreign]);
        expect([foreign, got]).toEqual([foreign, foreign === '+2126' ? 'PT422 PHONE.INVALID' : NOT_ALLOWED]);
      }
      // formatting tricks are not E.164: PHONE.INVALID, never stored (the client turns them into E.164 first)
      for (const trick of [
        '0033612345678',
        '+33 6 12 34 56 78',
        '+٣٣٦١٢٣٤٥٦٧٨',
        '+۳۳۶۱۲۳۴۵۶۷۸',
        '+33612345678\n',
        '+212 33612345678x',
      ]) {
        expect([trick, await refused(tx, ACTORS.recepA, FIND_OR_CREATE, [ID.clinicA, trick])]).toEqual([
          trick,
          'PT422 PHONE.INVALID',
        ]);
      }
      // a Moroccan number is stored, whatever follows +212 stays in Morocco (calling codes are prefix-free)
      const ok = await as<{ patient_id: string }>(tx, ACTORS.recepA, FIND_OR_CREATE, [
        ID.clinicA,
        '+212612345678',
      ]);
      expect(ok.patient_id).toMatch(/^[0-9a-f-]{36}$/);
      // the service role and the owner role meet the same trigger (no path around the RPCs)
      expect(
        await refused(
          tx,
          ACTORS.service,
          `insert into public.patients (clinic_id, full_name, phone) values ($1, 'X', '+33612345678') returning true as r`,
          [ID.clinicA],
        ),
      ).toBe(NOT_ALLOWED);
      expect(
        await refused(tx, null, `update public.patients set phone = '+33612345678' where id = $1`, [
          ID.patientRecB,
        ]),
      ).toBe(NOT_ALLOWED);
      expect(
        await refused(tx, null, `update public.profiles set phone = '+33612345678' where phone is not null`),
      ).toBe(NOT_ALLOWED);
      expect(
        await refused(tx, null, `update public.staff_invitations set phone = '+33612345678' where id = $1`, [
          ID.invitationA,
        ]),
      ).toBe(NOT_ALLOWED);
      // another clinic's staff and anon are refused before any number is looked at
      expect(await refused(tx, ACTORS.recepA, FIND_OR_CREATE, [ID.clinicB, '+33612345678'])).toMatch(
        /^PT403 |^42501 /,
      );
      expect(await refused(tx, ACTORS.anon, FIND_OR_CREATE, [ID.clinicA, '+33612345678'])).toMatch(
        /^42501 |^PT401 /,
      );
    }));

  it('smsCountryNeverSent: a number stored before the rule is never texted, by any send path', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      // patient B's record holds a French number from before the rule
      await tx.exec(`alter table public.patients disable trigger patients_phone_country`);
      await tx.query(`update public.patients set phone = '+33612345678' where id = $1`, [ID.patientRecB]);
      await tx.exec(`alter table public.patients enable trigger patients_phone_country`);
      // other changes of that row go on (the trigger looks at a changed phone only)
      await tx.query(`update public.patients set full_name = 'Bruno Renamed' where id = $1`, [
        ID.patientRecB,
      ]);

      const who = await as<Record<string, unknown>>(tx, ACTORS.service, RECIPIENT, [
        ID.clinicA,
        ID.entryB,
        null,
      ]);
      expect(who).toMatchObject({ phone: null, channel: null, skip_reason: 'country_not_allowed' });
      // a caller-given number outside the list: no phone either
      const given = await as<Record<string, unknown>>(tx, ACTORS.service, RECIPIENT, [
        ID.clinicA,
        null,
        '+447700900123',
      ]);
      expect(given).toMatchObject({ phone: null, skip_reason: 'country_not_allowed' });
      // a Moroccan visit is unchanged
      const a = await as<Record<string, unknown>>(tx, ACTORS.service, RECIPIENT, [
        ID.clinicA,
        ID.entryA,
        null,
      ]);
      expect(a).toMatchObject({ phone: '+212600000001' });

      // the message log refuses an SMS row to it, whichever writer (sms_budget_reserve here); nothing reserved
      const before = await notifications(tx);
      expect(await refused(tx, ACTORS.service, RESERVE, [ID.clinicA, 'c1', '+33612345678'])).toBe(
        NOT_ALLOWED,
      );
      expect(
        await refused(
          tx,
          null,
          `insert into public.notifications (clinic_id, kind, channel, recipient, idempotency_key, segments, budget_month)
           values ($1, 'your_turn', 'whatsapp', '+33612345678', 'c2', 1, date '2026-12-01')`,
          [ID.clinicA],
        ),
      ).toBe(NOT_ALLOWED);
      expect(await notifications(tx)).toBe(before);
      const ok = await as<{ status: string }>(tx, ACTORS.service, RESERVE, [
        ID.clinicA,
        'c3',
        '+212600000009',
      ]);
      expect(ok.status).toBe('queued');
    }));

  it('review23 L6: a Moroccan number with its trunk 0 kept (+2120…) is PHONE.INVALID wherever a phone is stored', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const invite = `select public.create_staff_invitation($1::uuid, 'receptionist', 'Trunk Zero', p_phone => $2) as r`;
      for (const trunk of ['+2120612345678', '+212061234567', '+21200612345678']) {
        expect([trunk, await refused(tx, ACTORS.recepA, FIND_OR_CREATE, [ID.clinicA, trunk])]).toEqual([
          trunk,
          'PT422 PHONE.INVALID',
        ]);
        expect([trunk, await refused(tx, ACTORS.ownerA, invite, [ID.clinicA, trunk])]).toEqual([
          trunk,
          'PT422 PHONE.INVALID',
        ]);
        // no path around the RPCs: the check constraint refuses it for the service role / the table owner too
        expect(
          await refused(tx, null, `update public.patients set phone = $2 where id = $1`, [
            ID.patientRecB,
            trunk,
          ]),
        ).toMatch(/^23514 /);
        expect(
          (await tx.query<{ ok: boolean }>(`select private.sms_country_allowed($1) as ok`, [trunk])).rows[0]!
            .ok,
        ).toBe(false);
      }
      // the number as it is dialled from abroad is stored; another country's 0 after its code is not touched
      const ok = await as<{ patient_id: string }>(tx, ACTORS.recepA, FIND_OR_CREATE, [
        ID.clinicA,
        '+212612345678',
      ]);
      expect(ok.patient_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(
        (await tx.query<{ ok: boolean }>(`select private.is_e164('+390612345678') as ok`)).rows[0]!.ok,
      ).toBe(true);
      const invited = await as<{ id?: string }>(tx, ACTORS.ownerA, invite, [ID.clinicA, '+212612345679']);
      expect(invited).toBeTruthy();
    }));

  it('review24 L2: a +212 number has 9 national digits (5–8 first) wherever it is stored; SMS go to Moroccan mobiles only', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const check = async (fn: string, phone: string) =>
        (await tx.query<{ ok: boolean }>(`select coalesce(private.${fn}($1), false) as ok`, [phone])).rows[0]!
          .ok;
      const shapes: [string, boolean][] = [];
      for (const p of [
        '+2121234567', // before: true (a 7-digit "number")
        '+212612398793123', // before: true (12 national digits)
        '+212412345678',
        '+212912345678',
        '+21261234567',
        '+212612345678',
        '+212712345678',
        '+212522123456',
        '+212812398792',
        '+390612345678', // another country keeps the E.164 shape
        '+12025550123',
      ])
        shapes.push([p, await check('is_e164', p)]);
      expect(shapes).toEqual([
        ['+2121234567', false],
        ['+212612398793123', false],
        ['+212412345678', false],
        ['+212912345678', false],
        ['+21261234567', false],
        ['+212612345678', true],
        ['+212712345678', true],
        ['+212522123456', true],
        ['+212812398792', true],
        ['+390612345678', true],
        ['+12025550123', true],
      ]);
      // stored nowhere: the desk's walk-in, the owner's invitation (before: 200 / 201), the table itself
      const invite = `select public.create_staff_invitation($1::uuid, 'receptionist', 'Short Number', p_phone => $2) as r`;
      for (const bad of ['+2121234567', '+212612398793123', "+212612345678' or '1'='1", '+٢١٢٦١٢٣٤٥٦٧٨']) {
        expect([bad, await refused(tx, ACTORS.recepA, FIND_OR_CREATE, [ID.clinicA, bad])]).toEqual([
          bad,
          'PT422 PHONE.INVALID',
        ]);
        expect([bad, await refused(tx, ACTORS.ownerA, invite, [ID.clinicA, bad])]).toEqual([
          bad,
          'PT422 PHONE.INVALID',
        ]);
      }
      expect(
        await refused(tx, null, `update public.patients set phone = '+2121234567' where id = $1`, [
          ID.patientRecB,
        ]),
      ).toMatch(/^23514 /);
      // another clinic's staff and anon are refused before the number is looked at
      expect(await refused(tx, ACTORS.ownerA, invite, [ID.clinicB, '+2121234567'])).toMatch(
        /^PT403 |^42501 /,
      );
      expect(await refused(tx, ACTORS.anon, FIND_OR_CREATE, [ID.clinicA, '+2121234567'])).toMatch(
        /^42501 |^PT401 /,
      );
      // SMS: Moroccan mobiles only (before: every +212 number); a landline may be kept as the patient's number
      expect(await check('sms_country_allowed', '+212612345678')).toBe(true);
      expect(await check('sms_country_allowed', '+212712345678')).toBe(true);
      expect(await check('sms_country_allowed', '+212522123456')).toBe(false);
      expect(await check('sms_country_allowed', '+212812398792')).toBe(false);
      const landline = await as<{ patient_id: string }>(tx, ACTORS.recepA, FIND_OR_CREATE, [
        ID.clinicA,
        '+212522123456',
      ]);
      expect(landline.patient_id).toMatch(/^[0-9a-f-]{36}$/);
      const given = await as<Record<string, unknown>>(tx, ACTORS.service, RECIPIENT, [
        ID.clinicA,
        null,
        '+212522123456',
      ]);
      expect(given).toMatchObject({ phone: null, skip_reason: 'country_not_allowed' });
      const before = await notifications(tx);
      // sec25: a number of an allowed country that is no mobile is PHONE.NOT_MOBILE ("enter a mobile"), not
      // COUNTRY_NOT_ALLOWED ("enter a local number": a landline IS local); a number abroad keeps its code
      expect(await refused(tx, ACTORS.service, RESERVE, [ID.clinicA, 'l2-1', '+212812398792'])).toBe(
        NOT_MOBILE,
      );
      expect(await refused(tx, ACTORS.service, RESERVE, [ID.clinicA, 'l2-3', '+212522123456'])).toBe(
        NOT_MOBILE,
      );
      expect(
        await refused(
          tx,
          null,
          `insert into public.notifications (clinic_id, kind, channel, recipient, idempotency_key, segments, budget_month)
           values ($1, 'your_turn', 'whatsapp', '+212522123456', 'l2-4', 1, date '2026-12-01')`,
          [ID.clinicA],
        ),
      ).toBe(NOT_MOBILE);
      expect(await refused(tx, ACTORS.service, RESERVE, [ID.clinicA, 'l2-5', '+33612345678'])).toBe(
        NOT_ALLOWED,
      );
      expect(await notifications(tx)).toBe(before);
      const ok = await as<{ status: string }>(tx, ACTORS.service, RESERVE, [
        ID.clinicA,
        'l2-2',
        '+212712345678',
      ]);
      expect(ok.status).toBe('queued');
    }));

  it('smsCountryConfigured: the operator adds a country with one row; clients cannot read or change the list', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const allowed = async (phone: string) =>
        (await tx.query<{ ok: boolean }>(`select private.sms_country_allowed($1) as ok`, [phone])).rows[0]!
          .ok;
      expect(await allowed('+212612345678')).toBe(true);
      // review23 L6: the trunk 0 kept after +212 is no number (it never arrives): refused, not texted
      expect(await allowed('+2120612345678')).toBe(false);
      expect(await allowed('+33612345678')).toBe(false);
      expect(await allowed('+21')).toBe(false);
      expect(await allowed('212612345678')).toBe(false);
      await tx.exec(`insert into private.sms_countries (calling_code, label) values ('33', 'France')`);
      expect(await allowed('+33612345678')).toBe(true);
      expect(await allowed('+3361234')).toBe(true);
      expect(await allowed('+447700900123')).toBe(false);
      const patient = await as<{ patient_id: string }>(tx, ACTORS.recepA, FIND_OR_CREATE, [
        ID.clinicA,
        '+33612345678',
      ]);
      expect(patient.patient_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(
        await refused(tx, null, `insert into private.sms_countries (calling_code) values ('+44')`),
      ).toMatch(/^23514 /);
      for (const actor of [ACTORS.anon, ACTORS.patientA, ACTORS.recepA, ACTORS.ownerA]) {
        expect(await refused(tx, actor, `select count(*) as r from private.sms_countries`)).toMatch(
          /^42501 /,
        );
        expect(
          await refused(
            tx,
            actor,
            `insert into private.sms_countries values ('44', 'UK') returning true as r`,
          ),
        ).toMatch(/^42501 /);
        expect(await refused(tx, actor, `select private.sms_country_allowed('+212612345678') as r`)).toMatch(
          /^42501 /,
        );
      }
    }));
});
