/**
 * names27 (mreview26 F7, 20261227100002_sms_start_takes_back_stop.sql): an SMS START (UNSTOP, DÉMARRER, ابدأ) takes
 * back the patient's SMS STOP — public.sms_inbound_apply(p_from, 'start', p_to) clears sms_opt_out on exactly the
 * records STOP sets (this phone, in the clinics of the number written to), audited 'sms_opt_in' without an actor.
 * Before, the intent was refused (422) and no path but the service role's PATCH could take a STOP back.
 * Service role only: anon, a patient, the clinic's own staff and another clinic's staff cannot call it.
 * Each case runs in a transaction that is rolled back; nothing here depends on the time of day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, PHONES } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const APPLY = `select public.sms_inbound_apply($1, $2, $3) as r`;
const OWN_NUMBER = '+212522000111';
const SHARED = '+212500000999';

interface Applied {
  intent: string;
  applied: boolean;
  reason: string | null;
  language: string | null;
  opted_in?: number;
  opted_out?: number;
}

describe.each(DB_KINDS)('an SMS START takes back an SMS STOP on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  // patient A's phone has a record in clinic A (patientRecA) and one in clinic B (walkInB); patient B's in clinic A
  const flags = async (tx: DbTx) =>
    Object.fromEntries(
      (
        await tx.query<{ id: string; sms_opt_out: boolean }>(
          'select id, sms_opt_out from public.patients where id = any($1) order by id',
          [[ID.patientRecA, ID.walkInB, ID.patientRecB]],
        )
      ).rows.map((r) => [r.id, r.sms_opt_out]),
    );
  const optInTrail = async (tx: DbTx) =>
    (
      await tx.query<{ patient_id: string; actor_id: string | null; clinic_id: string }>(
        `select patient_id, actor_id, clinic_id from public.audit_log where kind = 'sms_opt_in' order by id`,
      )
    ).rows;
  const stopEverything = (tx: DbTx) =>
    tx.query('update public.patients set sms_opt_out = true where id = any($1)', [
      [ID.patientRecA, ID.walkInB, ID.patientRecB],
    ]);

  it('START to a clinic’s own number clears that clinic’s record of this phone only, audited without an actor', () =>
    rolledBack(t.db, async (tx) => {
      await tx.query('update public.clinics set sms_sender = $2, sms_sender_approved = $2 where id = $1', [
        ID.clinicA,
        OWN_NUMBER,
      ]);
      await stopEverything(tx);
      const r = await as<Applied>(tx, ACTORS.service, APPLY, [PHONES.patientA, 'start', OWN_NUMBER]);
      expect(r).toMatchObject({ intent: 'start', applied: true, reason: null, opted_in: 1 });
      expect(r.language).not.toBeNull();
      expect(await flags(tx)).toEqual({
        [ID.patientRecA]: false, // clinic A, this phone
        [ID.patientRecB]: true, // clinic A, another phone
        [ID.walkInB]: true, // this phone, clinic B (not written to)
      });
      expect(await optInTrail(tx)).toEqual([
        { patient_id: ID.patientRecA, actor_id: null, clinic_id: ID.clinicA },
      ]);
      // a second START changes nothing and writes no trail
      const again = await as<Applied>(tx, ACTORS.service, APPLY, [PHONES.patientA, 'start', OWN_NUMBER]);
      expect(again).toMatchObject({ applied: false, opted_in: 0 });
      expect(await optInTrail(tx)).toHaveLength(1);
    }));

  it('START to the shared sender mirrors STOP to it: every clinic without an own number, this phone only', () =>
    rolledBack(t.db, async (tx) => {
      const stop = await as<Applied>(tx, ACTORS.service, APPLY, [PHONES.patientA, 'stop', SHARED]);
      expect(stop.opted_out).toBe(2);
      expect(await flags(tx)).toEqual({
        [ID.patientRecA]: true,
        [ID.patientRecB]: false,
        [ID.walkInB]: true,
      });
      const start = await as<Applied>(tx, ACTORS.service, APPLY, [PHONES.patientA, 'start', SHARED]);
      expect(start).toMatchObject({ applied: true, opted_in: 2 });
      expect(await flags(tx)).toEqual({
        [ID.patientRecA]: false,
        [ID.patientRecB]: false,
        [ID.walkInB]: false,
      });
    }));

  it('an unknown phone: nothing changed, reason unknown_sender', () =>
    rolledBack(t.db, async (tx) => {
      await stopEverything(tx);
      const r = await as<Applied>(tx, ACTORS.service, APPLY, ['+212699999999', 'start', SHARED]);
      expect(r).toMatchObject({ applied: false, reason: 'unknown_sender', opted_in: 0 });
      expect(Object.values(await flags(tx))).toEqual([true, true, true]);
    }));

  it('anon, the patient, the clinic’s staff and another clinic’s staff cannot call it; nothing changes', () =>
    rolledBack(t.db, async (tx) => {
      await stopEverything(tx);
      for (const actor of [ACTORS.anon, ACTORS.patientA, ACTORS.recepA, ACTORS.ownerA, ACTORS.ownerB])
        expect(await refused(tx, actor, APPLY, [PHONES.patientA, 'start', SHARED]), actor.name).toMatch(
          /^42501 /,
        );
      expect(Object.values(await flags(tx))).toEqual([true, true, true]);
      expect(await optInTrail(tx)).toEqual([]);
    }));

  it('forged input is refused with a coded error: a sender or a number written to that is not E.164', () =>
    rolledBack(t.db, async (tx) => {
      expect(await refused(tx, ACTORS.service, APPLY, ['0600000001', 'start', SHARED])).toBe(
        'PT422 VALIDATION.FAILED',
      );
      expect(await refused(tx, ACTORS.service, APPLY, [PHONES.patientA, 'start', 'QueueMed'])).toBe(
        'PT422 VALIDATION.FAILED',
      );
    }));
});
