/**
 * sec19, review19 L3 (20261219700002_person_name_no_invisible_letters.sql): is_clean_person_name refused format
 * characters (Cf) but accepted letters and marks that show nothing — Hangul fillers, the braille blank, Khmer
 * inherent vowels, the combining grapheme joiner, Mongolian and other variation selectors — and stacks of combining
 * marks ("zalgo"), so a name could be blank or hide a difference on the board and the desk. Now refused with the
 * same 422 / 23514 on every writer; Arabic with its harakat, French accents (composed or not), Vietnamese, Korean
 * and emoji with VS16 stay accepted. Clock pinned; every case rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, U } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const SET = `select public.set_my_name($1, $2) as r`;
const marks = (n: number) =>
  Array.from({ length: n }, (_, i) => String.fromCodePoint(0x300 + (i % 0x30))).join('');
const INVISIBLE = [
  'Amine\u3164', // HANGUL FILLER
  '\u3164', // a name of one filler: blank
  'Am\uFFA0ine', // HALFWIDTH HANGUL FILLER
  '\u115F\u1160', // HANGUL CHOSEONG / JUNGSEONG FILLER
  'Amine \u2800', // BRAILLE PATTERN BLANK
  'Ami\u17B4ne', // KHMER VOWEL INHERENT AQ
  'Ami\u17B5ne', // KHMER VOWEL INHERENT AA
  'Ami\u034Fne', // COMBINING GRAPHEME JOINER
  'Amine\u180B', // MONGOLIAN FREE VARIATION SELECTOR ONE
  'Amine\u180F', // MONGOLIAN FREE VARIATION SELECTOR FOUR
  'Amine\uFE00', // VARIATION SELECTOR-1
  'Amine\uFE0F', // VARIATION SELECTOR-16 after a letter
  'Amine\u{E0100}', // VARIATION SELECTOR-17
  `A${marks(4)}mine`, // four stacked diacritics
  `Z${marks(30)}oé`, // zalgo
  '\u0645\u064E\u0651\u064B\u0650\u064F\u062D\u0645\u062F', // five Arabic marks on one letter
  '\u0301', // a lone combining mark: nothing visible
  '\u0651\u064E', // Arabic marks alone
];
const VISIBLE = [
  '\u0645\u064F\u062D\u064E\u0645\u0651\u064E\u062F \u0627\u0644\u0652\u0641\u064E\u0627\u0633\u0650\u064A', // «مُحَمَّد الْفَاسِي»
  '\u0639\u064E\u0628\u0652\u062F \u0627\u0644\u0644\u0651\u064E\u0670\u0647', // «عَبْد اللّٰه» (shadda + dagger alef)
  'Zoé Lefèvre-Çağlar',
  'Zoe\u0301 He\u0301le\u0300ne', // French, decomposed (NFD)
  'Nguye\u0323\u0302n Thi\u0323', // Vietnamese, decomposed: two marks on one letter
  '\uAE40\uBBFC\uC900', // 김민준 (Hangul syllables)
  'Salma \u2764\uFE0F', // ❤️
  'Zoé \u{1F469}\u{1F3FD}\u200D\u2695\uFE0F', // 👩🏽‍⚕️
];

describe.each(DB_KINDS)('names hold no invisible letters or mark stacks, on %s', (kind) => {
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

  it('set_my_name refuses each with VALIDATION.FAILED and keeps the name', () =>
    rolledBack(t.db, async (tx) => {
      const before = await patientName(tx);
      const got = [];
      for (const name of INVISIBLE)
        got.push([
          name,
          await refused(tx, ACTORS.patientA, SET, [ID.clinicA, name]).catch((x: Error) => x.message),
        ]);
      expect(got).toEqual(INVISIBLE.map((n) => [n, 'PT422 VALIDATION.FAILED']));
      expect(await patientName(tx)).toBe(before);
    }));

  it('Arabic with harakat, French accents, Vietnamese, Korean and emoji names are accepted as typed (NFC)', () =>
    rolledBack(t.db, async (tx) => {
      // the patient's own rename (3 a day) for the first ones, the patients trigger every writer meets for all
      for (const name of VISIBLE.slice(0, 3)) {
        const r = await as<{ full_name: string }>(tx, ACTORS.patientA, SET, [ID.clinicA, name]);
        expect(r.full_name).toBe(name.normalize('NFC'));
      }
      for (const name of VISIBLE) {
        await tx.query('update public.patients set full_name = $2 where id = $1', [ID.patientRecA, name]);
        expect(await patientName(tx)).toBe(name.normalize('NFC'));
      }
    }));

  it('the desk’s find-or-create and a direct write refuse them too', () =>
    rolledBack(t.db, async (tx) => {
      expect(
        await refused(tx, ACTORS.recepA, 'select public.staff_find_or_create_patient($1, $2, $3) as r', [
          ID.clinicA,
          'Amine\u3164',
          '+212611223344',
        ]),
      ).toBe('PT422 VALIDATION.FAILED');
      expect(
        await refused(tx, null, `update public.patients set full_name = $2 where id = $1`, [
          ID.patientRecA,
          `Amine${marks(12)}`,
        ]),
      ).toBe('PT422 VALIDATION.FAILED');
    }));

  it('profiles.full_name refuses them (PATCH /rest/v1/profiles) and keeps accepting an Arabic or emoji name', () =>
    rolledBack(t.db, async (tx) => {
      for (const name of ['\u3164', 'Amine\u2800', 'Ami\u034Fne', `A${marks(8)}`]) {
        const e = await refused(
          tx,
          ACTORS.patientA,
          `update public.profiles set full_name = $2 where id = $1`,
          [U.patientA, name],
        );
        expect([name, e.slice(0, 5)]).toEqual([name, '23514']);
      }
      for (const name of [VISIBLE[0]!, VISIBLE[7]!]) {
        await as(
          tx,
          ACTORS.patientA,
          `with u as (update public.profiles set full_name = $2 where id = $1 returning 1) select count(*)::int as r from u`,
          [U.patientA, name],
        );
        const { rows } = await tx.query<{ n: string }>(
          'select full_name as n from public.profiles where id = $1',
          [U.patientA],
        );
        expect(rows[0]!.n).toBe(name.normalize('NFC'));
      }
    }));

  it('a sign-up whose metadata name holds them gets a profile with them removed (or none when nothing is left)', () =>
    rolledBack(t.db, async (tx) => {
      const signUp = async (id: string, fullName: string) => {
        await tx.query(
          `insert into auth.users (id, aud, role, email, email_confirmed_at, encrypted_password, raw_user_meta_data, created_at, updated_at)
           values ($1, 'authenticated', 'authenticated', $3, now(), 'x', $2::jsonb, now(), now())`,
          [id, JSON.stringify({ full_name: fullName }), `${id.slice(-2)}@test.ma`],
        );
        return (
          await tx.query<{ n: string | null }>('select full_name as n from public.profiles where id = $1', [
            id,
          ])
        ).rows[0]!.n;
      };
      expect(await signUp('c0000000-0000-4000-8000-0000000000e1', `Am\u3164ine Z${marks(9)}ia\uFE0F`)).toBe(
        `Am ine Z${marks(3)}ia`.normalize('NFC'),
      );
      expect(await signUp('c0000000-0000-4000-8000-0000000000e2', '\u3164\u2800')).toBeNull();
    }));
});
