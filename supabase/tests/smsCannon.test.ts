/**
 * Session 17 attack review (20261216700001_sms_approval_names_confirmed_phone.sql):
 *   S1 a clinic made through create_clinic sends no SMS until the platform operator approves it
 *      (approve_clinic_sms, service role only): every SMS is recorded skipped_budget, nothing reserved.
 *   N1 a clinic's name (create_clinic, any rename) holds no web address and no phone-number-like digit run:
 *      422 CLINIC.NAME_NOT_ALLOWED.
 *   P1 a patient's own booking (book_appointment, book_fluid_place, join_queue_remotely) needs the caller's
 *      confirmed phone: 403 BOOKING.PHONE_NOT_CONFIRMED, nothing written.
 * The database's clock is pinned to 10:00 of the world's day; each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, localAt } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

// as the send-sms function reserves (service role: sms17 made the message log's writers service-only)
const RESERVE = `select public.sms_budget_reserve(p_clinic_id => $1, p_idempotency_key => $2,
                   p_kind => 'your_turn', p_segments => 1, p_cost => 0.05,
                   p_recipient => '+212600900123', p_body => 'x') as r`;
const CREATE = `select public.create_clinic(p_name => $1, p_slug => $2) as r`;
const APPROVE = `select public.approve_clinic_sms($1::uuid, $2::boolean) as r`;
const BOOK = `select public.book_appointment($1::uuid, ${localAt(2, '09:00')}, $2::uuid, p_full_name => 'Throw Away') as r`;
const BOOK_FLUID = `select public.book_fluid_place($1::uuid, private.clinic_today('Africa/Casablanca') + 2, $2::uuid) as r`;
const JOIN = `select public.join_queue_remotely($1::uuid, 'Throwaway') as r`;

const THROWAWAY = 'a0000000-0000-4000-8000-00000000a170';
const throwaway = { name: 'throwaway', role: 'authenticated', sub: THROWAWAY } as const;

type Reserve = { status: string; reserved: boolean; code: string | null };

describe.each(DB_KINDS)('self-made clinics, clinic names and patients’ phones on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const spent = async (tx: DbTx, clinicId: string) =>
    (
      await tx.query<{ n: number }>(
        `select coalesce(sum(reserved_count + spent_count), 0)::int as n from public.sms_budgets where clinic_id = $1`,
        [clinicId],
      )
    ).rows[0]!.n;

  it('smsHeldUntilApproved: a clinic made with create_clinic sends no SMS until the operator approves it', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const made = await as<{ clinic_id: string }>(tx, ACTORS.ownerB, CREATE, [
        'Cabinet Nouveau',
        'cabinet-nouveau',
      ]);
      const held = await as<Reserve>(tx, ACTORS.service, RESERVE, [made.clinic_id, 'k1']);
      expect(held).toMatchObject({
        status: 'skipped_budget',
        reserved: false,
        code: 'SMS.CLINIC_NOT_APPROVED',
      });
      expect(await spent(tx, made.clinic_id)).toBe(0);
      const report = await as<{ sms_held: boolean }>(
        tx,
        ACTORS.ownerB,
        `select public.sms_budget_report($1) as r`,
        [made.clinic_id],
      );
      expect(report.sms_held).toBe(true);
      // the owner cannot approve their own clinic, neither by the RPC nor by writing the column
      expect(await refused(tx, ACTORS.ownerB, APPROVE, [made.clinic_id, true])).toMatch(/^42501 /);
      expect(
        await refused(
          tx,
          ACTORS.ownerB,
          `update public.clinics set sms_held = false where id = $1 returning true as r`,
          [made.clinic_id],
        ),
      ).toMatch(/^42501 /);
      // the platform operator approves: SMS go out from then on
      expect(await as(tx, ACTORS.service, APPROVE, [made.clinic_id, true])).toMatchObject({
        sms_held: false,
      });
      const sent = await as<Reserve>(tx, ACTORS.service, RESERVE, [made.clinic_id, 'k2']);
      expect(sent).toMatchObject({ status: 'queued', reserved: true });
      // and can hold them again
      await as(tx, ACTORS.service, APPROVE, [made.clinic_id, false]);
      expect(await as<Reserve>(tx, ACTORS.service, RESERVE, [made.clinic_id, 'k3'])).toMatchObject({
        status: 'skipped_budget',
        code: 'SMS.CLINIC_NOT_APPROVED',
      });
      expect(await refused(tx, ACTORS.service, APPROVE, ['c0000000-0000-4000-8000-0000000000ff', true])).toBe(
        'PT404 NOT_FOUND',
      );
      // clinics the operator created (the world's, the seed's) are not held
      expect(await as<Reserve>(tx, ACTORS.service, RESERVE, [ID.clinicA, 'k4'])).toMatchObject({
        status: 'queued',
      });
    }));

  it('clinicNameRules: no web address and no phone number in a clinic name, on creation and on rename', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const bad = [
        'Votre banque: compte bloqué, appelez +447700900999',
        'Appelez le 06 12 34 56 78',
        'Cabinet 0612-345-678',
        'عيادة ٠٦١٢٣٤٥٦٧٨',
        'Cabinet https://evil.example',
        'Cabinet www.banque-secure',
        'Voir bit.ly/abc',
        'Cabinet banque-secure.com',
      ];
      for (const [i, name] of bad.entries())
        expect(await refused(tx, ACTORS.ownerB, CREATE, [name, `bad-${i}`]), name).toBe(
          'PT422 CLINIC.NAME_NOT_ALLOWED',
        );
      expect(
        (
          await tx.query<{ n: number }>(
            `select count(*)::int as n from public.clinics where slug like 'bad-%'`,
          )
        ).rows[0]!.n,
      ).toBe(0);
      // a rename by the owner (the column they may PATCH) obeys the same rule
      expect(
        await refused(
          tx,
          ACTORS.ownerA,
          `update public.clinics set name = $2 where id = $1 returning true as r`,
          [ID.clinicA, 'Clinique A — rappelez le +212 600 000 999'],
        ),
      ).toBe('PT422 CLINIC.NAME_NOT_ALLOWED');
      // ordinary names pass (one created — an account may create 3 a day — the rest as renames)
      await as(tx, ACTORS.ownerB, CREATE, ['Cabinet Dr. Alaoui', 'good-0']);
      for (const name of [
        'Centre Médical 2000',
        'Clinique 24/7',
        'عيادة الأمل',
        'Cabinet n°12 Anfa, 3e étage',
      ])
        expect(
          await as<boolean>(
            tx,
            ACTORS.ownerA,
            `update public.clinics set name = $2 where id = $1 returning true as r`,
            [ID.clinicA, name],
          ),
          name,
        ).toBe(true);
    }));

  it('bookingNeedsConfirmedPhone: an account without a confirmed phone cannot book, take a fluid place or join remotely', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await tx.query(
        `insert into auth.users (id, aud, role, email, email_confirmed_at, phone, phone_confirmed_at, encrypted_password,
                                 raw_user_meta_data, created_at, updated_at)
         values ($1, 'authenticated', 'authenticated', 'throwaway@test.ma', now(), '212600000170', null, 'x', '{}', now(), now())`,
        [THROWAWAY],
      );
      await tx.query(`update public.clinics set remote_join_cap = 20 where id = $1`, [ID.clinicA]);
      const patients = async () =>
        (
          await tx.query<{ n: number }>(`select count(*)::int as n from public.patients where user_id = $1`, [
            THROWAWAY,
          ])
        ).rows[0]!.n;
      const PHONE = 'PT403 BOOKING.PHONE_NOT_CONFIRMED';
      expect(await refused(tx, throwaway, BOOK, [ID.clinicA, ID.typeA])).toBe(PHONE);
      await tx.query(`update public.appointment_types set booking_mode = 'fluid' where id = $1`, [ID.typeA2]);
      expect(await refused(tx, throwaway, BOOK_FLUID, [ID.clinicA, ID.typeA2])).toBe(PHONE);
      expect(await refused(tx, throwaway, JOIN, [ID.clinicA])).toBe(PHONE);
      // staff members without a phone are refused the patient's path too (they book through the desk)
      expect(await refused(tx, ACTORS.recepA, BOOK, [ID.clinicA, ID.typeA])).toBe(PHONE);
      expect(await patients()).toBe(0);
      // once the phone is confirmed (OTP verify sets phone_confirmed_at), the same account books
      await tx.query(`update auth.users set phone_confirmed_at = now() where id = $1`, [THROWAWAY]);
      const booked = await as<{ entry_id: string }>(tx, throwaway, BOOK, [ID.clinicA, ID.typeA]);
      expect(booked.entry_id).toBeTruthy();
      expect(await patients()).toBe(1);
    }));
});
