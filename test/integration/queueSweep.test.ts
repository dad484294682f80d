// Time-driven queue rules run on the server (issue 11): with every dashboard closed, the local stack's
// queue sweep (the same sweep_queues() pg_cron runs on Supabase) turns an absent patient into a no-show
// once their grace period is over, and ends the day by itself after closing time + 2 h, with its summary.
// The database's clock is pinned (private.pinned_clock), so the test passes at any hour.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { parityClinic } from './queueStackKit';

const KINDS: Kind[] = ['pglite', 'postgres'];
const WAIT = { timeout: 20_000, interval: 100 };

describe.each(KINDS)('the server sweeps the queue on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind, { queueSweepIntervalMs: 100 });
  });
  afterAll(async () => {
    await app?.db.query('delete from private.pinned_clock');
    await app?.stop();
  });

  it('absent → no_show after the grace period, and the day ends by itself after closing time, with no dashboard open', async () => {
    const c = await parityClinic(app, `sweep-${kind}`);
    const added = await c.service.addWalkIn(c.clinicId, { patientName: 'Absent Patient' });
    if (!added.ok) throw new Error(added.error.code);
    const entryId = added.value.events[0]?.entryId ?? '';
    const served = await c.service.addWalkIn(c.clinicId, { patientName: 'Served Patient' });
    if (!served.ok) throw new Error(served.error.code);
    for (const step of [
      () => c.service.callNext(c.clinicId, { practitionerId: c.practitionerId, room: 'Room 2' }),
      () => c.service.markAbsent(c.clinicId, { entryId }),
    ]) {
      const r = await step();
      if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
    }
    const status = async (id: string) =>
      (await app.db.query<{ status: string }>('select status from public.queue_entries where id = $1', [id]))
        .rows[0]?.status;
    expect(await status(entryId)).toBe('absent');

    // the dashboard is closed from here on: only the server's clock moves — to 1 minute past grace
    await app.db.query(
      `insert into private.pinned_clock (at)
       select grace_ends_at + interval '1 minute' from public.queue_entries where id = $1
       on conflict (id) do update set at = excluded.at`,
      [entryId],
    );
    await expect.poll(() => status(entryId), WAIT).toBe('no_show');
    const events = await app.db.query<{ type: string; actor_id: string | null }>(
      `select type, actor_id from public.queue_events where entry_id = $1 order by id desc limit 1`,
      [entryId],
    );
    expect(events.rows).toEqual([{ type: 'GraceExpired', actor_id: null }]);

    // past closing time + auto_end_day_after_closing_minutes (no hours set: 23:59 + 2 h) the day ends
    await app.db.query(
      `update private.pinned_clock set at = (select ((q.day + 1)::timestamp + time '02:30') at time zone c.time_zone
         from public.queues q join public.clinics c on c.id = q.clinic_id where q.clinic_id = $1)`,
      [c.clinicId],
    );
    const queue = async () =>
      (
        await app.db.query<{
          status: string;
          summary: { served: number; noShows: number; cancelled: number } | null;
        }>('select status, summary from public.queues where clinic_id = $1', [c.clinicId])
      ).rows[0];
    await expect.poll(async () => (await queue())?.status, WAIT).toBe('closed');
    // the domain's DaySummary (one format): nobody was seen, both patients are no-shows
    expect((await queue())?.summary).toMatchObject({ served: 0, noShows: 2, cancelled: 0 });
    const dayEnded = await app.db.query<{ n: number }>(
      `select count(*)::int as n from public.queue_events e join public.queues q on q.id = e.queue_id
        where q.clinic_id = $1 and e.type = 'DayEnded' and (e.payload ->> 'automatic')::boolean`,
      [c.clinicId],
    );
    expect(dayEnded.rows[0]?.n).toBe(1);
  });
});
