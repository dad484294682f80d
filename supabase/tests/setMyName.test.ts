/**
 * Issue 12, session 16 (20261214100001_set_my_name.sql): the patient corrects their own name at a clinic from My
 * visits through set_my_name(p_clinic_id, p_full_name). Only the caller's own record at that clinic is reached;
 * the desk's normalisation applies (inner white space collapsed, control characters 422); the 3-a-day limit
 * (20261212100002) still applies. Clock pinned to 10:00 of the world's clinic day; every case rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import type { Actor } from './helpers/sql';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const SET = `select public.set_my_name($1, $2) as r`;

describe.each(DB_KINDS)('set_my_name on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const setName = (tx: DbTx, actor: Actor, name: string, clinic: string = ID.clinicA) =>
    as<{ full_name: string; changed: boolean }>(tx, actor, SET, [clinic, name]);
  const nameOf = async (tx: DbTx, id: string) =>
    (await tx.query<{ n: string }>('select full_name as n from public.patients where id = $1', [id])).rows[0]
      ?.n;

  it('renameSelf: the patient corrects their own record at the clinic, normalised as the desk does', () =>
    rolledBack(t.db, async (tx) => {
      expect(await setName(tx, ACTORS.patientA, '  Amina \t  Ben\nSaid  ')).toEqual({
        full_name: 'Amina Ben Said',
        changed: true,
      });
      expect(await nameOf(tx, ID.patientRecA)).toBe('Amina Ben Said');
      expect(await nameOf(tx, ID.patientRecB)).toBe('Bruno Patient'); // the other patient's record untouched
      // the same name again (after normalisation) is no rename
      expect(await setName(tx, ACTORS.patientA, 'Amina  Ben Said')).toEqual({
        full_name: 'Amina Ben Said',
        changed: false,
      });
    }));

  it('renameSelf: nobody reaches another patient’s record or another clinic’s', () =>
    rolledBack(t.db, async (tx) => {
      // patient A has no record at clinic B (its walk-in with A's phone is not A's account)
      expect(await refused(tx, ACTORS.patientA, SET, [ID.clinicB, 'Sneaky'])).toBe('PT404 NOT_FOUND');
      expect(await nameOf(tx, ID.walkInB)).toBe('Amina Walk-in');
      // patient B renames only B's own record at clinic A
      expect(await setName(tx, ACTORS.patientB, 'Bruno Corrected')).toEqual({
        full_name: 'Bruno Corrected',
        changed: true,
      });
      expect(await nameOf(tx, ID.patientRecA)).toBe('Amina Patient');
      // staff have no own record here: 404, nothing renamed
      for (const actor of [ACTORS.recepA, ACTORS.ownerA, ACTORS.ownerB])
        expect(await refused(tx, actor, SET, [ID.clinicA, 'Sneaky'])).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.anon, SET, [ID.clinicA, 'Sneaky'])).toMatch(/^42501 /);
      expect(await refused(tx, ACTORS.service, SET, [ID.clinicA, 'Sneaky'])).toBe('PT401 AUTH.REQUIRED');
      expect(await nameOf(tx, ID.patientRecA)).toBe('Amina Patient');
      expect(await nameOf(tx, ID.patientRecB)).toBe('Bruno Corrected');
    }));

  it('renameLimit: three renames a day through set_my_name, the fourth PATIENT.RENAME_LIMIT and nothing changed', () =>
    rolledBack(t.db, async (tx) => {
      for (const name of ['Amina B', 'Amina C', 'Amina D'])
        expect((await setName(tx, ACTORS.patientA, name)).changed).toBe(true);
      expect(await refused(tx, ACTORS.patientA, SET, [ID.clinicA, 'Amina E'])).toBe(
        'PT429 PATIENT.RENAME_LIMIT',
      );
      expect(await nameOf(tx, ID.patientRecA)).toBe('Amina D');
      // the same name is still allowed (no rename, not counted)
      expect((await setName(tx, ACTORS.patientA, 'Amina D')).changed).toBe(false);
    }));

  it('renameSelf: a malformed name is VALIDATION.FAILED and changes nothing', () =>
    rolledBack(t.db, async (tx) => {
      for (const bad of [
        '',
        '   \t ',
        'x'.repeat(201),
        'Amina\u0007Bell',
        'Amina\u001bPatient',
        'A\u007fB',
      ]) {
        expect(await refused(tx, ACTORS.patientA, SET, [ID.clinicA, bad])).toBe('PT422 VALIDATION.FAILED');
      }
      expect(await refused(tx, ACTORS.patientA, SET, [ID.clinicA, null])).toBe('PT422 VALIDATION.FAILED');
      expect(await refused(tx, ACTORS.patientA, SET, [null, 'Amina'])).toBe('PT404 NOT_FOUND');
      expect(await nameOf(tx, ID.patientRecA)).toBe('Amina Patient');
      // a refused name did not use one of the day's renames
      for (const name of ['Amina B', 'Amina C', 'Amina D'])
        expect((await setName(tx, ACTORS.patientA, name)).changed).toBe(true);
    }));

  // session 16's review: the patient's direct table update (PATCH /rest/v1/patients) skipped set_my_name's rules
  it('renameSelf: a direct update of the own record gets the same rules (normalised; control characters 422)', () =>
    rolledBack(t.db, async (tx) => {
      const UPDATE = 'update public.patients set full_name = $1 where id = $2 returning full_name as r';
      for (const bad of ['Amina\u0007Bell', 'A\u007fB', '  \t ', 'x'.repeat(201)])
        expect(await refused(tx, ACTORS.patientA, UPDATE, [bad, ID.patientRecA])).toBe(
          'PT422 VALIDATION.FAILED',
        );
      expect(await nameOf(tx, ID.patientRecA)).toBe('Amina Patient');
      await as(tx, ACTORS.patientA, UPDATE, ['  Amina \t  Ben\nSaid  ', ID.patientRecA]);
      expect(await nameOf(tx, ID.patientRecA)).toBe('Amina Ben Said');
      // staff corrections are not the patient's rename: not limited by these rules — but every stored name has
      // the one normal form since session 17 (20261216500003: NFC, white space collapsed, trimmed)
      await as(tx, ACTORS.recepA, UPDATE, ['Amina  Staff', ID.patientRecA]);
      expect(await nameOf(tx, ID.patientRecA)).toBe('Amina Staff');
    }));
});
