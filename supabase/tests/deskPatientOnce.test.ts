/**
 * Review of session 15 (20261213900004_desk_patient_once.sql): the desk's find-or-create of a caller makes ONE
 * record even when two desks book the same caller at once, and reads names the way people type them.
 *
 * On PostgreSQL the interleaving is forced, not hoped for: desk 1 creates the caller and keeps its transaction
 * open; desk 2 asks for the same caller and is seen waiting for a lock (pg_stat_activity); desk 1 commits; desk 2
 * then finds desk 1's record. Before, desk 2 found nothing and inserted a second record. (PGlite runs one
 * transaction at a time: there no two desks can interleave.) The name cases run on both databases, rolled back.
 * Nothing depends on the time of day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { becomeActor } from './helpers/sql';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

type Found = { patient_id: string; full_name: string; created: boolean };
const FIND = `select public.staff_find_or_create_patient($1::uuid, $2, $3, 'fr') as r`;

describe.each(DB_KINDS)('the desk’s caller lookup on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00', kind === 'postgres' ? { poolSize: 4 } : {});
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('inner white space is one space ("Ali  Ben" is "Ali Ben"); a name with a control character is VALIDATION.FAILED and writes nothing', () =>
    rolledBack(t.db, async (tx) => {
      const made = await as<Found>(tx, ACTORS.recepA, FIND, [ID.clinicA, 'Ali\t Ben', '+212612009902']);
      expect(made).toMatchObject({ full_name: 'Ali Ben', created: true });
      const again = await as<Found>(tx, ACTORS.recepA, FIND, [ID.clinicA, ' ali   BEN ', '+212612009902']);
      expect(again).toEqual({ ...made, created: false });
      expect(await refused(tx, ACTORS.recepA, FIND, [ID.clinicA, 'Ali\u0001Ben', '+212612009903'])).toBe(
        'PT422 VALIDATION.FAILED',
      );
      const n = await tx.query<{ n: number }>(
        `select count(*)::int as n from public.patients where phone = $1`,
        ['+212612009903'],
      );
      expect(n.rows[0]?.n).toBe(0);
    }));

  if (kind === 'postgres') {
    /** Polls pg_stat_activity until backend `pid` waits for a lock (bounded; no fixed sleep decides anything). */
    const waitsForLock = async (pid: () => number): Promise<boolean> => {
      for (let i = 0; i < 3_000; i++) {
        const p = pid();
        if (p) {
          const { rows } = await t.db.query<{ w: string | null }>(
            'select wait_event_type as w from pg_stat_activity where pid = $1',
            [p],
          );
          if (rows[0]?.w === 'Lock') return true;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      return false;
    };

    it('two desks booking the same new caller at once make one record: the second waits, then finds the first’s', async () => {
      const phone = '+212612009901';
      let commit!: () => void;
      const gate = new Promise<void>((r) => (commit = r));
      let created!: (f: Found) => void;
      const first = new Promise<Found>((r) => (created = r));
      const desk1 = t.db.transaction(async (tx) => {
        await becomeActor(tx, ACTORS.recepA);
        const r = await tx.query<{ r: Found }>(FIND, [ID.clinicA, 'Nadia Alaoui', phone]);
        created(r.rows[0]!.r);
        await gate; // still open: its record is not visible to anyone else yet
      });
      const one = await first;
      expect(one.created).toBe(true);
      let pid2 = 0;
      const desk2 = t.db
        .transaction(async (tx) => {
          pid2 = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0;
          await becomeActor(tx, ACTORS.practA);
          return (await tx.query<{ r: Found }>(FIND, [ID.clinicA, 'nadia alaoui', phone])).rows[0]!.r;
        })
        .catch((e: DbError) => `${e.code ?? ''} ${e.message ?? ''}`);
      const waited = await waitsForLock(() => pid2);
      commit();
      await desk1;
      const two = await desk2;
      try {
        expect(waited).toBe(true);
        expect(two).toEqual({ ...one, created: false });
        const n = await t.db.query<{ n: number }>(
          `select count(*)::int as n from public.patients where clinic_id = $1 and phone = $2`,
          [ID.clinicA, phone],
        );
        expect(n.rows[0]?.n).toBe(1);
      } finally {
        await t.db.query(`delete from public.patients where clinic_id = $1 and phone = $2`, [
          ID.clinicA,
          phone,
        ]);
      }
    });
  }
});
