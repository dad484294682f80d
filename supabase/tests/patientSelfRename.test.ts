/**
 * Issue 12, session 14 (20261212100002_patient_self_rename_limit.sql): a patient's own renames are limited to
 * private.patient_self_rename_limit() (3) per clinic day. Each rename of a patient with a visit today bumps
 * the clinic's queue version (20261211400002: every desk reloads), so without a limit one patient account
 * could keep every desk of the clinic reloading. The clock is pinned to 10:00 of the clinic's day (the world
 * seeds today's visits); each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import type { Actor } from './helpers/sql';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const RENAME = `with u as (update public.patients set full_name = $1 where id = $2 returning 1)
                select count(*)::int as r from u`;

describe.each(DB_KINDS)('a patient renaming themselves on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const rename = (tx: DbTx, actor: Actor, name: string) =>
    as<number>(tx, actor, RENAME, [name, ID.patientRecA]);
  const version = async (tx: DbTx) =>
    (await tx.query<{ v: number }>('select version as v from public.queues where id = $1', [ID.queueA]))
      .rows[0]?.v;
  const nameOf = async (tx: DbTx) =>
    (
      await tx.query<{ n: string }>('select full_name as n from public.patients where id = $1', [
        ID.patientRecA,
      ])
    ).rows[0]?.n;

  it('renameLimit: three renames of their own record a day, each reloading the desks; the fourth is PATIENT.RENAME_LIMIT and changes nothing', () =>
    rolledBack(t.db, async (tx) => {
      const v0 = (await version(tx))!;
      for (const [i, name] of ['Amina B', 'Amina C', 'Amina D'].entries()) {
        expect(await rename(tx, ACTORS.patientA, name)).toBe(1);
        expect(await version(tx)).toBe(v0 + i + 1); // the visit of today: the queue day moved
      }
      expect(await refused(tx, ACTORS.patientA, RENAME, ['Amina E', ID.patientRecA])).toBe(
        'PT429 PATIENT.RENAME_LIMIT',
      );
      expect(await nameOf(tx)).toBe('Amina D');
      expect(await version(tx)).toBe(v0 + 3); // the refusal bumped nothing
      // still refused on a second try (the refused attempt did not move the count either way)
      expect(await refused(tx, ACTORS.patientA, RENAME, ['Amina F', ID.patientRecA])).toBe(
        'PT429 PATIENT.RENAME_LIMIT',
      );
      // writing the same name is no rename: neither counted nor refused
      expect(await rename(tx, ACTORS.patientA, 'Amina D')).toBe(1);
    }));

  it('renameLimit: the clinic’s staff correct a name without limit, and their corrections do not use the patient’s renames', () =>
    rolledBack(t.db, async (tx) => {
      for (const name of ['Amina B', 'Amina C', 'Amina D'])
        expect(await rename(tx, ACTORS.patientA, name)).toBe(1);
      const v = (await version(tx))!;
      for (const [i, name] of ['Amina R1', 'Amina R2', 'Amina R3', 'Amina R4'].entries()) {
        expect(await rename(tx, ACTORS.recepA, name)).toBe(1);
        expect(await version(tx)).toBe(v + i + 1);
      }
      expect(await nameOf(tx)).toBe('Amina R4');
      expect(await refused(tx, ACTORS.patientA, RENAME, ['Amina E', ID.patientRecA])).toBe(
        'PT429 PATIENT.RENAME_LIMIT',
      );
      // another clinic's staff and another patient still cannot rename the record at all (RLS: no row)
      expect(await rename(tx, ACTORS.ownerB, 'Sneaky')).toBe(0);
      expect(await rename(tx, ACTORS.patientB, 'Sneaky')).toBe(0);
      expect(await nameOf(tx)).toBe('Amina R4');
    }));

  it('renameLimit: the count is per clinic day — the next day the patient may rename again', () =>
    rolledBack(t.db, async (tx) => {
      for (const name of ['Amina B', 'Amina C', 'Amina D'])
        expect(await rename(tx, ACTORS.patientA, name)).toBe(1);
      expect(await refused(tx, ACTORS.patientA, RENAME, ['Amina E', ID.patientRecA])).toMatch(/RENAME_LIMIT/);
      // 10:00 the next day of the clinic (Morocco keeps one offset across these two days under any tzdata)
      await tx.query(`update private.pinned_clock set at = at + interval '1 day'`);
      expect(await rename(tx, ACTORS.patientA, 'Amina E')).toBe(1);
      expect(await nameOf(tx)).toBe('Amina E');
    }));

  it('renameLimit: the count is private — no caller reads or resets it', () =>
    rolledBack(t.db, async (tx) => {
      expect(await rename(tx, ACTORS.patientA, 'Amina B')).toBe(1);
      for (const actor of [ACTORS.patientA, ACTORS.ownerA, ACTORS.anon]) {
        expect(
          await refused(tx, actor, 'select count(*)::int as r from private.patient_self_renames'),
        ).toMatch(/^42501 /);
        expect(
          await refused(
            tx,
            actor,
            'with d as (delete from private.patient_self_renames returning 1) select count(*)::int as r from d',
          ),
        ).toMatch(/^42501 /);
      }
    }));
});
