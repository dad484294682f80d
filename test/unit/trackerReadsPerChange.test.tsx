// @vitest-environment jsdom
// trk22 (issue 14): what ONE queue change at a desk costs the patient's tracker in REST reads, through the real
// chain — the Realtime frames → FetchPublicScreensRepository's feed → useTrackedVisit → the repository's reads.
// The frames are the ones a real change produced on the stack (`npm start`, bench:web's walk-in added at the desk,
// 2026-12-03): the save bumps the queue row's version, then the desk's command stores the new version's estimates
// (store_queue_estimates), which touches the same row again (updated_at) 60–250 ms later. bench:web counted ≈ 3
// reads per change (each read was get_tracker_view + get_visit_running_late, once at the bump and again at the
// touch); the phone must read once and still show both what the save changed (its place in line) and the estimate
// stored after it.
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetchPublicScreensRepository } from '../../src/services/queue/repositories/FetchPublicScreensRepository';
import type { SocketLike } from '../../src/services/queue/repositories/queueRowChannel';
import { PublicScreensProvider } from '../../src/hooks/PublicScreensContext';
import { useTrackedVisit } from '../../src/hooks/usePublicScreens';

afterEach(cleanup);

const CLINIC = '11111111-1111-4111-8111-111111111111';
/** The two `public.queues` records Realtime delivered for one walk-in added at the desk (a real stack run). */
const RECORDED_CHANGE = [
  {
    id: '3100d746-1100-417f-96f9-25485f972d79',
    clinic_id: CLINIC,
    day: '2026-12-03',
    version: 2,
    status: 'open',
    next_ticket: 12,
    closed_at: null,
    created_at: '2026-12-03T11:35:20.049+00:00',
    updated_at: '2026-12-03T11:36:13.103+00:00',
    version_entries: 1,
  },
  {
    id: '3100d746-1100-417f-96f9-25485f972d79',
    clinic_id: CLINIC,
    day: '2026-12-03',
    version: 2,
    status: 'open',
    next_ticket: 12,
    closed_at: null,
    created_at: '2026-12-03T11:35:20.049+00:00',
    updated_at: '2026-12-03T11:36:13.242+00:00',
    version_entries: 1,
  },
];

/** The server: what get_tracker_view answers now (the tests move it as the saves and the stores do). */
const server = {
  version: 1,
  position: 2,
  minutes: 20,
};
const trackerView = () => ({
  entry_id: 'e1',
  clinic: {
    id: CLINIC,
    name: 'Anfa',
    slug: 'cabinet-anfa',
    default_language: 'fr',
    time_zone: 'Africa/Casablanca',
  },
  day: '2026-12-03',
  ticket: 'A-004',
  status: 'waiting',
  slot_start: null,
  room: null,
  grace_ends_at: null,
  late: false,
  position: server.position,
  queue_version: server.version,
  estimate: { display: { kind: 'minutes', minutes: server.minutes, low: 10, high: 30 } },
  accuracy_minutes: null,
  clock: {
    time_zone: 'Africa/Casablanca',
    now: '2026-12-03T11:36:00Z',
    today: '2026-12-03',
    offsets: [{ from: '2026-12-02T11:36:00Z', offset_minutes: 60 }],
  },
  late_note: null,
  push_topic: 'tracker:of-amine',
});

function stack() {
  const reads: string[] = [];
  const sockets: SocketLike[] = [];
  let topic = '';
  const joins: string[] = [];
  let queueSocket: SocketLike | null = null;
  const repo = createFetchPublicScreensRepository({
    supabaseUrl: 'http://127.0.0.1:1',
    supabaseAnonKey: 'anon',
    fetch: async (input) => {
      const url = String(input);
      reads.push(url.replace(/^.*\/rest\/v1\//, ''));
      const body = url.includes('/rpc/get_tracker_view')
        ? trackerView()
        : url.includes('/rpc/get_visit_running_late')
          ? { entry_id: 'e1', note: null }
          : [{ version: server.version }];
      return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
    },
    socket: () => {
      const s: SocketLike = {
        onopen: null,
        onmessage: null,
        onclose: null,
        onerror: null,
        send(data) {
          const m = JSON.parse(data) as { topic: string; event: string; ref: string };
          if (m.event !== 'phx_join') return;
          joins.push(m.topic);
          // the queue row's channel (since trk25 the tracker also joins its visit's push topic, realtime:tracker:…)
          if (!m.topic.startsWith('realtime:tracker:')) {
            topic = m.topic;
            queueSocket = s;
          }
          const joined = m.topic;
          queueMicrotask(() =>
            s.onmessage?.({
              data: JSON.stringify({
                topic: joined,
                event: 'phx_reply',
                ref: m.ref,
                payload: { status: 'ok' },
              }),
            }),
          );
        },
        close() {},
      };
      sockets.push(s);
      queueMicrotask(() => s.onopen?.({}));
      return s;
    },
  });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <PublicScreensProvider load={() => Promise.resolve(repo)}>{children}</PublicScreensProvider>
  );
  /** Realtime delivers one `public.queues` record, as the stack sends it. */
  const deliver = (record: Record<string, unknown>) =>
    act(async () =>
      queueSocket?.onmessage?.({
        data: JSON.stringify({
          topic,
          event: 'postgres_changes',
          ref: null,
          payload: { ids: [4], data: { schema: 'public', table: 'queues', type: 'UPDATE', record } },
        }),
      }),
    );
  return { reads, sockets, joins, wrapper, deliver, joined: () => topic !== '' };
}

describe('the tracker reads once per queue change (trk22)', () => {
  it('one REST read for the bump and the estimates touch a real change delivers, showing the new place and estimate', async () => {
    Object.assign(server, { version: 1, position: 2, minutes: 20 });
    const st = stack();
    const { result } = renderHook(() => useTrackedVisit('demo-visit-amine'), { wrapper: st.wrapper });
    await waitFor(() => expect(result.current.data?.position).toBe(2));
    await waitFor(() => expect(st.joined()).toBe(true));
    // sock26 (mreview25 F1): the queue feed and the visit's push topic (named by the read) on ONE socket
    await waitFor(() => expect(st.joins).toHaveLength(2));
    expect(st.joins).toEqual([expect.stringMatching(/^realtime:q[0-9]+$/), 'realtime:tracker:of-amine']);
    expect(st.sockets).toHaveLength(1);
    // going live: one tiny version read (nothing missed)
    await waitFor(() =>
      expect(st.reads).toContain(`queues?clinic_id=eq.${CLINIC}&day=eq.2026-12-03&select=version`),
    );
    const before = st.reads.length;

    // the desk saves a walk-in ahead of the patient: the version moves, the estimate is not stored yet
    Object.assign(server, { version: 2, position: 3 });
    await st.deliver(RECORDED_CHANGE[0]!);
    // the desk's command stores the new version's estimates: the row is touched
    server.minutes = 30;
    await st.deliver(RECORDED_CHANGE[1]!);

    await waitFor(() => expect(result.current.data?.position).toBe(3));
    expect(result.current.data?.estimate?.display).toMatchObject({ minutes: 30 });
    expect(result.current.data?.queue_version).toBe(2);
    expect(st.reads.slice(before)).toEqual(['rpc/get_tracker_view']);
  });

  it('a duplicate of the touch reads nothing more; a change no desk stores estimates for is read all the same', async () => {
    Object.assign(server, { version: 1, position: 2, minutes: 20 });
    const st = stack();
    const { result } = renderHook(() => useTrackedVisit('demo-visit-amine'), { wrapper: st.wrapper });
    await waitFor(() => expect(result.current.data?.queue_version).toBe(1));
    await waitFor(() => expect(st.joined()).toBe(true));
    await waitFor(() => expect(st.reads.some((r) => r.startsWith('queues?'))).toBe(true));
    const before = st.reads.length;
    Object.assign(server, { version: 2, position: 3, minutes: 30 });
    await st.deliver(RECORDED_CHANGE[0]!);
    await st.deliver(RECORDED_CHANGE[1]!);
    await waitFor(() => expect(result.current.data?.queue_version).toBe(2));
    await st.deliver(RECORDED_CHANGE[1]!);
    await st.deliver(RECORDED_CHANGE[0]!);
    expect(st.reads.slice(before)).toEqual(['rpc/get_tracker_view']);

    // the patient checks in by the link with no desk open: the bump alone (the server's tick stores later)
    Object.assign(server, { version: 3, position: 2 });
    await st.deliver({ ...RECORDED_CHANGE[0]!, version: 3, updated_at: '2026-12-03T11:37:00.000+00:00' });
    await waitFor(() => expect(result.current.data?.position).toBe(2));
    expect(st.reads.slice(before)).toEqual(['rpc/get_tracker_view', 'rpc/get_tracker_view']);
  });
});
