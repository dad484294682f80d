/**
 * trk22 (issue 14), on PGlite and PostgreSQL: the tracker's one read carries its running-late note —
 * get_tracker_view answers `late_note` = get_visit_running_late's note (20261222970001), so a queue change costs a
 * phone one request instead of two. Same link rules as before: a forged or unknown link is 404, never a note.
 * Every call is rolled back.
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { ACTORS, ID, TOKENS } from './helpers/world';
import { mustSucceed, rpcAs, useWorldDb } from './helpers/worldDb';

type Note = { minutes: number | null; reported_at: string; until: string | null } | null;

describe.each(DB_KINDS)('trackerLateNote on %s', (kind) => {
  const t = useWorldDb(kind);
  const both = async (setup = '') => {
    const view = mustSucceed(
      await rpcAs<{ late_note?: Note; status: string }>(
        t.db,
        ACTORS.anon,
        'get_tracker_view',
        { p_tracking_token: TOKENS.trackingA },
        { setup },
      ),
    ).r;
    const late = mustSucceed(
      await rpcAs<{ note: Note }>(
        t.db,
        ACTORS.anon,
        'get_visit_running_late',
        { p_tracking_token: TOKENS.trackingA },
        { setup },
      ),
    ).r;
    return { view, late };
  };
  const waiting = `update public.queue_entries set status = 'waiting', checked_in_at = private.now() where id = '${ID.entryA}';`;

  it('trackerLateNote: no note in force answers late_note null (the key is there: one request suffices)', async () => {
    const { view, late } = await both(waiting);
    expect(view).toHaveProperty('late_note', null);
    expect(late.note).toBeNull();
  });

  it('trackerLateNote: a note in force comes with the view, the same as get_visit_running_late says', async () => {
    const { view, late } = await both(
      waiting +
        `update public.queue_entries set running_late_at = private.now(), running_late_minutes = 20 where id = '${ID.entryA}';`,
    );
    // (two calls, each at its own private.now(): the same note, its instants apart by the calls' gap)
    for (const note of [late.note, view.late_note]) {
      expect(note?.minutes).toBe(20);
      expect(Date.parse(note!.until!) - Date.parse(note!.reported_at)).toBe(20 * 60_000);
    }
    expect(Object.keys(view.late_note ?? {}).sort()).toEqual(Object.keys(late.note ?? {}).sort());
  });

  it('trackerLateNote: a forged link is still 404, never a note', async () => {
    const o = await rpcAs(t.db, ACTORS.anon, 'get_tracker_view', { p_tracking_token: `x' or 1=1 --` });
    expect(o.ok ? 'ok' : o.code + ' ' + o.message).toBe('PT404 NOT_FOUND');
  });
});
