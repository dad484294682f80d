/**
 * fix21a (session 21): review21's M1, M2, L1, L2, L3 and L5 on the database side
 * (20261221800001_person_names_no_contact.sql, 20261221800002_any_doctor_slots_need_a_doctor.sql,
 * 20261221800003_review21_low_findings.sql; docs/domain-rules.md P1 and H6).
 * - M1 a person's name holds no web address, e-mail address or phone number: kiosk, desk, own name, staff names.
 * - M2 with no doctor named, a slot needs one of the type's doctors (or of the clinic's) free then: leave and hours.
 * - L1 a refused invitation column is named by a problem code, never by Postgres's text.
 * - L2 no bidi or zero-width characters in a listed clinic's city or in a room.
 * - L3 the directory search refuses a long query before folding it.
 * - L5 get_practitioner_leave answers 403 outside the clinic.
 *
 * PGlite and PostgreSQL, private.now() pinned at 08:00 of the world's day in the clinic; every case rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError, DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import type { Actor } from './helpers/sql';
import { becomeActor, resetActor } from './helpers/sql';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const day = (n: number) => `private.clinic_today('Africa/Casablanca') + ${n}`;
const at = (n: number, hhmm: string) => `((${day(n)}) + time '${hhmm}') at time zone 'Africa/Casablanca'`;
const SLOTS = `select public.get_free_slots($1::uuid, ${day(2)}, ${day(2)}, $2::uuid, $3::uuid) as r`;
const BOOK = `select public.book_appointment(p_clinic_id => $1::uuid, p_appointment_type_id => $2::uuid,
                                             p_practitioner_id => $3::uuid, p_slot_start => $4::timestamptz) as r`;
const FIND_OR_CREATE = `select public.staff_find_or_create_patient($1::uuid, $2, $3, 'fr') as r`;
const INVITE = `select public.create_staff_invitation(p_clinic_id => $1::uuid, p_role => 'practitioner',
                  p_display_name => $2, p_email => $3, p_room => $4) as r`;
const LISTING = `select public.set_clinic_listing($1::uuid, $2, 'general', true) as r`;
const SEARCH = `select public.search_clinic_directory($1, $2) as r`;
const LEAVE_LIST = `select public.get_practitioner_leave($1::uuid) as r`;

type Slot = { start: string; end: string };

/** The refusal's SQLSTATE, code and detail (the detail is what the API shows as `detail`). */
const refusal = async (tx: DbTx, actor: Actor, sql: string, params: unknown[]) => {
  await tx.query('savepoint try_it');
  try {
    await becomeActor(tx, actor);
    await tx.query(sql, params);
  } catch (e) {
    await tx.query('rollback to savepoint try_it');
    await resetActor(tx);
    const err = e as DbError;
    return { code: `${err.code ?? '?'} ${err.message}`, detail: err.detail ?? '' };
  }
  throw new Error('expected a refusal');
};

// M1: what a name may not hold (the review's case first), and names people have that stay accepted
const SPAM_NAMES = [
  'Gagnant bit.ly/x12 Promo',
  'Gagnez www.cadeau-gratuit.com',
  'Promo https://x.example',
  'Rappelez le 06 55 44 33 22',
  'Appelez +212655443322',
  'اتصل ٠٦٥٥٤٤٣٣٢٢',
  'Écrivez a.b@evil.test',
  'Écrivez a＠evil．test',
];
const REAL_NAMES = [
  'Salma Kiosque',
  'Dr. Ahmed El Idrissi',
  'Jean-Pierre O’Neil',
  'محمد الأمين',
  'Nguyễn Văn An',
  'Amine 👩🏽‍⚕️',
  'Fatima 2',
  'Mohamed V. Alaoui',
];

describe.each(DB_KINDS)('review21 findings (database side) on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '08:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const count = async (tx: DbTx, sql: string, params: unknown[] = []) =>
    (await tx.query<{ n: number }>(`select (${sql})::int as n`, params)).rows[0]!.n;

  it('M1 the kiosk refuses a name with a link, an e-mail address or a phone number (PERSON.NAME_NOT_ALLOWED), nothing written', () =>
    rolledBack(t.db, async (tx) => {
      const { token } = await as<{ token: string }>(
        tx,
        ACTORS.recepA,
        `select public.pair_kiosk($1, $2) as r`,
        [ID.clinicA, 'Entrance'],
      );
      const WALK_IN = `select public.kiosk_register_walk_in($1, $2, $3, null) as r`;
      const before = await count(tx, `select count(*) from public.patients where clinic_id = $1`, [
        ID.clinicA,
      ]);
      for (const name of SPAM_NAMES)
        expect(
          await refused(tx, ACTORS.anon, WALK_IN, [token, name, '+212655443322']).catch(
            (e: Error) => e.message,
          ),
          name,
        ).toBe('PT422 PERSON.NAME_NOT_ALLOWED');
      expect(await count(tx, `select count(*) from public.patients where clinic_id = $1`, [ID.clinicA])).toBe(
        before,
      );
      // a real name still takes its place
      const r = await as<{ found: boolean }>(tx, ACTORS.anon, WALK_IN, [
        token,
        'Salma Kiosque',
        '+212655443322',
      ]);
      expect(r.found).toBe(true);
    }));

  it('M1 every path that names a person holds the rule: the desk, the patient’s own name, staff names; real names pass', () =>
    rolledBack(t.db, async (tx) => {
      for (const name of SPAM_NAMES) {
        expect(
          await refused(tx, ACTORS.recepA, FIND_OR_CREATE, [ID.clinicA, name, '+212612000991']),
          name,
        ).toBe('PT422 PERSON.NAME_NOT_ALLOWED');
        expect(
          await refused(tx, ACTORS.patientA, `select public.set_my_name($1::uuid, $2) as r`, [
            ID.clinicA,
            name,
          ]),
          name,
        ).toBe('PT422 PERSON.NAME_NOT_ALLOWED');
        expect(
          await refused(tx, ACTORS.ownerA, INVITE, [ID.clinicA, name, 'new.doctor@example.test', null]),
          name,
        ).toBe('PT422 PERSON.NAME_NOT_ALLOWED');
      }
      // a staff member's name written directly (the display-name trigger) and a profile's name (its constraint)
      expect(
        await refused(tx, null, `update public.clinic_members set display_name = $1 where id = $2`, [
          'Dr Promo www.gain.ma',
          ID.memberPractA,
        ]),
      ).toBe('PT422 PERSON.NAME_NOT_ALLOWED');
      // invisible characters keep their own code
      expect(
        await refused(tx, ACTORS.recepA, FIND_OR_CREATE, [ID.clinicA, 'Amine\u202eX', '+212612000991']),
      ).toBe('PT422 VALIDATION.FAILED');
      let i = 0;
      for (const name of REAL_NAMES) {
        const phone = `+21261200${String(1000 + i++)}`;
        const made = await as<{ full_name: string }>(tx, ACTORS.recepA, FIND_OR_CREATE, [
          ID.clinicA,
          name,
          phone,
        ]);
        expect(made.full_name, name).toBe(name.normalize('NFC'));
      }
      const sql = `select private.is_clean_person_name($1) as ok`;
      for (const name of REAL_NAMES)
        expect((await tx.query<{ ok: boolean }>(sql, [name])).rows[0]!.ok, name).toBe(true);
      for (const name of SPAM_NAMES)
        expect((await tx.query<{ ok: boolean }>(sql, [name])).rows[0]!.ok, name).toBe(false);
    }));

  it('M1 a founder without a name is named "Owner" — never by the address, nor by its local part (fix21d: the name is public on the tracker and the clinic page)', () =>
    rolledBack(t.db, async (tx) => {
      const sub = (ACTORS.ownerB as { sub: string }).sub;
      await tx.query(`update public.profiles set full_name = null where id = $1`, [sub]);
      for (const [i, email] of ['nadia.berrada@example.test', '0612345678@example.test'].entries()) {
        await tx.query(`update auth.users set email = $2 where id = $1`, [sub, email]);
        const made = await as<{ member_id: string }>(
          tx,
          ACTORS.ownerB,
          `select public.create_clinic($1, $2, 'Africa/Casablanca', 'fr', null) as r`,
          [`Cabinet ${'AB'[i]}`, `cabinet-fix21a-${'ab'[i]}`],
        );
        const { rows } = await tx.query<{ display_name: string }>(
          `select display_name from public.clinic_members where id = $1`,
          [made.member_id],
        );
        expect(rows[0]!.display_name, email).toBe('Owner');
      }
    }));

  it('M1 names stored before the rule stay; writers that leave the name alone are not refused', () =>
    rolledBack(t.db, async (tx) => {
      // a name stored before (written with the triggers off, as the old rule let it in)
      await tx.query(`set local session_replication_role = replica`);
      await tx.query(`update public.patients set full_name = 'Gagnant bit.ly/x12' where id = $1`, [
        ID.walkInA,
      ]);
      await tx.query(`set local session_replication_role = origin`);
      // the desk writes another column of that record (a note, the language): the name is not judged again
      await tx.query(`update public.patients set notes = 'kept', preferred_language = 'fr' where id = $1`, [
        ID.walkInA,
      ]);
      const { rows } = await tx.query<{ full_name: string }>(
        `select full_name from public.patients where id = $1`,
        [ID.walkInA],
      );
      expect(rows[0]!.full_name).toBe('Gagnant bit.ly/x12');
    }));

  it('M2 a type only one doctor offers has no "any doctor" slot on that doctor’s leave day, and cannot be booked there', () =>
    rolledBack(t.db, async (tx) => {
      const offered0 = await as<Slot[]>(tx, ACTORS.anon, SLOTS, [ID.clinicA, ID.typeA, null]);
      expect(offered0.length).toBeGreaterThan(0);
      await tx.query(`update public.appointment_types set practitioner_ids = array[$1::uuid] where id = $2`, [
        ID.memberPractA,
        ID.typeA,
      ]);
      await tx.query(
        `insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day)
         values ($1, $2, ${day(2)}, ${day(2)})`,
        [ID.clinicA, ID.memberPractA],
      );
      expect(await as<Slot[]>(tx, ACTORS.anon, SLOTS, [ID.clinicA, ID.typeA, null])).toEqual([]);
      const slot = (await tx.query<{ s: string }>(`select (${at(2, '09:00')})::text as s`)).rows[0]!.s;
      expect(await refused(tx, ACTORS.patientB, BOOK, [ID.clinicA, ID.typeA, null, slot])).toBe(
        'PT422 BOOKING.SLOT_UNAVAILABLE',
      );
      expect(
        await count(
          tx,
          `select count(*) from public.queue_entries where clinic_id = $1 and slot_start = $2::timestamptz`,
          [ID.clinicA, slot],
        ),
      ).toBe(0);
      // H3: a type every doctor offers still has its slots (the owner works that day)
      await tx.query(`update public.appointment_types set practitioner_ids = null where id = $1`, [ID.typeA]);
      expect((await as<Slot[]>(tx, ACTORS.anon, SLOTS, [ID.clinicA, ID.typeA, null])).length).toBe(
        offered0.length,
      );
      const booked = await as<{ entry_id: string }>(tx, ACTORS.patientB, BOOK, [
        ID.clinicA,
        ID.typeA,
        null,
        slot,
      ]);
      expect(booked.entry_id).toBeTruthy();
    }));

  it('M2 with no doctor named, the type’s doctors’ own hours bound the slots; every clinic doctor off → no slot', () =>
    rolledBack(t.db, async (tx) => {
      await tx.query(`update public.appointment_types set practitioner_ids = array[$1::uuid] where id = $2`, [
        ID.memberPractA,
        ID.typeA,
      ]);
      await tx.query(
        `insert into public.practitioner_hours (clinic_id, practitioner_id, weekday, starts_at, ends_at)
         values ($1, $2, extract(dow from ${day(2)})::int, '09:00', '10:00')`,
        [ID.clinicA, ID.memberPractA],
      );
      const offered = await as<Slot[]>(tx, ACTORS.anon, SLOTS, [ID.clinicA, ID.typeA, null]);
      expect(offered.length).toBeGreaterThan(0);
      const inRange = await tx.query<{ ok: boolean }>(
        `select bool_and((((x ->> 'start')::timestamptz) at time zone 'Africa/Casablanca')::time >= '09:00'
                     and (((x ->> 'end')::timestamptz) at time zone 'Africa/Casablanca')::time <= '10:00') as ok
           from jsonb_array_elements($1::jsonb) x`,
        [JSON.stringify(offered)],
      );
      expect(inRange.rows[0]!.ok).toBe(true);
      const late = (await tx.query<{ s: string }>(`select (${at(2, '15:00')})::text as s`)).rows[0]!.s;
      expect(await refused(tx, ACTORS.patientB, BOOK, [ID.clinicA, ID.typeA, null, late])).toBe(
        'PT422 BOOKING.SLOT_UNAVAILABLE',
      );
      // no list: every bookable doctor of the clinic on leave that day → no slot at all
      await tx.query(`update public.appointment_types set practitioner_ids = null where id = $1`, [ID.typeA]);
      await tx.query(
        `insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day)
         select clinic_id, id, ${day(2)}, ${day(2)} from public.clinic_members
          where clinic_id = $1 and active and role in ('practitioner', 'owner')`,
        [ID.clinicA],
      );
      expect(await as<Slot[]>(tx, ACTORS.anon, SLOTS, [ID.clinicA, ID.typeA, null])).toEqual([]);
    }));

  it('L1 a malformed invitation e-mail is 422 VALIDATION.FAILED {problem: email}, without table or constraint names', () =>
    rolledBack(t.db, async (tx) => {
      for (const email of ['a@b.test, c@evil.test', 'not-an-address', 'a@b.test\nBcc: c@evil.test']) {
        const r = await refusal(tx, ACTORS.ownerA, INVITE, [ID.clinicA, 'Dr Nouveau', email, null]);
        expect(r.code, email).toBe('PT422 VALIDATION.FAILED');
        expect(JSON.parse(r.detail), email).toEqual({ problem: 'email' });
      }
      // a check the RPC does not test itself (the display name's length) is named, not quoted
      const long = await refusal(tx, ACTORS.ownerA, INVITE, [ID.clinicA, ' ', 'ok@example.test', null]);
      expect(long.code).toBe('PT422 VALIDATION.FAILED');
      expect(long.detail).not.toMatch(/relation|constraint|staff_invitations/);
    }));

  it('L2 bidi and zero-width characters are refused in a listed clinic’s city and in a room', () =>
    rolledBack(t.db, async (tx) => {
      for (const bad of [
        'Rabat\u202e',
        'Ra\u200bbat',
        '\u2066Rabat\u2069',
        'Fès\u2067',
        'Casa\u2068blanca',
      ]) {
        const r = await refusal(tx, ACTORS.ownerA, LISTING, [ID.clinicA, bad]);
        expect([r.code, r.detail], JSON.stringify(bad)).toEqual([
          'PT422 VALIDATION.FAILED',
          '{"problem":"city"}',
        ]);
        const inv = await refusal(tx, ACTORS.ownerA, INVITE, [
          ID.clinicA,
          'Dr Nouveau',
          'n@example.test',
          bad,
        ]);
        expect([inv.code, inv.detail], JSON.stringify(bad)).toEqual([
          'PT422 VALIDATION.FAILED',
          '{"problem":"room"}',
        ]);
        const team = await refusal(tx, ACTORS.ownerA, `select public.set_team($1::uuid, $2::jsonb) as r`, [
          ID.clinicA,
          JSON.stringify([{ member_id: ID.memberPractA, room: bad }]),
        ]);
        expect([team.code, team.detail], JSON.stringify(bad)).toEqual([
          'PT422 VALIDATION.FAILED',
          '{"problem":"room"}',
        ]);
      }
      // plain ones pass, Arabic included
      await as(tx, ACTORS.ownerA, LISTING, [ID.clinicA, 'الدار البيضاء']);
      await as(tx, ACTORS.ownerA, `select public.set_team($1::uuid, $2::jsonb) as r`, [
        ID.clinicA,
        JSON.stringify([{ member_id: ID.memberPractA, room: 'Salle 3 — قاعة' }]),
      ]);
    }));

  it('fix24a: a room is judged by the clinic-name rule (7 digits), not the person-name cap; contacts stay refused', () =>
    rolledBack(t.db, async (tx) => {
      const team = `select public.set_team($1::uuid, $2::jsonb) as r`;
      // before (20261224600001's 5-digit person-name cap through is_clean_person_name): 422 {"problem":"room"}
      for (const room of ['Bâtiment 12, étage 2, salle 204', 'Salle 204, porte 12 (étage 3)']) {
        await as(tx, ACTORS.ownerA, team, [
          ID.clinicA,
          JSON.stringify([{ member_id: ID.memberPractA, room }]),
        ]);
        const inv = await as<{ id?: string }>(tx, ACTORS.ownerA, INVITE, [
          ID.clinicA,
          'Dr Nouveau',
          `room${room.length}@example.test`,
          room,
        ]);
        expect(inv).toBeTruthy();
      }
      for (const bad of [
        'Salle 0612345678',
        'Salle 06 12 34 56 78',
        'www.example.com',
        'a@example.com',
        // fix26c (review26 L2): number words and link words, as in a person's name (before: stored)
        'Salle sifr sta sta wahed jouj tlata',
        'Room bit ly abc',
      ]) {
        const r = await refusal(tx, ACTORS.ownerA, team, [
          ID.clinicA,
          JSON.stringify([{ member_id: ID.memberPractA, room: bad }]),
        ]);
        expect([bad, r.code, r.detail]).toEqual([bad, 'PT422 VALIDATION.FAILED', '{"problem":"room"}']);
        const inv = await refusal(tx, ACTORS.ownerA, INVITE, [
          ID.clinicA,
          'Dr Nouveau',
          'x@example.test',
          bad,
        ]);
        expect([bad, inv.code, inv.detail]).toEqual([bad, 'PT422 VALIDATION.FAILED', '{"problem":"room"}']);
      }
    }));

  it('L3 a directory query or city over 80 characters is refused before it is folded', () =>
    rolledBack(t.db, async (tx) => {
      const huge = 'é'.repeat(200_000);
      // the fold must not run before the check: with a fold that fails, a long query is still just refused
      // (before: the fold ran in DECLARE, 1 MB cost ~0.8 s of CPU, and here it fails with 22012)
      await tx.query(`alter function private.directory_fold(text) rename to directory_fold_off`);
      await tx.query(`create function private.directory_fold(p text) returns text language sql
                        set search_path = '' as $$ select (1 / 0)::text $$`);
      expect(await refused(tx, ACTORS.anon, SEARCH, [huge, ''])).toBe('PT422 VALIDATION.FAILED');
      expect(await refused(tx, ACTORS.anon, SEARCH, ['', huge])).toBe('PT422 VALIDATION.FAILED');
      expect(await refused(tx, ACTORS.ownerA, LISTING, [ID.clinicA, 'x'.repeat(500)])).toBe(
        'PT422 VALIDATION.FAILED',
      );
    }));

  it('L5 get_practitioner_leave answers 403 outside the clinic (another clinic’s owner, a patient)', () =>
    rolledBack(t.db, async (tx) => {
      for (const actor of [ACTORS.ownerB, ACTORS.patientA, ACTORS.patientB])
        expect(await refused(tx, actor, LEAVE_LIST, [ID.clinicA]), actor.name).toBe('PT403 AUTH.FORBIDDEN');
      for (const actor of [ACTORS.ownerA, ACTORS.recepA, ACTORS.practA, ACTORS.service])
        expect(Array.isArray(await as<unknown[]>(tx, actor, LEAVE_LIST, [ID.clinicA])), actor.name).toBe(
          true,
        );
    }));
});
