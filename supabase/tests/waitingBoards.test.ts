/**
 * The board pushed with the change (issue 14, 20261202400002_waiting_boards.sql): at commit of every
 * transaction that touched a clinic's queue row, public.waiting_boards holds that clinic's board exactly as
 * get_waiting_board answers it — the row the realtime event carries to the waiting-room screen, so the
 * screen never refetches per change. On PGlite and PostgreSQL; the clock is pinned to noon of the world's day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { ID, createWorld } from './helpers/world';

interface BoardRow {
  day: string;
  version: number;
  day_status: string;
  now_serving: unknown;
  next: unknown;
}

describe.each(DB_KINDS)('waiting_boards on %s', (kind) => {
  let t: TestDb;
  /** The clinic's board row of the day get_waiting_board shows (today). */
  const board = async (clinicId: string) =>
    (
      await t.db.query<BoardRow>(
        `select b.day::text as day, b.version, b.day_status::text as day_status, b.now_serving, b.next
         from public.waiting_boards b join public.clinics c on c.id = b.clinic_id
         where b.clinic_id = $1 and b.day = private.clinic_today(c.time_zone)`,
        [clinicId],
      )
    ).rows[0];
  const answer = async (clinicId: string) =>
    (
      await t.db.query<{ b: { day: string; version: number; now_serving: unknown; next: unknown } }>(
        `select public.get_waiting_board($1) as b`,
        [clinicId],
      )
    ).rows[0]!.b;

  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
    await t.db.query(
      `insert into private.pinned_clock (at)
       values ((private.clinic_today('Africa/Casablanca') + time '12:00') at time zone 'Africa/Casablanca')`,
    );
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("holds each clinic's board as get_waiting_board answers it, from the start", async () => {
    for (const clinic of [ID.clinicA, ID.clinicB]) {
      const row = await board(clinic);
      const b = await answer(clinic);
      expect(row).toMatchObject({ day: b.day, version: b.version, day_status: 'open' });
      expect(row?.now_serving).toEqual(b.now_serving);
      expect(row?.next).toEqual(b.next);
    }
  });

  it('follows a queue step at its commit (entries written after the version bump included); a rolled-back step leaves it', async () => {
    const before = await board(ID.clinicA);
    const waiting = await t.db.query<{ id: string }>(
      `select id from public.queue_entries where queue_id = $1 and status = 'waiting' order by order_key limit 1`,
      [ID.queueA],
    );
    const entry = waiting.rows[0]?.id;
    expect(entry).toBeTruthy();
    // a failing step: nothing changes
    await t.db
      .transaction(async (tx) => {
        await tx.query(`update public.queues set version = version + 1 where id = $1`, [ID.queueA]);
        await tx.query(
          `update public.queue_entries set status = 'called', called_at = private.now() where id = $1`,
          [entry],
        );
        throw new Error('rollback');
      })
      .catch(() => {});
    expect(await board(ID.clinicA)).toEqual(before);
    // the version first, the entry after it, in one transaction (as a step may write them): the row sees both
    await t.db.transaction(async (tx) => {
      await tx.query(`update public.queues set version = version + 1 where id = $1`, [ID.queueA]);
      await tx.query(
        `update public.queue_entries set status = 'called', called_at = private.now(), called_room = 'R9' where id = $1`,
        [entry],
      );
    });
    const after = await board(ID.clinicA);
    const b = await answer(ID.clinicA);
    expect(after?.version).toBe(before!.version + 1);
    expect(after?.now_serving).toEqual(b.now_serving);
    expect(after?.next).toEqual(b.next);
    expect(JSON.stringify(after?.now_serving)).toContain('R9');
    expect(after?.now_serving).not.toEqual(before?.now_serving);
    // the other clinic's board is untouched
    expect((await board(ID.clinicB))?.version).toBe((await answer(ID.clinicB)).version);
  });

  it("carries a pause, closed intake and the next tickets' rooms like get_waiting_board (issue 17 on the pushed board)", async () => {
    await t.db.query(
      `update public.queues set paused_practitioner_ids = array['${ID.memberPractA}']::uuid[],
              intake_closed_at = private.now(), version = version + 1 where id = $1`,
      [ID.queueA],
    );
    const pushed = (
      await t.db.query<{ paused_rooms: unknown; intake_closed: boolean; next: unknown }>(
        `select paused_rooms, intake_closed, next from public.waiting_boards where queue_id = $1`,
        [ID.queueA],
      )
    ).rows[0];
    const b = (await answer(ID.clinicA)) as unknown as {
      paused_rooms: unknown;
      intake_closed: boolean;
      next: unknown;
    };
    expect(pushed?.paused_rooms).toEqual(['2']);
    expect(pushed?.intake_closed).toBe(true);
    expect(pushed?.paused_rooms).toEqual(b.paused_rooms);
    expect(pushed?.intake_closed).toBe(b.intake_closed);
    expect(pushed?.next).toEqual(b.next);
    await t.db.query(
      `update public.queues set paused_practitioner_ids = '{}', intake_closed_at = null, version = version + 1
        where id = $1`,
      [ID.queueA],
    );
    const reopened = (
      await t.db.query<{ paused_rooms: unknown; intake_closed: boolean }>(
        `select paused_rooms, intake_closed from public.waiting_boards where queue_id = $1`,
        [ID.queueA],
      )
    ).rows[0];
    expect(reopened).toEqual({ paused_rooms: [], intake_closed: false });
  });

  it('says when the day is closed; an earlier day changing later never replaces the current board', async () => {
    await t.db.query(
      `update public.queues set status = 'closed', closed_at = private.now(), version = version + 1 where id = $1`,
      [ID.queueA],
    );
    const closed = await board(ID.clinicA);
    expect(closed?.day_status).toBe('closed');
    expect(closed?.version).toBe((await answer(ID.clinicA)).version);
    // another day's queue of clinic A changes (tomorrow's booking, yesterday's sweep): its own row, today's stays
    await t.db.query(
      `insert into public.queues (clinic_id, day, version) values ($1, private.clinic_today('Africa/Casablanca') - 1, 5)`,
      [ID.clinicA],
    );
    await t.db.query(
      `update public.queues set version = version + 1 where clinic_id = $1 and day > private.clinic_today('Africa/Casablanca')`,
      [ID.clinicA],
    );
    const days = await t.db.query<{ day: string; version: number }>(
      `select (b.day - private.clinic_today('Africa/Casablanca'))::int as day, b.version
       from public.waiting_boards b where b.clinic_id = $1 order by b.day`,
      [ID.clinicA],
    );
    expect(days.rows.map((r) => r.day)).toEqual([-1, 0, 1]);
    expect(days.rows[0]?.version).toBe(5);
    expect(await board(ID.clinicA)).toEqual(closed);
  });
});
