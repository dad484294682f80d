/**
 * review26 M2 (20261226400001_sms_opt_out_patient_only.sql): a patient's SMS STOP is taken back only by the
 * patient (their own signed-in record) or the service role. Before, the column grant + `patients_update` let any
 * staff member of the clinic PATCH sms_opt_out true → false — silently, and send-sms texted the patient again.
 * Staff still turn texts OFF (a patient asks at the desk); every change is in the audit trail.
 * Each case runs in a transaction that is rolled back; nothing here depends on the time of day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, PHONES, U } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const SET = (v: boolean) =>
  `with u as (update public.patients set sms_opt_out = ${v} where id = $1 returning 1) select count(*)::int as r from u`;

describe.each(DB_KINDS)('who takes back a patient’s SMS STOP on %s', (kind) => {
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
  const audit = async (tx: DbTx) =>
    (
      await tx.query<{ kind: string; actor_id: string | null; actor_role: string | null }>(
        `select kind, actor_id, actor_role::text from public.audit_log
          where patient_id = $1 and kind in ('sms_opt_out', 'sms_opt_in') order by id`,
        [ID.patientRecA],
      )
    ).rows;
  const stopped = (tx: DbTx) =>
    tx.query('update public.patients set sms_opt_out = true where id = $1', [ID.patientRecA]);

  it('the clinic’s staff (receptionist, owner) cannot turn a STOP back on: 403 PATIENT.OPT_OUT_PATIENT_ONLY, nothing changes', () =>
    rolledBack(t.db, async (tx) => {
      await stopped(tx);
      const trail = await audit(tx);
      expect(await refused(tx, ACTORS.recepA, SET(false), [ID.patientRecA])).toBe(
        'PT403 PATIENT.OPT_OUT_PATIENT_ONLY',
      );
      expect(await refused(tx, ACTORS.ownerA, SET(false), [ID.patientRecA])).toBe(
        'PT403 PATIENT.OPT_OUT_PATIENT_ONLY',
      );
      expect(await refused(tx, ACTORS.practA, SET(false), [ID.patientRecA])).toBe(
        'PT403 PATIENT.OPT_OUT_PATIENT_ONLY',
      );
      expect(await optedOut(tx)).toBe(true);
      expect(await audit(tx)).toEqual(trail);
    }));

  it('the clinic’s staff turn texts off (a patient asks at the desk), and the trail says who', () =>
    rolledBack(t.db, async (tx) => {
      expect(await optedOut(tx)).toBe(false);
      expect(await as<number>(tx, ACTORS.recepA, SET(true), [ID.patientRecA])).toBe(1);
      expect(await optedOut(tx)).toBe(true);
      expect(await audit(tx)).toEqual([
        { kind: 'sms_opt_out', actor_id: U.recepA, actor_role: 'receptionist' },
      ]);
      // writing the same value again is no change and no trail
      expect(await as<number>(tx, ACTORS.recepA, SET(true), [ID.patientRecA])).toBe(1);
      expect(await audit(tx)).toHaveLength(1);
    }));

  it('the patient takes back their own STOP (their signed-in record), and the trail says so', () =>
    rolledBack(t.db, async (tx) => {
      await stopped(tx);
      expect(await as<number>(tx, ACTORS.patientA, SET(false), [ID.patientRecA])).toBe(1);
      expect(await optedOut(tx)).toBe(false);
      expect((await audit(tx)).at(-1)).toEqual({
        kind: 'sms_opt_in',
        actor_id: U.patientA,
        actor_role: null,
      });
    }));

  it('another clinic’s staff and another patient reach no row; anon has no right at all', () =>
    rolledBack(t.db, async (tx) => {
      await stopped(tx);
      expect(await as<number>(tx, ACTORS.ownerB, SET(false), [ID.patientRecA])).toBe(0);
      expect(await as<number>(tx, ACTORS.patientB, SET(false), [ID.patientRecA])).toBe(0);
      expect(await refused(tx, ACTORS.anon, SET(false), [ID.patientRecA])).toMatch(/^42501 /);
      expect(await optedOut(tx)).toBe(true);
    }));

  it('the service role may take a STOP back; an SMS STOP reply still opts out (logged without an actor)', () =>
    rolledBack(t.db, async (tx) => {
      await stopped(tx);
      expect(await as<number>(tx, ACTORS.service, SET(false), [ID.patientRecA])).toBe(1);
      expect(await optedOut(tx)).toBe(false);
      await as(tx, ACTORS.service, `select public.sms_inbound_apply($1, 'stop') as r`, [PHONES.patientA]);
      expect(await optedOut(tx)).toBe(true);
      expect((await audit(tx)).at(-1)).toEqual({ kind: 'sms_opt_out', actor_id: null, actor_role: null });
    }));
});
