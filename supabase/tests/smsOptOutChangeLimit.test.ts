/**
 * mreview26 F8 (20261227200002_sms_opt_out_change_limit.sql): a patient's own changes of sms_opt_out are limited to
 * private.patient_opt_out_change_limit() (10) per record and clinic day; the next is 429 RATE.LIMITED and changes
 * nothing. Before, a PATCH loop on one's own record wrote one audit_log row per change without bound. Every change
 * that happens is still audited (the trail's last line matches the record). The clinic's staff, the service role
 * and an SMS STOP reply are not counted. The clock is pinned to 10:00 of the clinic's day; each case runs in a
 * transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, PHONES } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const SET = (v: boolean) =>
  `with u as (update public.patients set sms_opt_out = ${v} where id = $1 returning 1) select count(*)::int as r from u`;

describe.each(DB_KINDS)('a patient toggling their own SMS opt-out on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const optedOut = async (tx: DbTx) =>
    (
      await tx.query<{ sms_opt_out: boolean }>('select sms_opt_out from public.patients where id = $1', [
        ID.patientRecA,
      ])
    ).rows[0]?.sms_opt_out;
  const trail = async (tx: DbTx) =>
    (
      await tx.query<{ kind: string }>(
        `select kind from public.audit_log
          where patient_id = $1 and kind in ('sms_opt_out', 'sms_opt_in') order by id`,
        [ID.patientRecA],
      )
    ).rows.map((r) => r.kind);
  /** n changes by the patient, alternating from the record's current value. */
  const toggle = async (tx: DbTx, n: number) => {
    for (let i = 0; i < n; i++) {
      const next = !(await optedOut(tx));
      expect(await as<number>(tx, ACTORS.patientA, SET(next), [ID.patientRecA])).toBe(1);
    }
  };

  it('ten changes a day, each audited; the eleventh is 429 RATE.LIMITED, changes nothing and writes no trail', () =>
    rolledBack(t.db, async (tx) => {
      expect(await optedOut(tx)).toBe(false);
      await toggle(tx, 10);
      const kinds = await trail(tx);
      expect(kinds).toHaveLength(10);
      expect(kinds.at(-1)).toBe('sms_opt_in'); // the trail's last line is the record's state
      expect(await optedOut(tx)).toBe(false);
      expect(await refused(tx, ACTORS.patientA, SET(true), [ID.patientRecA])).toBe('PT429 RATE.LIMITED');
      expect(await optedOut(tx)).toBe(false);
      expect(await trail(tx)).toEqual(kinds);
      // still refused (the refused change did not move the count), in either direction of a PATCH loop
      expect(await refused(tx, ACTORS.patientA, SET(true), [ID.patientRecA])).toBe('PT429 RATE.LIMITED');
      // writing the value the record holds is no change: neither counted nor refused, no trail
      expect(await as<number>(tx, ACTORS.patientA, SET(false), [ID.patientRecA])).toBe(1);
      expect(await trail(tx)).toEqual(kinds);
    }));

  it('the clinic’s staff, the service role and an SMS STOP reply are not limited, and do not spend the patient’s changes', () =>
    rolledBack(t.db, async (tx) => {
      await toggle(tx, 10); // the patient's ten: texts on again
      // the desk turns texts off at the patient's request
      expect(await as<number>(tx, ACTORS.recepA, SET(true), [ID.patientRecA])).toBe(1);
      expect(await as<number>(tx, ACTORS.service, SET(false), [ID.patientRecA])).toBe(1);
      await as(tx, ACTORS.service, `select public.sms_inbound_apply($1, 'stop') as r`, [PHONES.patientA]);
      expect(await optedOut(tx)).toBe(true);
      expect(await as<number>(tx, ACTORS.service, SET(false), [ID.patientRecA])).toBe(1);
      expect(await trail(tx)).toHaveLength(14);
      // the patient's own are still spent
      expect(await refused(tx, ACTORS.patientA, SET(true), [ID.patientRecA])).toBe('PT429 RATE.LIMITED');
    }));

  it('the count is per clinic day: the next day the patient may change it again', () =>
    rolledBack(t.db, async (tx) => {
      await toggle(tx, 10);
      expect(await refused(tx, ACTORS.patientA, SET(true), [ID.patientRecA])).toBe('PT429 RATE.LIMITED');
      // 10:00 the next day of the clinic (Morocco keeps one offset across these two days under any tzdata)
      await tx.query(`update private.pinned_clock set at = at + interval '1 day'`);
      expect(await as<number>(tx, ACTORS.patientA, SET(true), [ID.patientRecA])).toBe(1);
      expect(await optedOut(tx)).toBe(true);
      // the earlier day's count went when today's was written
      expect(
        (await tx.query<{ n: number }>('select count(*)::int as n from private.patient_opt_out_changes'))
          .rows[0]!.n,
      ).toBe(1);
    }));

  it('the count is private: no caller reads or resets it', () =>
    rolledBack(t.db, async (tx) => {
      await toggle(tx, 1);
      for (const actor of [ACTORS.patientA, ACTORS.ownerA, ACTORS.anon]) {
        expect(
          await refused(tx, actor, 'select count(*)::int as r from private.patient_opt_out_changes'),
        ).toMatch(/^42501 /);
        expect(
          await refused(
            tx,
            actor,
            'with d as (delete from private.patient_opt_out_changes returning 1) select count(*)::int as r from d',
          ),
        ).toMatch(/^42501 /);
      }
    }));
});
