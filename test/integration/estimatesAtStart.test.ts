/**
 * The local stack's estimates tick runs once when the stack starts (dash24), not first a tick later: the queues a
 * restart finds open get their estimates at once. Before, a tracker opened in the stack's first minute showed "not
 * known yet", and the first tick's store — the first estimates of that version, which touches the queue row — made
 * every open tracker read its status again (bench:web counted that read as a second status request on load).
 * A queue with waiting patients and no estimates (its desk stores none) is left by one stack; a second stack
 * started on the same database, its tick an hour away and no change to wake it, stores their estimates.
 * The database's clock is pinned (private.pinned_clock): the estimates count from it, at any hour.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureStack } from '../fixtures/localStack';
import type { Stack } from '../../supabase/local/stack';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { parityClinic } from './queueStackKit';

const KINDS: Kind[] = ['pglite'];
const WAIT = { timeout: 60_000, interval: 200 };
const FUNCTIONS = fileURLToPath(new URL('../../supabase/functions', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../supabase/config.toml', import.meta.url));

describe.each(KINDS)('estimates stored when the stack starts, on %s', (kind) => {
  let app: AppStack;
  let restarted: Stack | null = null;
  beforeAll(async () => {
    // the first stack: no estimates job at all
    app = await startAppStack(kind);
    await app.db.query(
      `insert into private.pinned_clock (at) values (date_trunc('second', now()))
       on conflict (id) do update set at = excluded.at`,
    );
  }, 120_000);
  afterAll(async () => {
    await restarted?.stop();
    await app?.db.query('delete from private.pinned_clock');
    await app?.stop();
  });

  const stored = async (clinicId: string) =>
    (
      await app.db.query<{ queue_version: number }>(
        'select s.queue_version from public.queue_entry_estimates s where s.clinic_id = $1',
        [clinicId],
      )
    ).rows.map((r) => r.queue_version);

  it('a queue left without estimates gets them from the start, not a tick later', async () => {
    const c = await parityClinic(app, `est-start-${kind}`);
    for (const name of ['First Walkin', 'Second Walkin']) {
      const r = await c.service.addWalkIn(c.clinicId, { patientName: name });
      if (!r.ok) throw new Error(r.error.code);
    }
    const { rows } = await app.db.query<{ version: number }>(
      'select version from public.queues where clinic_id = $1',
      [c.clinicId],
    );
    const version = rows[0]!.version;
    expect(await stored(c.clinicId)).toEqual([]); // nobody stored any: the desk has no estimates sink

    // the "restart": the tick an hour away, no debounce (no queue change wakes it)
    restarted = await startFixtureStack(app.db, {
      functionsDir: FUNCTIONS,
      configToml: CONFIG,
      estimatesIntervalMs: 3_600_000,
    });
    await expect.poll(() => stored(c.clinicId), WAIT).toEqual([version, version]);
  }, 180_000);
});
