/**
 * Session 19 (20261219800003): saving a doctor's leave or own hours no longer blocks bookings and queue steps that
 * name the doctor. The save locked the doctor's clinic_members row FOR UPDATE, which conflicts with the FOR KEY SHARE
 * lock of every foreign-key check on queue_entries.practitioner_id; it now takes FOR NO KEY UPDATE (two saves for one
 * doctor still wait for each other). Forced, not hoped for: the admin's save is held open while a visit naming the
 * doctor is written with a lock_timeout — with the old lock it waits and fails 55P03, now it goes through.
 * PostgreSQL only (PGlite runs one transaction at a time). Both transactions are rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError, DbTx } from '../local/db/types';
import { type TestDb } from './helpers/testDb';
import { becomeActor } from './helpers/sql';
import { ACTORS, ID } from './helpers/world';
import { openPinnedWorld } from './helpers/pinnedWorld';

class Rollback extends Error {}

describe('a doctor’s schedule saved beside a visit naming the doctor, on postgres', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld('postgres', '10:00', { poolSize: 4 });
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const holdWhile = async (save: (tx: DbTx) => Promise<unknown>) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const admin = t.db
      .transaction(async (tx) => {
        await becomeActor(tx, ACTORS.ownerA);
        await save(tx);
        held();
        await gate;
        throw new Rollback();
      })
      .catch((e: unknown) =>
        e instanceof Rollback ? 'held' : `${(e as DbError).code} ${(e as DbError).message}`,
      );
    await holding;
    const visit = await t.db
      .transaction(async (tx) => {
        await tx.exec(`set local lock_timeout = '3s'`);
        await tx.query(
          `insert into public.queue_entries (queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key,
                                             practitioner_id)
           values ($1, $2, $3, 'walk_in', 'waiting', 71, 71, $4)`,
          [ID.queueA, ID.clinicA, ID.walkInA, ID.memberPractA],
        );
        throw new Rollback();
      })
      .catch((e: unknown) =>
        e instanceof Rollback ? 'written' : `${(e as DbError).code} ${(e as DbError).message}`,
      );
    release();
    return { admin: await admin, visit };
  };

  it('a visit naming the doctor is written while the doctor’s leave is being saved', async () => {
    expect(
      await holdWhile((tx) =>
        tx.query(
          `select public.set_practitioner_leave($1::uuid, $2::uuid, private.clinic_today('Africa/Casablanca') + 20,
                                                private.clinic_today('Africa/Casablanca') + 21)`,
          [ID.clinicA, ID.memberPractA],
        ),
      ),
    ).toEqual({ admin: 'held', visit: 'written' });
  });

  it('a visit naming the doctor is written while the doctor’s own hours are being saved', async () => {
    expect(
      await holdWhile((tx) =>
        tx.query(`select public.set_practitioner_hours($1::uuid, $2::uuid, $3::jsonb)`, [
          ID.clinicA,
          ID.memberPractA,
          JSON.stringify([{ weekday: 1, starts_at: '09:00', ends_at: '12:00' }]),
        ]),
      ),
    ).toEqual({ admin: 'held', visit: 'written' });
  });
});
