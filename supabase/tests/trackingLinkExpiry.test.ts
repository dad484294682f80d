/**
 * links17 (attack review item 1, 20261216300001_tracking_links_expire.sql): a visit's tracking link answered forever.
 * Now every RPC that reaches a visit by its token (get_visit_status, get_visit_live, get_tracker_view,
 * get_visit_running_late, report/withdraw_running_late by link, push_subscribe/unsubscribe by link) goes through one
 * check, private.require_open_tracking_link:
 *   E1 a finished visit (completed / cancelled / no-show) answers for 24 h after it ended, then 410
 *      VISIT.LINK_EXPIRED — nothing of the visit in the answer;
 *   E2 a visit not finished ends with its clinic day: its link answers until 24 h after the clinic's midnight
 *      after it, then 410;
 *   E3 an unknown or malformed token is still 404 NOT_FOUND; the visit's own patient and the clinic's staff still
 *      reach it by id (the link's expiry is not theirs).
 * The database's clock is pinned (private.pinned_clock) on the world's day; each case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, TOKENS } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const P256DH = `B${'x'.repeat(86)}`;
const AUTH = 'y'.repeat(22);
const EXPIRED = 'PT410 VISIT.LINK_EXPIRED';

/** Every patient-side call by link, as anon (the tracker opened from an SMS). */
const BY_LINK = [
  `select public.get_visit_status($1) as r`,
  `select public.get_visit_live($1) as r`,
  `select public.get_tracker_view($1) as r`,
  `select public.get_visit_running_late($1) as r`,
  `select public.report_running_late(p_tracking_token => $1, p_minutes => 20) as r`,
  `select public.withdraw_running_late(p_tracking_token => $1) as r`,
  `select public.push_subscribe(p_endpoint => 'https://push.example.com/send/1', p_p256dh => '${P256DH}',
     p_auth => '${AUTH}', p_tracking_token => $1) as r`,
  `select public.push_unsubscribe(p_tracking_token => $1) as r`,
];

describe.each(DB_KINDS)('tracking links expire on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** Pins the database's clock to hh:mm of the world's day + plusDays, on the clinic's wall clock. */
  const pinAt = (tx: DbTx, hhmm: string, plusDays = 0) =>
    tx.exec(`delete from private.pinned_clock;
      insert into private.pinned_clock (at)
        select ((day + ${plusDays}) + time '${hhmm}') at time zone 'Africa/Casablanca'
          from public.queues where id = '${ID.queueA}';`);
  const advance = (tx: DbTx, interval: string) =>
    tx.exec(`update private.pinned_clock set at = at + interval '${interval}'`);
  const view = (tx: DbTx) =>
    as<{ status: string; ticket: string }>(tx, ACTORS.anon, `select public.get_tracker_view($1) as r`, [
      TOKENS.trackingA,
    ]);
  /** Each by-link call's answer: 'ok' or the refusal. */
  const answers = async (tx: DbTx) => {
    const out: string[] = [];
    for (const sql of BY_LINK) {
      await tx.query('savepoint each_call');
      try {
        await as(tx, ACTORS.anon, sql, [TOKENS.trackingA]);
        out.push('ok');
      } catch {
        out.push('refused');
      } finally {
        await tx.query('rollback to savepoint each_call');
        await tx.exec('reset role');
      }
    }
    return out;
  };
  /** The visit's allowed moves to `status` (the guard refuses a jump), ending at the pinned clock. */
  const finish = async (tx: DbTx, status: 'completed' | 'cancelled' | 'no_show') => {
    const steps =
      status === 'completed'
        ? [
            `status = 'waiting', checked_in_at = private.now()`,
            `status = 'called', called_at = private.now()`,
            `status = 'in_service', started_at = private.now()`,
            `status = 'completed', finished_at = private.now()`,
          ]
        : status === 'cancelled'
          ? [`status = 'cancelled', cancelled_at = private.now()`]
          : [`status = 'no_show', no_show_at = private.now()`];
    for (const set of steps)
      await tx.query(`update public.queue_entries set ${set} where id = $1`, [ID.entryA]);
  };

  it('E1: a finished visit’s link answers for 24 h after it ended, then every call by link is 410 VISIT.LINK_EXPIRED', () =>
    rolledBack(t.db, async (tx) => {
      await pinAt(tx, '10:00');
      expect((await view(tx)).status).toBe('scheduled');
      for (const status of ['completed', 'cancelled', 'no_show'] as const) {
        await tx.query('savepoint one_status');
        await pinAt(tx, '10:30');
        await finish(tx, status);
        await advance(tx, '23 hours 59 minutes');
        expect((await view(tx)).status).toBe(status); // the evening after: "done" still shows
        await advance(tx, '1 minute');
        for (const sql of BY_LINK)
          expect(await refused(tx, ACTORS.anon, sql, [TOKENS.trackingA]), `${status}: ${sql}`).toBe(EXPIRED);
        // a signed-in caller holding the link gets no more than anon
        expect(
          await refused(tx, ACTORS.patientB, `select public.get_tracker_view($1) as r`, [TOKENS.trackingA]),
        ).toBe(EXPIRED);
        await tx.query('rollback to savepoint one_status');
      }
    }));

  it('E2: an unfinished visit ends with its clinic day: its link answers until 24 h after that midnight, then 410', () =>
    rolledBack(t.db, async (tx) => {
      await pinAt(tx, '23:59');
      expect((await view(tx)).status).toBe('scheduled');
      await pinAt(tx, '23:59', 1); // its day passed, never closed: the day after still answers
      expect(await answers(tx)).toEqual(BY_LINK.map(() => 'ok'));
      await pinAt(tx, '00:00', 2);
      expect(await answers(tx)).toEqual(BY_LINK.map(() => 'refused'));
      for (const sql of BY_LINK)
        expect(await refused(tx, ACTORS.anon, sql, [TOKENS.trackingA])).toBe(EXPIRED);
      // a week later, the same
      await advance(tx, '7 days');
      expect(await refused(tx, ACTORS.anon, BY_LINK[2]!, [TOKENS.trackingA])).toBe(EXPIRED);
    }));

  it('E3: unknown and malformed tokens stay 404; the patient and the staff still reach the visit by id', () =>
    rolledBack(t.db, async (tx) => {
      await pinAt(tx, '10:00', 3);
      for (const token of ['no-such-token', 'x'.repeat(201)])
        expect(await refused(tx, ACTORS.anon, `select public.get_tracker_view($1) as r`, [token])).toMatch(
          /^PT404 /,
        );
      expect(await refused(tx, ACTORS.anon, BY_LINK[2]!, [TOKENS.trackingA])).toBe(EXPIRED);
      // the patient's own visit list and the clinic's staff are not governed by the link
      const mine = await as<unknown>(tx, ACTORS.patientA, `select public.get_my_visits() as r`);
      expect(JSON.stringify(mine)).toContain(ID.entryA);
      const staffNote = await as<{ late: boolean }>(
        tx,
        ACTORS.recepA,
        `select public.withdraw_running_late(p_entry_id => $1) as r`,
        [ID.entryA],
      );
      expect(staffNote.late).toBe(false);
    }));
});
