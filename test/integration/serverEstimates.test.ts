/**
 * Wait estimates computed on the server (issue 16): with no staff screen storing anything, the local
 * stack's estimates job (LISTEN on queue changes → the `queue-estimates` edge function in real Deno →
 * the same QueueService/WaitEstimator a desk runs → store_queue_estimates) leaves fresh estimates for the
 * queue's new version after a check-in, and refreshes them when only time passes (periodic tick).
 * The database's clock is pinned (private.pinned_clock): the estimates count from it, at any hour.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { parityClinic } from './queueStackKit';

const KINDS: Kind[] = ['pglite', 'postgres'];
const WAIT = { timeout: 60_000, interval: 200 };
const FUNCTIONS = fileURLToPath(new URL('../../supabase/functions', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../supabase/config.toml', import.meta.url));

describe.each(KINDS)('estimates computed on the server on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind, {
      functionsDir: FUNCTIONS,
      configToml: CONFIG,
      estimatesDebounceMs: 50,
      estimatesIntervalMs: 250,
    });
    await app.db.query(
      `insert into private.pinned_clock (at) values (date_trunc('second', now()))
       on conflict (id) do update set at = excluded.at`,
    );
  }, 120_000);
  afterAll(async () => {
    await app?.db.query('delete from private.pinned_clock');
    await app?.stop();
  });

  const stored = async (clinicId: string) =>
    (
      await app.db.query<{ entry_id: string; queue_version: number; minutes: string; computed_at: Date }>(
        `select s.entry_id::text, s.queue_version, s.minutes::text, s.computed_at
           from public.queue_entry_estimates s where s.clinic_id = $1 order by s.minutes`,
        [clinicId],
      )
    ).rows;
  const version = async (clinicId: string) =>
    (
      await app.db.query<{ version: number }>('select version from public.queues where clinic_id = $1', [
        clinicId,
      ])
    ).rows[0]?.version;
  const pinned = async () =>
    (await app.db.query<{ at: Date }>('select private.now() as at')).rows[0]!.at.toISOString();

  it('a check-in with no desk open: a new estimate stored for the new version; time passing refreshes it', async () => {
    const c = await parityClinic(app, `server-est-${kind}`);
    // the desk that adds the walk-ins stores nothing (no estimates sink): whatever is stored, the server did
    for (const name of ['First Walkin', 'Second Walkin']) {
      const r = await c.service.addWalkIn(c.clinicId, { patientName: name });
      if (!r.ok) throw new Error(r.error.code);
    }
    const slot = new Date(Date.parse(await pinned()) + 10 * 60_000);
    const booked = await c.book('Booked Patient', slot);
    const v0 = await version(c.clinicId);
    await expect
      .poll(async () => (await stored(c.clinicId)).map((s) => s.queue_version), WAIT)
      .toEqual([v0, v0]);
    // the booked patient is not waiting yet: no estimate
    expect((await stored(c.clinicId)).some((s) => s.entry_id === booked)).toBe(false);

    // the patient is checked in by a plain RPC (as the kiosk does), not through a desk's QueueService
    const checkedIn = await c.client.rpc('check_in', { p_entry_id: booked });
    expect(checkedIn.error).toBeNull();
    const v1 = (checkedIn.data as { queue_version: number }).queue_version;
    expect(v1).toBeGreaterThan(v0!);
    await expect
      .poll(async () => (await stored(c.clinicId)).map((s) => s.queue_version), WAIT)
      .toEqual([v1, v1, v1]);
    const afterCheckIn = await stored(c.clinicId);
    expect(afterCheckIn.some((s) => s.entry_id === booked)).toBe(true);
    const at0 = await pinned();
    for (const s of afterCheckIn) expect(s.computed_at.toISOString()).toBe(at0);

    // only time passes (5 minutes on the database's clock): the periodic tick stores fresh figures for the
    // same version, counted from the new "now"
    await app.db.query(`update private.pinned_clock set at = at + interval '5 minutes'`);
    const at1 = await pinned();
    await expect
      .poll(async () => (await stored(c.clinicId)).map((s) => s.computed_at.toISOString()), WAIT)
      .toEqual([at1, at1, at1]);
    const refreshed = await stored(c.clinicId);
    expect(refreshed.map((s) => s.queue_version)).toEqual([v1, v1, v1]);
    expect(refreshed.map((s) => s.entry_id).sort()).toEqual(afterCheckIn.map((s) => s.entry_id).sort());
  }, 180_000);
});
