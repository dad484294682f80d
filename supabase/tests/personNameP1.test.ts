/**
 * name22 (session 22), review22 finding 3: rule P1 "a person's name holds no link, e-mail address or phone number"
 * judged on the FOLDED text (20261222800001_person_name_p1_folded.sql; docs/domain-rules.md P1): NFKC, every
 * Unicode decimal digit to 0-9, 。｡．﹒ to '.', up to 3 non-letters between the digits of a phone number, any
 * label.tld/ and a known-looking top-level domain with or without spaces around the dot — while initials and real
 * names pass. The table of cases is shared (test/fixtures/contracts/personNameCases.ts).
 *
 * PGlite and PostgreSQL, private.now() pinned at 08:00 of the world's day in the clinic; every case rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';
import {
  N1_ALLOWED,
  N1_NOT_ALLOWED,
  P1_ALLOWED,
  P1_NOT_ALLOWED,
} from '../../test/fixtures/contracts/personNameCases';

const FIND_OR_CREATE = `select public.staff_find_or_create_patient($1::uuid, $2, $3, 'fr') as r`;
const WALK_IN = `select public.kiosk_register_walk_in($1, $2, $3, null) as r`;
const RENAME_MEMBER = `update public.clinic_members set display_name = $1 where id = $2`;

describe.each(DB_KINDS)('P1 person names, folded (name22) on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '08:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const clean = async (tx: DbTx, name: string) =>
    (await tx.query<{ ok: boolean }>(`select private.is_clean_person_name($1) as ok`, [name])).rows[0]!.ok;

  it('the shared table: every NOT_ALLOWED name is refused by the rule, every ALLOWED name passes', () =>
    rolledBack(t.db, async (tx) => {
      const wrong: string[] = [];
      for (const name of P1_NOT_ALLOWED) if (await clean(tx, name)) wrong.push(`passed: ${name}`);
      for (const name of P1_ALLOWED) if (!(await clean(tx, name))) wrong.push(`refused: ${name}`);
      expect(wrong).toEqual([]);
      expect(P1_ALLOWED.length).toBeGreaterThanOrEqual(30);
    }));

  // The CPU cost per name of P1/N1 beside their earlier bodies (fix23a, fix26c, names27) is printed by
  // `npm run bench:name-rules` (scripts/bench-name-rules.ts), no longer by this suite (issue 14, CI time).

  it('the anonymous kiosk and a staff display-name update refuse each NOT_ALLOWED name (PERSON.NAME_NOT_ALLOWED), nothing written', () =>
    rolledBack(t.db, async (tx) => {
      const { token } = await as<{ token: string }>(
        tx,
        ACTORS.recepA,
        `select public.pair_kiosk($1, $2) as r`,
        [ID.clinicA, 'Entrance'],
      );
      const patients = `select count(*)::int as n from public.patients where clinic_id = $1`;
      const before = (await tx.query<{ n: number }>(patients, [ID.clinicA])).rows[0]!.n;
      for (const name of P1_NOT_ALLOWED) {
        expect(await refused(tx, ACTORS.anon, WALK_IN, [token, name, '+212655443322']), name).toBe(
          'PT422 PERSON.NAME_NOT_ALLOWED',
        );
        expect(await refused(tx, null, RENAME_MEMBER, [name, ID.memberPractA]), name).toBe(
          'PT422 PERSON.NAME_NOT_ALLOWED',
        );
      }
      expect((await tx.query<{ n: number }>(patients, [ID.clinicA])).rows[0]!.n).toBe(before);
    }));

  it('each ALLOWED name is stored by the desk and as a staff display name, as typed (NFC)', () =>
    rolledBack(t.db, async (tx) => {
      let i = 0;
      for (const name of P1_ALLOWED) {
        const phone = `+21261300${String(1000 + i++)}`;
        const made = await as<{ full_name: string }>(tx, ACTORS.recepA, FIND_OR_CREATE, [
          ID.clinicA,
          name,
          phone,
        ]);
        expect(made.full_name, name).toBe(name.normalize('NFC'));
        await tx.query(RENAME_MEMBER, [name, ID.memberPractA]);
      }
    }));

  it('clinic names, rooms and cities share the folded link and phone test (private.clinic_name_allowed)', () =>
    rolledBack(t.db, async (tx) => {
      const allowed = async (text: string) =>
        (await tx.query<{ ok: boolean }>(`select private.clinic_name_allowed($1) as ok`, [text])).rows[0]!.ok;
      for (const text of N1_NOT_ALLOWED) expect(await allowed(text), text).toBe(false);
      for (const text of N1_ALLOWED) expect(await allowed(text), text).toBe(true);
      expect(
        await refused(tx, null, `update public.clinics set name = $1 where id = $2`, [
          'Clinique lnkd.in/x',
          ID.clinicA,
        ]),
      ).toBe('PT422 CLINIC.NAME_NOT_ALLOWED');
    }));

  // sec24b (review24 M3, L1): a clinic's name is judged by the clinic-name rule (at most 7 digits) and the characters
  // rule — not by the person-name rule's 5 digits ("Cabinet Dentaire Bloc 12 - 20250 Casablanca" was refused).
  it('a clinic is renamed to each N1_ALLOWED name and refused each N1_NOT_ALLOWED one (CLINIC.NAME_NOT_ALLOWED)', () =>
    rolledBack(t.db, async (tx) => {
      const RENAME = `update public.clinics set name = $1 where id = $2`;
      const wrong: string[] = [];
      for (const name of N1_NOT_ALLOWED)
        if (
          (await refused(tx, null, RENAME, [name, ID.clinicA]).catch(() => 'stored')) !==
          'PT422 CLINIC.NAME_NOT_ALLOWED'
        )
          wrong.push(`stored: ${name}`);
      for (const name of N1_ALLOWED) {
        await tx.query(RENAME, [name, ID.clinicA]);
        const stored = (
          await tx.query<{ name: string }>(`select name from public.clinics where id = $1`, [ID.clinicA])
        ).rows[0]!.name;
        if (stored !== name) wrong.push(`not stored as typed: ${name} → ${stored}`);
      }
      expect(wrong).toEqual([]);
    }));
});
