/**
 * Session 16 attack review, item 1 (20261214800001_running_late_no_op_and_cooldown.sql): a tracking link could bump
 * the clinic's queue version without limit through report_running_late / withdraw_running_late, and every bump made
 * the desks' next command a 409 QUEUE.VERSION_CONFLICT. Now a call that changes nothing writes nothing (no update,
 * no event, no bump), and a patient's report that changes something is refused with 429 RATE.LIMITED once the visit
 * had 3 of them in the window of 10 minutes that began with the first (staff and the service role are not limited;
 * an undo is free, so a patient can correct "20 min" to "45 min" at once). The database's clock is pinned to 10:00 of
 * the world's day; each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, TOKENS } from './helpers/world';
import { resetActor, type Actor } from './helpers/sql';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const REPORT = `select public.report_running_late(p_tracking_token => $1, p_minutes => $2) as r`;
const WITHDRAW = `select public.withdraw_running_late(p_tracking_token => $1) as r`;
const STAFF_REPORT = `select public.report_running_late(p_entry_id => $1, p_minutes => $2) as r`;

type Answer = { late: boolean; queue_version: number | null };

describe.each(DB_KINDS)('running-late spam on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const version = async (tx: DbTx) =>
    (await tx.query<{ v: number }>('select version as v from public.queues where id = $1', [ID.queueA]))
      .rows[0]!.v;
  const events = async (tx: DbTx) =>
    (
      await tx.query<{ n: number }>(
        `select count(*)::int as n from public.queue_events
          where entry_id = $1 and type in ('PatientRunningLate', 'PatientRunningLateWithdrawn')`,
        [ID.entryA],
      )
    ).rows[0]!.n;
  const report = (tx: DbTx, minutes: number | null, actor: Actor = ACTORS.anon) =>
    as<Answer>(tx, actor, REPORT, [TOKENS.trackingA, minutes]);
  const withdraw = (tx: DbTx) => as<Answer>(tx, ACTORS.anon, WITHDRAW, [TOKENS.trackingA]);
  const advance = (tx: DbTx, interval: string) =>
    tx.query(`update private.pinned_clock set at = at + $1::interval`, [interval]);

  it('runningLateNoOp: repeating the same report, or undoing with no note showing, writes nothing and bumps nothing', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const v0 = await version(tx);
      // nothing to undo: no bump (as before)
      expect((await withdraw(tx)).queue_version).toBeNull();
      const first = await report(tx, 15);
      expect(first.queue_version).toBe(v0 + 1);
      expect(await events(tx)).toBe(1);
      // the reviewer's 10 identical repeats: each answers "late", none moves the version or writes an event
      for (let i = 0; i < 10; i++) {
        await advance(tx, '1 minute');
        const again = await report(tx, 15);
        expect(again).toMatchObject({ late: true, queue_version: null });
      }
      expect(await version(tx)).toBe(v0 + 1);
      expect(await events(tx)).toBe(1);
      const { rows } = await tx.query<{ at: string }>(
        `select (running_late_at = (select at from private.pinned_clock) - interval '10 minutes') as at
           from public.queue_entries where id = $1`,
        [ID.entryA],
      );
      expect(rows[0]!.at).toBe(true); // the first report's time stands: the note's 15 minutes were not renewed
      // once the amount has passed, no note shows: an undo changes nothing …
      await advance(tx, '6 minutes');
      expect((await withdraw(tx)).queue_version).toBeNull();
      expect(await version(tx)).toBe(v0 + 1);
      // … and a new report is a change again
      expect((await report(tx, 15)).queue_version).toBe(v0 + 2);
    }));

  it('runningLateBudget: a patient corrects the note at once (undo, new amount); the 4th report in 10 minutes is RATE.LIMITED and changes nothing', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const v0 = await version(tx);
      expect((await report(tx, 20)).queue_version).toBe(v0 + 1);
      // the undo of a mis-tap and the right amount right after (the tracker's own flow)
      expect((await withdraw(tx)).queue_version).toBe(v0 + 2);
      expect((await report(tx, 45)).queue_version).toBe(v0 + 3);
      // a new amount is a change: the third report of the window
      await advance(tx, '1 minute');
      expect((await report(tx, 30)).queue_version).toBe(v0 + 4);
      // the reviewer's loop (report / withdraw): the fourth report in the window is refused before anything changes
      expect((await withdraw(tx)).queue_version).toBe(v0 + 5);
      expect(await refused(tx, ACTORS.anon, REPORT, [TOKENS.trackingA, 10])).toBe('PT429 RATE.LIMITED');
      // with nothing to undo the withdraws of the loop are no-ops
      expect((await withdraw(tx)).queue_version).toBeNull();
      expect(await version(tx)).toBe(v0 + 5);
      expect(await events(tx)).toBe(5);
      // the patient signed in (own app, by entry id) shares the visit's budget
      expect(
        await refused(
          tx,
          ACTORS.patientA,
          `select public.report_running_late(p_entry_id => $1, p_minutes => 20) as r`,
          [ID.entryA],
        ),
      ).toBe('PT429 RATE.LIMITED');
      // the window began with the first report: just before its 10 minutes, still refused; at them, a new window
      await advance(tx, '8 minutes 59 seconds');
      expect(await refused(tx, ACTORS.anon, REPORT, [TOKENS.trackingA, 20])).toBe('PT429 RATE.LIMITED');
      await advance(tx, '1 second');
      expect((await report(tx, 20)).queue_version).toBe(v0 + 6);
      const { rows } = await tx.query<{ m: number }>(
        'select running_late_minutes as m from public.queue_entries where id = $1',
        [ID.entryA],
      );
      expect(rows[0]!.m).toBe(20);
    }));

  it('runningLateBudget: 40 loop calls in one minute move the version at most 6 times (the review saw 40)', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const v0 = await version(tx);
      let limited = 0;
      for (let i = 0; i < 40; i++) {
        if (i % 2) await withdraw(tx);
        else {
          await tx.query('savepoint s');
          try {
            await report(tx, 10);
          } catch {
            await tx.query('rollback to savepoint s');
            await resetActor(tx);
            limited++;
          }
        }
        await advance(tx, '1.5 seconds');
      }
      expect(await version(tx)).toBeLessThanOrEqual(v0 + 6); // 3 reports + 3 undos
      expect(limited).toBe(17); // 20 reports tried, 3 in the budget
    }));

  it('runningLateBudget: the clinic’s staff and the service role are not limited; a forged link or another clinic is still refused', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const v0 = await version(tx);
      await report(tx, 10);
      for (const [i, m] of [20, 30, 40].entries()) {
        const r = await as<Answer>(tx, ACTORS.recepA, STAFF_REPORT, [ID.entryA, m]);
        expect(r.queue_version).toBe(v0 + 2 + i);
      }
      expect((await as<Answer>(tx, ACTORS.service, STAFF_REPORT, [ID.entryA, 50])).queue_version).toBe(
        v0 + 5,
      );
      // staff reports did not use the patient's budget: two more of the patient's own, then the fourth is refused
      expect((await report(tx, 60)).queue_version).toBe(v0 + 6);
      expect((await report(tx, 70)).queue_version).toBe(v0 + 7);
      expect(await refused(tx, ACTORS.anon, REPORT, [TOKENS.trackingA, 80])).toBe('PT429 RATE.LIMITED');
      expect(await refused(tx, ACTORS.anon, REPORT, ['forged-link', 10])).toMatch(/NOT_FOUND/);
      expect(await refused(tx, ACTORS.ownerB, STAFF_REPORT, [ID.entryA, 10])).toMatch(/NOT_FOUND/);
      expect(await refused(tx, ACTORS.patientB, STAFF_REPORT, [ID.entryA, 10])).toMatch(/NOT_FOUND/);
      expect(await version(tx)).toBe(v0 + 7);
    }));
});
