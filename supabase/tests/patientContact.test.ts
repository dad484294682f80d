/**
 * Review of session 14 (20261213900001_patient_contact_staff_only.sql): a patient may not change the phone
 * number (or the notes) of their own record. Before, `patients_update` + the column grant let a signed-in
 * patient write any number there — no SMS code — and, with STOP recorded on their own record, silence another
 * patient of the clinic who has that number (a number is opted out when any record of the clinic with it is).
 * Each case runs in a transaction that is rolled back; nothing here depends on the time of day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, PHONES } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const UPDATE = (set: string) =>
  `with u as (update public.patients set ${set} where id = $1 returning 1) select count(*)::int as r from u`;

describe.each(DB_KINDS)('who changes a patient’s phone on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const record = async (tx: DbTx, id: string) =>
    (
      await tx.query<{ phone: string | null; notes: string | null; sms_opt_out: boolean }>(
        'select phone, notes, sms_opt_out from public.patients where id = $1',
        [id],
      )
    ).rows[0];

  it('a patient cannot put another person’s number on their own record (AUTH.FORBIDDEN), nor silence that person with STOP', () =>
    rolledBack(t.db, async (tx) => {
      const before = await record(tx, ID.patientRecA);
      expect(
        await refused(tx, ACTORS.patientA, UPDATE(`phone = '${PHONES.patientB}', sms_opt_out = true`), [
          ID.patientRecA,
        ]),
      ).toBe('PT403 AUTH.FORBIDDEN');
      expect(await record(tx, ID.patientRecA)).toEqual(before);
      // patient B's record in the same clinic is still reachable by SMS (no record with B's number opted out)
      const optedOut = await tx.query<{ n: number }>(
        `select count(*)::int as n from public.patients where phone = $1 and sms_opt_out`,
        [PHONES.patientB],
      );
      expect(optedOut.rows[0]?.n).toBe(0);
      // clearing the number is a change too
      expect(await refused(tx, ACTORS.patientA, UPDATE('phone = null'), [ID.patientRecA])).toBe(
        'PT403 AUTH.FORBIDDEN',
      );
    }));

  it('a patient cannot write the notes of their record', () =>
    rolledBack(t.db, async (tx) => {
      expect(await refused(tx, ACTORS.patientA, UPDATE(`notes = 'vip'`), [ID.patientRecA])).toBe(
        'PT403 AUTH.FORBIDDEN',
      );
      expect((await record(tx, ID.patientRecA))?.notes).toBeNull();
    }));

  it('a patient still changes their SMS opt-out and language, and writing the same number is no change', () =>
    rolledBack(t.db, async (tx) => {
      const { phone } = (await record(tx, ID.patientRecA))!;
      expect(
        await as<number>(tx, ACTORS.patientA, UPDATE(`sms_opt_out = true, preferred_language = 'ar'`), [
          ID.patientRecA,
        ]),
      ).toBe(1);
      expect(await as<number>(tx, ACTORS.patientA, UPDATE(`phone = phone`), [ID.patientRecA])).toBe(1);
      expect(await record(tx, ID.patientRecA)).toEqual({ phone, notes: null, sms_opt_out: true });
    }));

  it('the clinic’s staff correct a patient’s number; another clinic’s staff and another patient reach no row', () =>
    rolledBack(t.db, async (tx) => {
      expect(
        await as<number>(tx, ACTORS.recepA, UPDATE(`phone = '+212600000399', notes = 'calls after 5'`), [
          ID.patientRecA,
        ]),
      ).toBe(1);
      expect(await record(tx, ID.patientRecA)).toMatchObject({
        phone: '+212600000399',
        notes: 'calls after 5',
      });
      expect(await as<number>(tx, ACTORS.ownerB, UPDATE(`phone = '+212600000398'`), [ID.patientRecA])).toBe(
        0,
      );
      expect(await as<number>(tx, ACTORS.patientB, UPDATE(`phone = '+212600000398'`), [ID.patientRecA])).toBe(
        0,
      );
      expect((await record(tx, ID.patientRecA))?.phone).toBe('+212600000399');
    }));
});
