// Issue 12, exactly-once: a queue step whose answer is lost on the way back (the connection drops after the
// database committed) is still the command's success — QueueService asks the database whether its command
// id was applied instead of reporting a failure the desk would retry or give up on. And the storm bench's
// invariant check (supabase/local/stormInvariants.ts) counts by command id: the automatic grace expiry that
// get_queue performs moves the version without any command (what made main's PGlite storm report "version
// +997 vs 994 successes"), while a command applied but answered as a failure is reported.
// Real supabase-js against the local stack; the database's clock is pinned (private.pinned_clock).
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueBusEvents } from '../../src/services/queue/api/bus';
import { QueueService } from '../../src/services/queue/QueueService';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { createEventBus } from '../../src/services/shared/EventBus';
import { isOutcomeUnknown } from '../../src/services/shared/AppError';
import { QueueAggregate } from '../../src/services/queue/api';
import { checkStormInvariants, stormMark } from '../../supabase/local/stormInvariants';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { parityClinic } from './queueStackKit';

const KINDS: Kind[] = ['postgres', 'pglite'];

/**
 * A signed-in client whose next save_queue_step loses its answer: 'after' sends it and drops the response
 * once the server answered (the step committed), 'before' fails before sending (nothing reached the server).
 */
function lossyClient(app: AppStack, token: string) {
  let drop: 'after' | 'before' | null = null;
  let dropped = 0;
  const lossyFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (drop !== null && url.includes('/rest/v1/rpc/save_queue_step')) {
      const when = drop;
      drop = null;
      dropped++;
      if (when === 'before') throw new TypeError('fetch failed');
      const res = await fetch(input, init);
      await res.text();
      throw new TypeError('fetch failed');
    }
    return fetch(input, init);
  };
  const client: SupabaseClient = createClient(app.stack.url, app.stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
    accessToken: async () => token,
    global: { fetch: lossyFetch },
  });
  return {
    client,
    arm: (when: 'after' | 'before') => {
      drop = when;
    },
    dropped: () => dropped,
  };
}

describe.each(KINDS)('exactly-once answers on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind);
  });
  afterAll(async () => {
    await app?.db.query('delete from private.pinned_clock');
    await app?.stop();
  });

  const calls = async (commandId: string) =>
    (
      await app.db.query<{ n: number }>(
        `select count(*)::int as n from public.queue_events where correlation_id = $1 and type = 'PatientCalled'`,
        [commandId],
      )
    ).rows[0]?.n;

  it('a call next whose answer is lost after the commit answers as applied (replayed), one patient called', async () => {
    const c = await parityClinic(app, `lost-after-${kind}`);
    for (const name of ['Lost One', 'Lost Two']) {
      const r = await c.service.addWalkIn(c.clinicId, { patientName: name });
      if (!r.ok) throw new Error(r.error.code);
    }
    const lossy = lossyClient(app, c.token);
    const desk = new QueueService({
      repo: new SupabaseQueueRepository(lossy.client),
      bus: createEventBus<QueueBusEvents>(),
      actor: () => c.userId,
    });
    const commandId = globalThis.crypto.randomUUID();
    lossy.arm('after');
    const r = await desk.callNext(
      c.clinicId,
      { practitionerId: c.practitionerId, room: 'Room 2' },
      { commandId },
    );
    expect(lossy.dropped()).toBe(1);
    // before the fix: { ok: false, code INTERNAL } although the patient was called
    expect(r.ok ? { ok: true, replayed: r.value.replayed } : { ok: false, code: r.error.code }).toEqual({
      ok: true,
      replayed: true,
    });
    if (r.ok) expect(r.value.view.entries.filter((e) => e.status === 'called')).toHaveLength(1);
    expect(await calls(commandId)).toBe(1);
    const called = await app.db.query(
      `select 1 from public.queue_entries e join public.queues q on q.id = e.queue_id
        where q.clinic_id = $1 and e.status = 'called'`,
      [c.clinicId],
    );
    expect(called.rows).toHaveLength(1);
  });

  it('a call next whose request is lost before it reached the server is sent again and applied once', async () => {
    const c = await parityClinic(app, `lost-before-${kind}`);
    const added = await c.service.addWalkIn(c.clinicId, { patientName: 'Never Sent' });
    if (!added.ok) throw new Error(added.error.code);
    const lossy = lossyClient(app, c.token);
    const desk = new QueueService({
      repo: new SupabaseQueueRepository(lossy.client),
      bus: createEventBus<QueueBusEvents>(),
      actor: () => c.userId,
    });
    const commandId = globalThis.crypto.randomUUID();
    lossy.arm('before');
    const r = await desk.callNext(
      c.clinicId,
      { practitionerId: c.practitionerId, room: 'Room 2' },
      { commandId },
    );
    expect(lossy.dropped()).toBe(1);
    expect(
      r.ok ? { ok: true, replayed: r.value.replayed ?? false } : { ok: false, code: r.error.code },
    ).toEqual({
      ok: true,
      replayed: false,
    });
    if (r.ok) expect(r.value.attempts).toBe(2);
    expect(await calls(commandId)).toBe(1);
  });

  it('the storm check counts automatic grace expiry as a version of its own, and reports a command applied but answered as a failure', async () => {
    const c = await parityClinic(app, `ledger-${kind}`);
    const first = await c.service.addWalkIn(c.clinicId, { patientName: 'Ledger Zero' });
    if (!first.ok) throw new Error(first.error.code);
    const queueId = first.value.view.queue.id;
    const read = async (path: string): Promise<unknown> => {
      const res = await fetch(`${app.stack.url}/rest/v1/${path}`, {
        headers: { apikey: app.stack.serviceKey, authorization: `Bearer ${app.stack.serviceKey}` },
      });
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return res.json();
    };
    const mark = await stormMark(read, queueId);
    const acknowledged = new Set<string>();
    const failed = new Set<string>();
    const run = async (f: (o: { commandId: string }) => ReturnType<QueueService['callNext']>) => {
      const commandId = globalThis.crypto.randomUUID();
      const r = await f({ commandId });
      if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
      acknowledged.add(commandId);
      return r.value;
    };
    await run((o) => c.service.addWalkIn(c.clinicId, { patientName: 'Ledger One' }, o));
    const called = await run((o) =>
      c.service.callNext(c.clinicId, { practitionerId: c.practitionerId, room: 'Room 2' }, o),
    );
    const entryId = called.events.find((e) => e.type === 'PatientCalled')?.entryId ?? '';
    await run((o) => c.service.markAbsent(c.clinicId, { entryId }, o));

    // the server's clock passes the grace; the next read (get_queue) expires it: a version with no command
    await app.db.query(
      `insert into private.pinned_clock (at)
       select grace_ends_at + interval '1 minute' from public.queue_entries where id = $1
       on conflict (id) do update set at = excluded.at`,
      [entryId],
    );
    const after = await c.service.status(c.clinicId);
    if (!after.ok) throw new Error(after.error.code);
    expect(after.value.entries.find((e) => e.id === entryId)?.status ?? 'no_show').toBe('no_show');

    const clean = await checkStormInvariants(read, queueId, mark, { acknowledged, failed });
    // 3 acknowledged commands, 4 versions: the old check ("version grew by the successes") failed here
    expect(clean.version - mark.version).toBe(4);
    expect({
      violations: clean.violations,
      applied: clean.appliedCommands,
      automatic: clean.automaticSteps,
    }).toEqual({ violations: [], applied: 3, automatic: 1 });

    // a save that committed while its client was told it failed is what exactly-once forbids: reported
    // (a client without the lost-answer check: the repository's error is its answer)
    const lossy = lossyClient(app, c.token);
    const rawRepo = new SupabaseQueueRepository(lossy.client);
    const loaded = await rawRepo.load(c.clinicId, null, null, { kind: 'active', entryIds: [] });
    if (!loaded.ok) throw new Error(loaded.error.code);
    const agg = QueueAggregate.load(loaded.value.snapshot);
    const [patient] = await app.addPatients(c.clinicId, ['Ledger Two']);
    if (!patient) throw new Error('no patient');
    const commandId = globalThis.crypto.randomUUID();
    // as QueueService decides it: the command id is the events' correlation id
    const decided = agg.addWalkIn(
      { now: new Date().toISOString(), actorId: c.userId, correlationId: commandId },
      {
        entryId: globalThis.crypto.randomUUID(),
        patientId: patient.id,
        patientName: patient.name,
        practitionerId: null,
        appointmentTypeId: null,
        expectedDurationMinutes: 15,
      },
    );
    if (!decided.ok) throw new Error(decided.error.code);
    lossy.arm('after');
    const saved = await rawRepo.save({
      queueId,
      expectedVersion: agg.loadedVersion,
      entries: agg.pendingChanges(),
      newEntryIds: agg.pendingChanges().map((e) => e.id),
      events: agg.pendingEvents(),
      queue: null,
      commandId,
    });
    expect(saved.ok).toBe(false);
    if (!saved.ok) expect(isOutcomeUnknown(saved.error)).toBe(true);
    failed.add(commandId);
    const caught = await checkStormInvariants(read, queueId, mark, { acknowledged, failed });
    expect(caught.violations).toEqual([
      expect.stringMatching(/^1 commands applied but answered as a failure/),
    ]);
  });
});
