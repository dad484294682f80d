/**
 * Issue 15.16: "I'm running late" by how much, undo, and how long the note lasts — decided by the database
 * (its pinnable clock): while the visit waits, until the amount has passed, on its own open day.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from './helpers/testDb';
import { failure, rpc } from './helpers/sql';
import { ACTORS, ID, TOKENS, createWorld } from './helpers/world';
import { pinWorldDaySql } from './helpers/pinnedWorld';

describe('running late: amount, undo, lifetime (pglite)', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb('pglite');
    await createWorld(t.db);
    await pinMorning();
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** A state the queue's own steps would reach (set as the database owner, past the transition guard). */
  const force = (sql: string, params: unknown[]) =>
    t.db.transaction(async (tx) => {
      await tx.exec('set local session_replication_role = replica');
      await tx.query(sql, params);
    });
  const note = async () =>
    (
      await rpc<{ note: { minutes: number | null; until: string | null } | null }>(
        t.db,
        ACTORS.anon,
        'get_visit_running_late',
        { p_tracking_token: TOKENS.trackingA },
      )
    ).note;
  /** 10:00 on the world's day in the clinic — never the machine's clock, whose +20 minutes may be tomorrow. */
  const pinMorning = () => t.db.exec(pinWorldDaySql('10:00'));
  const advance = (interval: string) =>
    t.db.exec(`update private.pinned_clock set at = at + interval '${interval}'`);
  // each case starts with a fresh budget of a patient's reports (20261214800001: 3 per 10 min; runningLateSpam.test)
  beforeEach(() => t.db.exec('delete from private.running_late_reports'));

  it('the amount is stored and read back until it has passed; then the note is gone', async () => {
    await pinMorning();
    const r = await rpc<{ minutes: number; note: { minutes: number; until: string } }>(
      t.db,
      ACTORS.anon,
      'report_running_late',
      { p_tracking_token: TOKENS.trackingA, p_minutes: 20 },
    );
    expect(r.minutes).toBe(20);
    const { rows } = await t.db.query<{ at: string; until: string }>(
      `select (select at from private.pinned_clock)::text as at,
              ((select at from private.pinned_clock) + interval '20 minutes')::text as until`,
    );
    expect(await note()).toMatchObject({ minutes: 20 });
    expect(new Date((await note())!.until!).getTime()).toBe(new Date(rows[0]!.until).getTime());
    const ev = await t.db.query<{ payload: Record<string, unknown> }>(
      `select payload from public.queue_events where entry_id = $1 and type = 'PatientRunningLate' order by id desc limit 1`,
      [ID.entryA],
    );
    expect(ev.rows[0]!.payload).toMatchObject({ minutes: 20, source: 'tracking_link' });
    // 19 minutes later: still late; 20 minutes later: over
    await advance('19 minutes');
    expect(await note()).toMatchObject({ minutes: 20 });
    await advance('1 minute');
    expect(await note()).toBeNull();
    await pinMorning();
  });

  it('undo removes the note (twice is not an error); a new amount replaces the old one', async () => {
    await rpc(t.db, ACTORS.anon, 'report_running_late', {
      p_tracking_token: TOKENS.trackingA,
      p_minutes: 10,
    });
    await rpc(t.db, ACTORS.anon, 'report_running_late', {
      p_tracking_token: TOKENS.trackingA,
      p_minutes: 30,
    });
    expect(await note()).toMatchObject({ minutes: 30 });
    const w = await rpc<{ late: boolean }>(t.db, ACTORS.anon, 'withdraw_running_late', {
      p_tracking_token: TOKENS.trackingA,
    });
    expect(w.late).toBe(false);
    expect(await note()).toBeNull();
    const { rows } = await t.db.query<{
      running_late_at: string | null;
      running_late_minutes: number | null;
    }>('select running_late_at, running_late_minutes from public.queue_entries where id = $1', [ID.entryA]);
    expect(rows).toEqual([{ running_late_at: null, running_late_minutes: null }]);
    expect(
      (
        await rpc<{ late: boolean }>(t.db, ACTORS.anon, 'withdraw_running_late', {
          p_tracking_token: TOKENS.trackingA,
        })
      ).late,
    ).toBe(false);
  });

  it('cleared once the patient is called, and at the end of the day', async () => {
    await rpc(t.db, ACTORS.anon, 'report_running_late', {
      p_tracking_token: TOKENS.trackingA,
      p_minutes: 60,
    });
    expect(await note()).not.toBeNull();
    await force(`update public.queue_entries set status = 'called', called_at = now() where id = $1`, [
      ID.entryA,
    ]);
    expect(await note()).toBeNull();
    await force(`update public.queue_entries set status = 'scheduled', called_at = null where id = $1`, [
      ID.entryA,
    ]);
    expect(await note()).not.toBeNull();
    await force(`update public.queues set status = 'closed', closed_at = now() where id = $1`, [ID.queueA]);
    expect(await note()).toBeNull();
    await force(`update public.queues set status = 'open', closed_at = null where id = $1`, [ID.queueA]);
    // no amount given (the SMS keyword, older clients): until called or the day ends
    await rpc(t.db, ACTORS.anon, 'report_running_late', { p_tracking_token: TOKENS.trackingA });
    expect(await note()).toMatchObject({ minutes: null, until: null });
  });

  it('a bad amount or a forged link: a coded error and nothing written', async () => {
    for (const m of [0, 4, 181, -10]) {
      const e = await failure(
        rpc(t.db, ACTORS.anon, 'report_running_late', { p_tracking_token: TOKENS.trackingA, p_minutes: m }),
      );
      expect(`${e.code} ${e.message}`).toMatch(/VALIDATION\.FAILED/);
    }
    for (const fn of ['report_running_late', 'withdraw_running_late', 'get_visit_running_late']) {
      const e = await failure(rpc(t.db, ACTORS.anon, fn, { p_tracking_token: 'forged' }));
      expect(e.message).toMatch(/NOT_FOUND/);
    }
  });
});
