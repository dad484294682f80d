/**
 * Issue 12, session 17 (20261216500003_person_name_nfc.sql): a patient's name has ONE normal form —
 * Unicode NFC, inner white space collapsed, trimmed (private.normalize_person_name) — on every path that stores,
 * compares or searches it. "René" typed as e + U+0301 (combining acute) and with the precomposed U+00E9, or
 * "أحمد" typed as alef + U+0654 (combining hamza above) and with the precomposed U+0623, are one name: the desk's
 * find-or-create finds the record, the patient's own rename of the same name is no rename, a walk-in is stored
 * composed, and the search finds the patient typed either way. Session 18 (20261217400002): the account's own
 * name (public.profiles.full_name, PATCH /rest/v1/profiles) is stored in the same normal form. Clock pinned;
 * every case rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, U } from './helpers/world';
import { as, openPinnedWorld, rolledBack } from './helpers/pinnedWorld';

const RENE_COMBINING = 'Rene\u0301 Dupont'; // e + COMBINING ACUTE ACCENT
const RENE_PRECOMPOSED = 'Ren\u00e9 Dupont'; // LATIN SMALL LETTER E WITH ACUTE
const AHMED_COMBINING = '\u0627\u0654\u062d\u0645\u062f \u0628\u0646\u0627\u0646\u064a'; // alef + HAMZA ABOVE
const AHMED_PRECOMPOSED = '\u0623\u062d\u0645\u062f \u0628\u0646\u0627\u0646\u064a'; // ALEF WITH HAMZA ABOVE
const PHONE = '+212611223344';

describe.each(DB_KINDS)('person names, one normal form, on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const findOrCreate = (tx: DbTx, name: string, phone = PHONE) =>
    as<{ patient_id: string; full_name: string; created: boolean }>(
      tx,
      ACTORS.recepA,
      'select public.staff_find_or_create_patient($1, $2, $3) as r',
      [ID.clinicA, name, phone],
    );
  const stored = async (tx: DbTx, id: string) =>
    (await tx.query<{ n: string }>('select full_name as n from public.patients where id = $1', [id])).rows[0]
      ?.n;
  const search = async (tx: DbTx, q: string) =>
    (
      await as<{ id: string }[]>(tx, ACTORS.recepA, 'select public.search_patients($1, $2) as r', [
        ID.clinicA,
        q,
      ])
    ).map((p) => p.id);

  it('nameNfc: the desk books the same caller typed with a combining mark or precomposed — one record (French and Arabic)', () =>
    rolledBack(t.db, async (tx) => {
      const first = await findOrCreate(tx, RENE_COMBINING);
      expect(first.created).toBe(true);
      expect(first.full_name).toBe(RENE_PRECOMPOSED);
      expect(await stored(tx, first.patient_id)).toBe(RENE_PRECOMPOSED);
      const again = await findOrCreate(tx, `  ${RENE_PRECOMPOSED.replace(' ', '  ')} `);
      expect([again.created, again.patient_id]).toEqual([false, first.patient_id]);

      const ahmed = await findOrCreate(tx, AHMED_PRECOMPOSED, '+212611223355');
      expect(ahmed.created).toBe(true);
      const ahmedAgain = await findOrCreate(tx, AHMED_COMBINING, '+212611223355');
      expect([ahmedAgain.created, ahmedAgain.patient_id]).toEqual([false, ahmed.patient_id]);
      expect(
        (
          await tx.query('select 1 from public.patients where clinic_id = $1 and phone = any($2)', [
            ID.clinicA,
            [PHONE, '+212611223355'],
          ])
        ).rows,
      ).toHaveLength(2);
    }));

  it('nameNfc: every stored name is composed — a walk-in inserted by any writer, a staff correction', () =>
    rolledBack(t.db, async (tx) => {
      const id = 'a3000000-0000-4000-8000-0000000000f1';
      await tx.query(
        `insert into public.patients (id, clinic_id, full_name, phone) values ($1, $2, $3, '+212611223366')`,
        [id, ID.clinicA, ` ${AHMED_COMBINING}\t`],
      );
      expect(await stored(tx, id)).toBe(AHMED_PRECOMPOSED);
      await tx.query('update public.patients set full_name = $2 where id = $1', [id, RENE_COMBINING]);
      expect(await stored(tx, id)).toBe(RENE_PRECOMPOSED);
    }));

  it('nameNfc: the patient renaming themselves to the same name typed the other way is no rename', () =>
    rolledBack(t.db, async (tx) => {
      const SET = 'select public.set_my_name($1, $2) as r';
      expect(await as(tx, ACTORS.patientA, SET, [ID.clinicA, RENE_PRECOMPOSED])).toEqual({
        full_name: RENE_PRECOMPOSED,
        changed: true,
      });
      expect(await as(tx, ACTORS.patientA, SET, [ID.clinicA, RENE_COMBINING])).toEqual({
        full_name: RENE_PRECOMPOSED,
        changed: false,
      });
      // the direct table rename (the own-rename trigger's rules) stores the composed form too
      await as(
        tx,
        ACTORS.patientA,
        'update public.patients set full_name = $2 where id = $1 returning 1 as r',
        [ID.patientRecA, AHMED_COMBINING],
      );
      expect(await stored(tx, ID.patientRecA)).toBe(AHMED_PRECOMPOSED);
    }));

  it('nameNfc: the search finds the patient typed either way', () =>
    rolledBack(t.db, async (tx) => {
      const rene = await findOrCreate(tx, RENE_PRECOMPOSED);
      const ahmed = await findOrCreate(tx, AHMED_COMBINING, '+212611223355');
      expect(await search(tx, 'Rene\u0301')).toContain(rene.patient_id);
      expect(await search(tx, 'Ren\u00e9')).toContain(rene.patient_id);
      expect(await search(tx, '\u0623\u062d\u0645\u062f')).toContain(ahmed.patient_id);
      expect(await search(tx, '\u0627\u0654\u062d\u0645\u062f')).toContain(ahmed.patient_id);
    }));

  it('nameNfc: an account name (profiles.full_name, PATCH /rest/v1/profiles) is stored composed and collapsed — a patient and a staff member', () =>
    rolledBack(t.db, async (tx) => {
      const rename = async (actor: (typeof ACTORS)[keyof typeof ACTORS], id: string, name: string) => {
        await as(
          tx,
          actor,
          `with u as (update public.profiles set full_name = $2 where id = $1 returning 1) select count(*)::int as r from u`,
          [id, name],
        );
        return (
          await tx.query<{ n: string | null }>('select full_name as n from public.profiles where id = $1', [
            id,
          ])
        ).rows[0]?.n;
      };
      expect(await rename(ACTORS.patientA, U.patientA, ` ${RENE_COMBINING.replace(' ', '   ')}  `)).toBe(
        RENE_PRECOMPOSED,
      );
      expect(await rename(ACTORS.recepA, U.recepA, AHMED_COMBINING)).toBe(AHMED_PRECOMPOSED);
      // white space only is no name
      expect(await rename(ACTORS.patientA, U.patientA, '   ')).toBeNull();
      // the patient's first booking copies the account's name: the record and the account agree
      await rename(ACTORS.patientA, U.patientA, AHMED_COMBINING);
      const { rows } = await tx.query<{ n: string }>(
        `select private.find_or_create_patient($1, $2, null, null, null) ->> 'full_name' as n`,
        [ID.clinicB, U.patientA],
      );
      expect(rows[0]?.n).toBe(AHMED_PRECOMPOSED);
      // a sign-up's name is in the normal form too (handle_new_user)
      const id = 'c0000000-0000-4000-8000-0000000000ef';
      await tx.query(
        `insert into auth.users (id, aud, role, email, email_confirmed_at, encrypted_password, raw_user_meta_data, created_at, updated_at)
         values ($1, 'authenticated', 'authenticated', 'nfc@test.ma', now(), 'x', $2::jsonb, now(), now())`,
        [id, JSON.stringify({ full_name: `  ${RENE_COMBINING}` })],
      );
      const signed = await tx.query<{ n: string }>(
        'select full_name as n from public.profiles where id = $1',
        [id],
      );
      expect(signed.rows[0]?.n).toBe(RENE_PRECOMPOSED);
    }));
});
