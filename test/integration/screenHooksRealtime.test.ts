// The hooks the screens use, live on the local stack: a command sent through the desk's hook
// (useQueueService) by one client reaches, through Realtime, the hook-driven screens of other clients — the
// desk's list of a second staff session (useQueue: supabase-js Realtime) and the light public screens
// (useWaitingBoard / useTrackedVisit: the fetch port's own Phoenix channel). No reload, no polling.
import { closeDom } from './domGlobals';
import { createElement as h } from 'react';
import type { SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserServices } from '../../src/services/composition/browser';
import { ServicesProvider } from '../../src/hooks/ServicesContext';
import { PublicScreensProvider } from '../../src/hooks/PublicScreensContext';
import { useQueue, useQueueService } from '../../src/hooks/useQueue';
import { useTrackedVisit, useWaitingBoard } from '../../src/hooks/usePublicScreens';
import { createFetchPublicScreensRepository } from '../../src/services/queue/repositories/FetchPublicScreensRepository';
import { startAppStack, type AppStack } from './appStack';
import { parityClinic } from './queueStackKit';

const LIVE = { timeout: 20_000 };

/** A staff screen: the day's list (useQueue) and a "call next" button (useQueueService). */
function Desk({
  clinicId,
  practitionerId,
  testId,
}: {
  clinicId: string;
  practitionerId: string;
  testId: string;
}) {
  const q = useQueue(clinicId);
  const run = useQueueService(clinicId);
  if (!q.data) return h('p', null, q.error ? q.error.code : 'loading');
  return h('section', { 'data-testid': testId }, [
    h(
      'button',
      { key: 'b', onClick: () => run.mutate({ type: 'callNext', practitionerId, room: 'Room 2' }) },
      `call next ${testId}`,
    ),
    ...q.data.entries.map((e) => h('p', { key: e.id }, `${e.ticket}:${e.status}`)),
  ]);
}

/** The waiting-room board and a patient's tracker, over the light screens' own port. */
function PublicScreens({ clinicId, token }: { clinicId: string; token: string }) {
  const { board } = useWaitingBoard(clinicId);
  const visit = useTrackedVisit(token);
  return h('div', null, [
    h(
      'p',
      { key: 'b', 'data-testid': 'board' },
      board.data ? board.data.now_serving.map((s) => s.ticket).join(',') || '-' : 'loading',
    ),
    h(
      'p',
      { key: 't', 'data-testid': 'tracker' },
      visit.data ? `${visit.data.status}:${visit.data.position ?? '-'}` : 'loading',
    ),
  ]);
}

describe('hook-driven screens follow another client live (local stack, PGlite)', () => {
  let app: AppStack;
  const disposers: (() => void)[] = [];
  // PGlite's start is slow on a loaded machine: a setup limit, not an assertion
  beforeAll(async () => {
    app = await startAppStack('pglite');
  }, 300_000);
  afterAll(async () => {
    cleanup();
    for (const d of disposers) d();
    await app?.stop();
    closeDom();
  });

  const staffScreen = (supabase: SupabaseClient, userId: string, props: Parameters<typeof Desk>[0]) => {
    const services = createBrowserServices({ supabase, actor: () => userId });
    disposers.push(() => services.dispose());
    const qc = new QueryClient({
      defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
    });
    return h(
      QueryClientProvider,
      { client: qc, key: props.testId },
      h(ServicesProvider, { services, children: h(Desk, props) }),
    );
  };

  it("'call next' on one desk reaches another desk's list, the board and the patient's tracker", async () => {
    const c = await parityClinic(app, 'hooks-live', 'HL');
    const first = await c.service.addWalkIn(c.clinicId, { patientName: 'First Patient' });
    const second = await c.service.addWalkIn(c.clinicId, { patientName: 'Second Patient' });
    if (!first.ok || !second.ok) throw new Error('walk-in failed');
    const secondId = second.value.events.find((e) => e.type === 'WalkInAdded')?.entryId ?? '';
    const token = await c.track(secondId);

    // a second staff screen: its own supabase-js client and realtime socket (another browser)
    const port = createFetchPublicScreensRepository({
      supabaseUrl: app.stack.url,
      supabaseAnonKey: app.stack.anonKey,
      socket: (u) => new WebSocket(u) as never,
    });
    render(
      h('main', null, [
        staffScreen(c.client, c.userId, {
          clinicId: c.clinicId,
          practitionerId: c.practitionerId,
          testId: 'desk-1',
        }),
        staffScreen(app.client(c.token), c.userId, {
          clinicId: c.clinicId,
          practitionerId: c.practitionerId,
          testId: 'desk-2',
        }),
        h(PublicScreensProvider, {
          key: 'public',
          load: async () => port,
          children: h(PublicScreens, { clinicId: c.clinicId, token }),
        }),
      ]),
    );
    await waitFor(() => expect(screen.getByTestId('desk-2').textContent).toContain('HL-001:waiting'), LIVE);
    await waitFor(() => expect(screen.getByTestId('board').textContent).toBe('-'), LIVE);
    await waitFor(() => expect(screen.getByTestId('tracker').textContent).toBe('waiting:2'), LIVE);

    fireEvent.click(screen.getByText('call next desk-1'));

    // the other desk's hook-driven list, the board and the tracker follow — none of them sent anything
    await waitFor(() => expect(screen.getByTestId('desk-2').textContent).toContain('HL-001:called'), LIVE);
    await waitFor(() => expect(screen.getByTestId('board').textContent).toBe('HL-001'), LIVE);
    await waitFor(() => expect(screen.getByTestId('tracker').textContent).toBe('waiting:1'), LIVE);
    expect(screen.getByTestId('desk-2').textContent).toContain('HL-002:waiting');
  });
});
