/**
 * Attack review of session 17, item 6 (20261216900002_person_name_no_format_chars.sql): a name could hold bidi
 * overrides, isolates, zero-width characters and controls — set_my_name('\u202EizaT enimA') showed "Amine Taziz"
 * on the anon board, and PATCH /rest/v1/profiles stored "\n" and "\u0007". One rule (private.is_clean_person_name)
 * now refuses them on every patient-name writer (the patients trigger) and in the profiles constraint; ZWNJ and
 * ZWJ stay allowed between two visible characters (Persian names, emoji sequences). Clock pinned; every case
 * rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, U } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const SET = `select public.set_my_name($1, $2) as r`;
const BAD = [
  '\u202EizaT enimA', // RIGHT-TO-LEFT OVERRIDE
  'Amine\u2066\u2067X', // isolates, never closed
  'Am\u200Bine', // ZERO WIDTH SPACE
  'Amine\u200D', // ZERO WIDTH JOINER at the end
  'Ami\u200C\u200Dne', // joiners one after the other
  'Amine\u200F', // RIGHT-TO-LEFT MARK
  '\uFEFFAmine', // BOM
  'Ami\u00ADne', // SOFT HYPHEN
  'Amine\u0007', // BEL
  'Amine\u0085X', // NEXT LINE (C1)
  'Amine\u2028X', // LINE SEPARATOR
  'Amine\u{E0041}', // TAG LATIN CAPITAL A
  '\u200CAmine', // ZWNJ at the start
  'Amine \u200CX', // ZWNJ after a space
  'Ami\u200C\u200Cne', // ZWNJ doubled
];
const PERSIAN = '\u0639\u0644\u06CC\u200C\u0632\u0627\u062F\u0647'; // «علی‌زاده», ZWNJ inside

describe.each(DB_KINDS)('names hold no control, invisible or direction characters, on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const patientName = async (tx: DbTx) =>
    (
      await tx.query<{ n: string }>('select full_name as n from public.patients where id = $1', [
        ID.patientRecA,
      ])
    ).rows[0]!.n;

  it('set_my_name refuses each of them with VALIDATION.FAILED and keeps the name', () =>
    rolledBack(t.db, async (tx) => {
      const before = await patientName(tx);
      for (const name of BAD) {
        const e = await refused(tx, ACTORS.patientA, SET, [ID.clinicA, name]).catch((x: Error) => x.message);
        expect([name, e]).toEqual([name, 'PT422 VALIDATION.FAILED']);
      }
      expect(await patientName(tx)).toBe(before);
    }));

  it('an emoji sequence joined by ZWJ (👩🏽‍⚕️) is accepted', () =>
    rolledBack(t.db, async (tx) => {
      const name = 'Zoé \u{1F469}\u{1F3FD}\u200D\u2695\uFE0F El Idrissi';
      expect((await as<{ full_name: string }>(tx, ACTORS.patientA, SET, [ID.clinicA, name])).full_name).toBe(
        name,
      );
    }));

  it('a Persian name with ZWNJ between letters is accepted', () =>
    rolledBack(t.db, async (tx) => {
      const r = await as<{ full_name: string }>(tx, ACTORS.patientA, SET, [ID.clinicA, PERSIAN]);
      expect(r.full_name).toBe(PERSIAN);
      expect(await patientName(tx)).toBe(PERSIAN);
    }));

  it('the desk’s find-or-create and a staff correction refuse them too', () =>
    rolledBack(t.db, async (tx) => {
      expect(
        await refused(tx, ACTORS.recepA, 'select public.staff_find_or_create_patient($1, $2, $3) as r', [
          ID.clinicA,
          '\u202EizaT enimA',
          '+212611223344',
        ]),
      ).toBe('PT422 VALIDATION.FAILED');
      expect(
        await refused(tx, null, `update public.patients set full_name = $2 where id = $1`, [
          ID.patientRecA,
          'Amine\u2066X',
        ]),
      ).toBe('PT422 VALIDATION.FAILED');
    }));

  it('profiles.full_name refuses them (the PATCH /rest/v1/profiles path) and accepts a clean or Persian name', () =>
    rolledBack(t.db, async (tx) => {
      for (const name of ['a\nb', 'Amine\u0007', '\u202EizaT enimA', 'Am\u200Bine']) {
        const e = await refused(
          tx,
          ACTORS.patientA,
          `update public.profiles set full_name = $2 where id = $1`,
          [U.patientA, name],
        );
        expect(e).toMatch(/^23514 /);
      }
      await as(
        tx,
        ACTORS.patientA,
        `with u as (update public.profiles set full_name = $2 where id = $1 returning 1) select count(*)::int as r from u`,
        [U.patientA, PERSIAN],
      );
      const { rows } = await tx.query<{ n: string }>(
        'select full_name as n from public.profiles where id = $1',
        [U.patientA],
      );
      expect(rows[0]!.n).toBe(PERSIAN);
    }));

  it('a sign-up whose metadata name holds them gets a profile with the characters removed', () =>
    rolledBack(t.db, async (tx) => {
      const id = 'c0000000-0000-4000-8000-0000000000ee';
      await tx.query(
        `insert into auth.users (id, aud, role, email, email_confirmed_at, encrypted_password, raw_user_meta_data, created_at, updated_at)
         values ($1, 'authenticated', 'authenticated', 'bidi@test.ma', now(), 'x', $2::jsonb, now(), now())`,
        [id, JSON.stringify({ full_name: '\u202EizaT\u2066 enimA\u0007' })],
      );
      const { rows } = await tx.query<{ n: string | null }>(
        'select full_name as n from public.profiles where id = $1',
        [id],
      );
      expect(rows[0]!.n).toBe('izaT enimA');
    }));
});
