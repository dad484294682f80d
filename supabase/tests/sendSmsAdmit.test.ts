/**
 * review26 L5 (20261227200001_send_sms_caller_limit.sql): send-sms asks public.send_sms_admit(clinic) with the
 * caller's token before any work. Counted per caller (auth.uid(): every call, whatever clinic it names) and per
 * clinic (calls by that clinic's own staff only, so a stranger naming clinic A spends only his own budget); the
 * service role is never counted; anon holds no EXECUTE. The window starts at a key's first call. The clock is pinned
 * (10:00 of the clinic's day); each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, U } from './helpers/world';
import type { Actor } from './helpers/sql';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

type Admission = { admitted: boolean; scope?: string; retry_after?: number };
const ADMIT = 'select public.send_sms_admit($1) as r';

describe.each(DB_KINDS)('send-sms’s per-caller and per-clinic limit on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const limits = (tx: DbTx, caller: number, clinic: number, windowS = 60) =>
    tx.query('update private.send_sms_limit set caller_max = $1, clinic_max = $2, window_seconds = $3', [
      caller,
      clinic,
      windowS,
    ]);
  const admit = (tx: DbTx, actor: Actor, clinic: string = ID.clinicA) =>
    as<Admission>(tx, actor, ADMIT, [clinic]);
  const hits = async (tx: DbTx, scope: string, subject: string) =>
    (
      await tx.query<{ hits: number }>(
        'select hits from private.send_sms_hits where scope = $1 and subject = $2',
        [scope, subject],
      )
    ).rows[0]?.hits ?? 0;

  it('the defaults: 120 calls a minute per caller, 600 per clinic', async () => {
    const { rows } = await t.db.query(
      'select caller_max, clinic_max, window_seconds from private.send_sms_limit',
    );
    expect(rows).toEqual([{ caller_max: 120, clinic_max: 600, window_seconds: 60 }]);
  });

  it('per caller: over the limit → {admitted: false, scope: caller, retry_after}; another account of the clinic is not held back', () =>
    rolledBack(t.db, async (tx) => {
      await limits(tx, 3, 100);
      for (let i = 0; i < 3; i++) expect(await admit(tx, ACTORS.recepA)).toEqual({ admitted: true });
      expect(await admit(tx, ACTORS.recepA)).toEqual({ admitted: false, scope: 'caller', retry_after: 60 });
      // a refused caller's loop moves nothing (the count stays at max + 1)
      for (let i = 0; i < 5; i++) expect((await admit(tx, ACTORS.recepA)).admitted).toBe(false);
      expect(await hits(tx, 'caller', U.recepA)).toBe(4);
      expect(await admit(tx, ACTORS.ownerA)).toEqual({ admitted: true });
      // the window ends 60 s after the caller's first call: admitted again, a new window
      await tx.query(`update private.pinned_clock set at = at + interval '59 seconds'`);
      expect(await admit(tx, ACTORS.recepA)).toEqual({ admitted: false, scope: 'caller', retry_after: 1 });
      await tx.query(`update private.pinned_clock set at = at + interval '1 second'`);
      expect(await admit(tx, ACTORS.recepA)).toEqual({ admitted: true });
    }));

  it('per clinic: counts its own staff together; a stranger naming the clinic (another clinic’s owner, a patient) spends only his own', () =>
    rolledBack(t.db, async (tx) => {
      await limits(tx, 100, 3);
      expect(await admit(tx, ACTORS.recepA)).toEqual({ admitted: true });
      // strangers naming clinic A, many times: counted against themselves, never against A
      for (let i = 0; i < 10; i++) {
        expect(await admit(tx, ACTORS.ownerB)).toEqual({ admitted: true });
        expect(await admit(tx, ACTORS.patientA)).toEqual({ admitted: true });
      }
      expect(await hits(tx, 'clinic', ID.clinicA)).toBe(1);
      expect(await admit(tx, ACTORS.ownerA)).toEqual({ admitted: true });
      expect(await admit(tx, ACTORS.practA)).toEqual({ admitted: true });
      expect(await admit(tx, ACTORS.recepA)).toEqual({ admitted: false, scope: 'clinic', retry_after: 60 });
      // clinic B's owner for his own clinic is not held back by clinic A's count
      expect(await admit(tx, ACTORS.ownerB, ID.clinicB)).toEqual({ admitted: true });
    }));

  it('a stranger over his own limit naming clinic A does not hold back A’s desk', () =>
    rolledBack(t.db, async (tx) => {
      await limits(tx, 3, 5);
      for (let i = 0; i < 3; i++) expect((await admit(tx, ACTORS.ownerB)).admitted).toBe(true);
      expect(await admit(tx, ACTORS.ownerB)).toMatchObject({ admitted: false, scope: 'caller' });
      expect(await admit(tx, ACTORS.recepA)).toEqual({ admitted: true });
    }));

  it('the service role is never counted (the sweep’s path); anon may not call it (42501)', () =>
    rolledBack(t.db, async (tx) => {
      await limits(tx, 1, 1);
      for (let i = 0; i < 5; i++) expect(await admit(tx, ACTORS.service)).toEqual({ admitted: true });
      expect((await tx.query('select count(*)::int as n from private.send_sms_hits')).rows).toEqual([
        { n: 0 },
      ]);
      expect(await refused(tx, ACTORS.anon, ADMIT, [ID.clinicA])).toMatch(/^42501 /);
      expect(await admit(tx, ACTORS.recepA)).toEqual({ admitted: true });
    }));

  it('the counts and the limits are private: no caller reads, resets or raises them', () =>
    rolledBack(t.db, async (tx) => {
      await admit(tx, ACTORS.recepA);
      for (const actor of [ACTORS.recepA, ACTORS.ownerA, ACTORS.anon]) {
        for (const sql of [
          'select count(*)::int as r from private.send_sms_hits',
          'with d as (delete from private.send_sms_hits returning 1) select count(*)::int as r from d',
          'with u as (update private.send_sms_limit set caller_max = 1000000 returning 1) select count(*)::int as r from u',
          `select private.send_sms_hit('caller', gen_random_uuid(), 1, interval '1 minute', now()) as r`,
        ])
          expect(await refused(tx, actor, sql)).toMatch(/^42501 /);
      }
    }));
});
