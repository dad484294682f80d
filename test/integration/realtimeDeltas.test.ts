// Realtime carries the change itself (issues 12 and 14), on the local stack with real supabase-js:
// - every entry row a change writes reaches the clinic's staff with the queue version that wrote it, and the
//   queue row's bump counts them (migration 20261209100001), through the app's own feed
//   (SupabaseQueueChangeFeed); anon hears the queue rows (public) but no entry, another clinic's user nothing;
// - a staff screen (useQueue) shows another desk's call without re-reading the day: no get_queue request
//   between the change and the screen showing it. A new walk-in or emergency (its name is not in the row) is
//   applied after a look-up of just its patient's name; a pause or intake change from the queue row itself.
import { closeDom } from './domGlobals';
import { createElement as h } from 'react';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserServices } from '../../src/services/composition/browser';
import { ServicesProvider } from '../../src/hooks/ServicesContext';
import { useQueue, type QueueView } from '../../src/hooks/useQueue';
import { queueKeys } from '../../src/hooks/queryKeys';
import { QueueService } from '../../src/services/queue/QueueService';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { SupabaseQueueChangeFeed } from '../../src/services/queue/repositories/SupabaseQueueChangeFeed';
import type { EntryChange, QueueChange } from '../../src/services/queue/repositories/QueueChangeFeed';
import type { QueueBusEvents } from '../../src/services/queue/api/bus';
import { createEventBus } from '../../src/services/shared/EventBus';
import { saveWalkIn } from '../fixtures/stackWalkIns';
import { startAppStack, type AppStack } from './appStack';

const WAIT = { timeout: 20_000, interval: 50 };

interface Heard {
  changes: QueueChange[];
  entries: EntryChange[];
  subscribed: boolean;
}

function listen(client: SupabaseClient, clinicId: string): Heard & { off: () => void } {
  const heard: Heard = { changes: [], entries: [], subscribed: false };
  const off = new SupabaseQueueChangeFeed(client).subscribe(clinicId, {
    onChange: (c) => heard.changes.push(c),
    onEntry: (e) => heard.entries.push(e),
    onStatus: (s) => {
      if (s === 'subscribed') heard.subscribed = true;
    },
  });
  return Object.assign(heard, { off });
}

describe('realtime carries the changed rows and their version (local stack, PostgreSQL)', () => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack('postgres');
  });
  afterAll(async () => {
    cleanup();
    await app?.stop();
    closeDom();
  });

  const colleagueOf = async (clinicId: string, label: string) => {
    const colleague = await app.signUp(label);
    const { rows } = await app.db.query<{ id: string }>(
      `insert into public.clinic_members (clinic_id, user_id, role, display_name, room) values ($1, $2, 'practitioner', 'Dr C', 'Room 2') returning id`,
      [clinicId, colleague.userId],
    );
    return { ...colleague, memberId: rows[0]?.id ?? '' };
  };
  const versionOf = async (clinicId: string) =>
    (
      await app.db.query<{ version: number; version_entries: number }>(
        `select version, version_entries from public.queues where clinic_id = $1`,
        [clinicId],
      )
    ).rows[0];

  it('the clinic’s staff get each change’s entry rows stamped with its version, counted by the queue row; another clinic and anon get no entry', async () => {
    const owner = await app.newClinic('rtd');
    const other = await app.newClinic('rtd-other');
    const colleague = await colleagueOf(owner.clinicId, 'rtd-colleague');
    const [amina, youssef] = await app.addPatients(owner.clinicId, ['Amina', 'Youssef']);
    if (!amina || !youssef) throw new Error('setup');

    const desk = listen(owner.client, owner.clinicId);
    const foreign = listen(other.client, owner.clinicId);
    const anon = listen(app.client(), owner.clinicId);
    for (const l of [desk, foreign, anon]) await expect.poll(() => l.subscribed, WAIT).toBe(true);

    const repo = new SupabaseQueueRepository(colleague.client);
    await saveWalkIn(repo, owner.clinicId, colleague.userId, amina);
    await saveWalkIn(repo, owner.clinicId, colleague.userId, youssef);
    const service = new QueueService({
      repo,
      bus: createEventBus<QueueBusEvents>(),
      actor: () => colleague.userId,
    });
    const called = await service.callNext(owner.clinicId, {
      practitionerId: colleague.memberId,
      room: 'Room 2',
    });
    expect(called.ok).toBe(true);
    const last = await versionOf(owner.clinicId);
    if (!last) throw new Error('no queue');
    expect(last.version).toBeGreaterThanOrEqual(3);
    expect(last.version_entries).toBeGreaterThanOrEqual(1);

    await expect.poll(() => desk.changes.some((c) => c.version === last.version), WAIT).toBe(true);
    // every version the desk heard: exactly as many entry rows as its queue row counted, each one readable
    const versions = [...new Set(desk.changes.map((c) => c.version))].filter((v) => v > 0);
    expect(versions.length).toBeGreaterThanOrEqual(3);
    for (const v of versions) {
      const counted = Math.max(...desk.changes.filter((c) => c.version === v).map((c) => c.entryCount ?? -1));
      const rows = desk.entries.filter((e) => e.version === v);
      expect({ v, rows: rows.length }).toEqual({ v, rows: counted });
      for (const e of rows) expect(e.row).not.toBeNull();
    }
    // the call's row itself: the called patient, at the version the call made, in commit order before its bump
    const callRows = desk.entries.filter((e) => e.version === last.version);
    expect(callRows.map((e) => [e.row?.patient_id, e.row?.status])).toContainEqual([amina.id, 'called']);
    const lastEntryAt = desk.entries.indexOf(callRows[callRows.length - 1] as EntryChange);
    expect(lastEntryAt).toBeGreaterThanOrEqual(0);
    expect(desk.entries.every((e) => e.queueId === desk.changes[desk.changes.length - 1]?.queueId)).toBe(
      true,
    );

    // anon (the board, the tracker) heard the public queue rows up to the same version, and no entry;
    // another clinic's owner hears nothing of this clinic, not even its queue rows (20261211400001)
    await expect.poll(() => anon.changes.some((c) => c.version === last.version), WAIT).toBe(true);
    expect(anon.entries).toEqual([]);
    expect(foreign.entries).toEqual([]);
    expect(foreign.changes).toEqual([]);
    for (const l of [desk, foreign, anon]) l.off();
  });

  it('a staff screen shows another desk’s walk-in, call and emergency from the events themselves, with no get_queue request', async () => {
    const owner = await app.newClinic('rtd-screen');
    const colleague = await colleagueOf(owner.clinicId, 'rtd-screen-colleague');
    const [amina] = await app.addPatients(owner.clinicId, ['Amina']);
    if (!amina) throw new Error('setup');

    // the screen's own client, counting what it asks the REST API for
    let queueReads = 0;
    let nameReads = 0;
    const counting: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes('/rpc/get_queue')) queueReads++;
      if (url.includes('/rest/v1/patients?')) nameReads++;
      return fetch(input, init);
    };
    const screenClient = createClient(app.stack.url, app.stack.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as never },
      accessToken: async () => owner.token,
      global: { fetch: counting },
    });
    const services = createBrowserServices({ supabase: screenClient, actor: () => owner.userId });
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    function List() {
      const q = useQueue(owner.clinicId);
      if (!q.data) return h('p', null, q.error ? q.error.code : 'loading');
      return h(
        'ul',
        null,
        q.data.entries.map((e) =>
          h(
            'li',
            { key: e.id, 'data-testid': `entry-${e.patientName}`, 'data-priority': e.priority },
            `${e.patientName}:${e.status}`,
          ),
        ),
      );
    }
    render(h(QueryClientProvider, { client: qc }, h(ServicesProvider, { services, children: h(List) })));
    await screen.findByRole('list', {}, WAIT);
    await waitFor(() => expect(qc.isFetching()).toBe(0), WAIT);
    const readsBefore = queueReads;
    expect(readsBefore).toBeGreaterThanOrEqual(1);

    // another desk's new walk-in: its row carries no name, so the screen looks up just that name (one
    // patients read) and applies the row — no re-read of the day
    const repo = new SupabaseQueueRepository(colleague.client);
    await saveWalkIn(repo, owner.clinicId, colleague.userId, amina);
    await waitFor(() => expect(screen.getByTestId('entry-Amina').textContent).toBe('Amina:waiting'), WAIT);
    expect(queueReads).toBe(readsBefore);
    expect(nameReads).toBe(1);

    // another desk calls her: the screen applies the change the event carried
    const desk2 = new QueueService({
      repo,
      bus: createEventBus<QueueBusEvents>(),
      actor: () => colleague.userId,
    });
    expect(
      (await desk2.callNext(owner.clinicId, { practitionerId: colleague.memberId, room: 'Room 2' })).ok,
    ).toBe(true);
    await waitFor(() => expect(screen.getByTestId('entry-Amina').textContent).toBe('Amina:called'), WAIT);
    expect(queueReads).toBe(readsBefore);
    const shown = qc.getQueryData<QueueView>(queueKeys.day(owner.clinicId));
    expect(shown?.queue.version).toBe((await versionOf(owner.clinicId))?.version);

    // another desk's emergency (the emergency form's path: a new patient record and the step): its row carries
    // no name either, so the screen looks up just that patient's name — a second patients read — and shows
    // them at the emergency priority, with no re-read of the day
    const emergency = await desk2.insertEmergency(owner.clinicId, {
      patientName: 'Karim Emergency',
      reason: 'chest pain',
    });
    expect(emergency.ok).toBe(true);
    await waitFor(
      () => expect(screen.getByTestId('entry-Karim Emergency').textContent).toBe('Karim Emergency:waiting'),
      WAIT,
    );
    expect(screen.getByTestId('entry-Karim Emergency').getAttribute('data-priority')).toBe('emergency');
    expect(queueReads).toBe(readsBefore);
    expect(nameReads).toBe(2);

    services.dispose();
    await screenClient.removeAllChannels();
    cleanup();
  });

  it('a pause and an intake change by another desk are applied from the queue row, with no get_queue; anon’s row carries neither', async () => {
    const owner = await app.newClinic('rtd-pause');
    const colleague = await colleagueOf(owner.clinicId, 'rtd-pause-colleague');
    const [amina] = await app.addPatients(owner.clinicId, ['Amina']);
    if (!amina) throw new Error('setup');
    const repo = new SupabaseQueueRepository(colleague.client);
    await saveWalkIn(repo, owner.clinicId, colleague.userId, amina); // the day's queue exists

    let queueReads = 0;
    const counting: typeof fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/rpc/get_queue')) queueReads++;
      return fetch(input, init);
    };
    const screenClient = createClient(app.stack.url, app.stack.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as never },
      accessToken: async () => owner.token,
      global: { fetch: counting },
    });
    const services = createBrowserServices({ supabase: screenClient, actor: () => owner.userId });
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    function Day() {
      const q = useQueue(owner.clinicId);
      if (!q.data) return h('p', null, q.error ? q.error.code : 'loading');
      return h(
        'p',
        { 'data-testid': 'day' },
        `paused:${(q.data.queue.pausedPractitionerIds ?? []).length} intake:${q.data.queue.intakeClosedAt ? 'closed' : 'open'}`,
      );
    }
    render(h(QueryClientProvider, { client: qc }, h(ServicesProvider, { services, children: h(Day) })));
    await waitFor(() => expect(screen.getByTestId('day').textContent).toBe('paused:0 intake:open'), WAIT);
    const anon = listen(app.client(), owner.clinicId);
    await expect.poll(() => anon.subscribed, WAIT).toBe(true);
    await waitFor(() => expect(qc.isFetching()).toBe(0), WAIT);
    const readsBefore = queueReads;

    const paused = await colleague.client.rpc('set_desk_paused', {
      p_clinic_id: owner.clinicId,
      p_practitioner_id: colleague.memberId,
      p_paused: true,
      p_reason: 'break',
    });
    expect(paused.error).toBeNull();
    await waitFor(() => expect(screen.getByTestId('day').textContent).toBe('paused:1 intake:open'), WAIT);
    const closed = await colleague.client.rpc('set_queue_intake', {
      p_clinic_id: owner.clinicId,
      p_open: false,
      p_reason: 'full',
    });
    expect(closed.error).toBeNull();
    await waitFor(() => expect(screen.getByTestId('day').textContent).toBe('paused:1 intake:closed'), WAIT);
    expect(queueReads).toBe(readsBefore); // applied from the events: no re-read of the day
    const shown = qc.getQueryData<QueueView>(queueKeys.day(owner.clinicId));
    expect(shown?.queue.version).toBe((await versionOf(owner.clinicId))?.version);
    expect(shown?.queue.pausedPractitionerIds).toEqual([colleague.memberId]);

    // anon (the board, the tracker) heard both bumps, without the pause state
    const last = (await versionOf(owner.clinicId))?.version ?? -1;
    await expect.poll(() => anon.changes.some((c) => c.version === last), WAIT).toBe(true);
    expect(anon.changes.filter((c) => c.control !== undefined)).toEqual([]);
    anon.off();
    services.dispose();
    await screenClient.removeAllChannels();
    cleanup();
  });
});
