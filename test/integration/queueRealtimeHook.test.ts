// The realtime proof: a change saved by a second client reaches the first client's rendered list (React,
// Testing Library) through supabase-js Realtime on the local stack — no reload, no polling.
import { closeDom } from './domGlobals';
import { createElement as h } from 'react';
import type { SupabaseClient } from '@supabase/supabase-js';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserServices } from '../../src/services/composition/browser';
import { ServicesProvider } from '../../src/hooks/ServicesContext';
import { useQueue } from '../../src/hooks/useQueue';
import { QueueService } from '../../src/services/queue/QueueService';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import type { QueueBusEvents } from '../../src/services/queue/api/bus';
import { createEventBus } from '../../src/services/shared/EventBus';
import { saveWalkIn, type StackPatient } from '../fixtures/stackWalkIns';
import { startAppStack, type AppStack } from './appStack';

function List({ clinicId }: { clinicId: string }) {
  const q = useQueue(clinicId);
  if (!q.data) return h('p', null, q.error ? q.error.code : 'loading');
  return h(
    'ul',
    null,
    q.data.entries.map((e) =>
      h('li', { key: e.id, 'data-testid': `entry-${e.patientName}` }, `${e.patientName}:${e.status}`),
    ),
  );
}

/** Renders the list as `userId`'s screen on `supabase` (the app's browser services); returns the services. */
function renderList(supabase: SupabaseClient, userId: string, clinicId: string) {
  const services = createBrowserServices({ supabase, actor: () => userId });
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    h(
      QueryClientProvider,
      { client: qc },
      h(ServicesProvider, { services, children: h(List, { clinicId }) }),
    ),
  );
  return services;
}

describe('realtime reaches a rendered list (local stack, PostgreSQL)', () => {
  let app: AppStack;
  beforeAll(async () => {
    // PostgreSQL here; the queue and booking contracts cover PGlite.
    app = await startAppStack('postgres');
  });
  afterAll(async () => {
    cleanup();
    await app?.stop();
    closeDom();
  });

  it('a walk-in added and a call made by a second client appear in the first client’s list', async () => {
    const owner = await app.newClinic('rt');
    const colleague = await app.signUp('rt-colleague');
    const { rows } = await app.db.query<{ id: string }>(
      `insert into public.clinic_members (clinic_id, user_id, role, display_name, room) values ($1, $2, 'practitioner', 'Dr C', 'Room 2') returning id`,
      [owner.clinicId, colleague.userId],
    );
    const colleagueMember = rows[0]?.id ?? '';
    const [amina, youssef] = await app.addPatients(owner.clinicId, ['Amina', 'Youssef']);
    if (!amina || !youssef) throw new Error('setup');

    // client 1: the screen
    const services = renderList(owner.client, owner.userId, owner.clinicId);
    await screen.findByRole('list', {}, { timeout: 15_000 });

    // client 2: another desk, its own session
    const repo2 = new SupabaseQueueRepository(colleague.client);
    const addWalkIn = (p: StackPatient) => saveWalkIn(repo2, owner.clinicId, colleague.userId, p);
    await addWalkIn(amina);
    await waitFor(() => expect(screen.getByTestId('entry-Amina').textContent).toBe('Amina:waiting'), {
      timeout: 15_000,
    });

    await addWalkIn(youssef);
    const desk2 = new QueueService({
      repo: repo2,
      bus: createEventBus<QueueBusEvents>(),
      actor: () => colleague.userId,
    });
    const called = await desk2.callNext(owner.clinicId, { practitionerId: colleagueMember, room: 'Room 2' });
    expect(called.ok).toBe(true);
    await waitFor(
      () => {
        expect(screen.getByTestId('entry-Amina').textContent).toBe('Amina:called');
        expect(screen.getByTestId('entry-Youssef').textContent).toBe('Youssef:waiting');
      },
      { timeout: 15_000 },
    );
    services.dispose();
    cleanup();
  });

  it('after a network drop the screen refetches on reconnect: a change made while it was offline is not lost', async () => {
    const owner = await app.newClinic('rt2');
    const [amina, youssef] = await app.addPatients(owner.clinicId, ['Amina', 'Youssef']);
    if (!amina || !youssef) throw new Error('setup');
    const screenClient = app.client(owner.token);
    const services = renderList(screenClient, owner.userId, owner.clinicId);
    await screen.findByRole('list', {}, { timeout: 15_000 });

    const desk = new SupabaseQueueRepository(owner.client);
    const addWalkIn = (p: StackPatient) => saveWalkIn(desk, owner.clinicId, owner.userId, p);
    await addWalkIn(amina);
    await waitFor(() => expect(screen.getByTestId('entry-Amina').textContent).toBe('Amina:waiting'), {
      timeout: 15_000,
    });

    // the screen goes offline: its realtime socket is closed, nothing can reach it
    await screenClient.realtime.disconnect();
    await addWalkIn(youssef);
    expect(screen.queryByTestId('entry-Youssef')).toBeNull();
    // back online: realtime-js rejoins the channel; the SUBSCRIBED status triggers the refetch
    screenClient.realtime.connect();
    await waitFor(() => expect(screen.getByTestId('entry-Youssef').textContent).toBe('Youssef:waiting'), {
      timeout: 15_000,
    });
    services.dispose();
  });
});
