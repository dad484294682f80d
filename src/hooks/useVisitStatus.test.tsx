// @vitest-environment jsdom
// useVisitStatus (useBooking.ts): the tracking link's own realtime feed runs one load at a time (issue 12).
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { BookingService } from '../services/appointment/BookingService';
import type { VisitStatus } from '../services/appointment/repositories/BookingRepository';
import { createInMemoryServices } from '../services/composition/inMemory';
import type { QueueChange, QueueChangeFeed } from '../services/queue/repositories/QueueChangeFeed';
import { ok } from '../services/shared/Result';
import { bookingKeys } from './queryKeys';
import { ServicesProvider } from './ServicesContext';
import { useVisitStatus } from './useBooking';

const CLINIC = 'clinic-1';

/** A visit whose every load is counted (its position says which load answered) and can be held. */
function setup() {
  const { services } = createInMemoryServices({ actorId: null });
  let loads = 0;
  let gate: Promise<void> | null = null;
  let fail = false;
  const visitStatus = async () => {
    loads += 1;
    const n = loads;
    if (gate) await gate;
    if (fail) throw new Error('network down');
    return ok<VisitStatus>({
      entryId: 'e-1',
      clinic: { id: CLINIC, name: 'C', slug: 'c', defaultLanguage: 'fr', timeZone: 'Africa/Casablanca' },
      day: '2026-12-01',
      ticket: 'A1',
      status: 'waiting',
      slotStart: null,
      room: null,
      graceEndsAt: null,
      late: false,
      position: n,
    });
  };
  let onChange: ((c: QueueChange) => void) | null = null;
  const queueFeed: QueueChangeFeed = {
    subscribe: (_clinicId, handlers) => {
      onChange = handlers.onChange;
      return () => {
        onChange = null;
      };
    },
  };
  const booking = { visitStatus } as unknown as BookingService;
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={qc}>
      <ServicesProvider services={{ ...services, booking, queueFeed }}>{children}</ServicesProvider>
    </QueryClientProvider>
  );
  const hook = renderHook(() => useVisitStatus('tok-1'), { wrapper });
  const change = (version: number) =>
    onChange?.({ clinicId: CLINIC, queueId: 'q-1', day: '2026-12-01', version });
  const hold = () => {
    let release: () => void = () => undefined;
    gate = new Promise<void>((r) => (release = r));
    return () => {
      gate = null;
      release();
    };
  };
  return {
    hook,
    change,
    hold,
    loads: () => loads,
    failLoads: (v: boolean) => (fail = v),
    subscribed: () => onChange !== null,
    cached: () => qc.getQueryState(bookingKeys.visit('tok-1')),
  };
}

afterEach(() => cleanup());

describe('useVisitStatus under a burst (issue 12)', () => {
  it('a burst of 20 queue changes during a load costs at most 2 loads, and the last one starts after the burst', async () => {
    const t = setup();
    await waitFor(() => expect(t.hook.result.current.data?.position).toBe(1));
    await waitFor(() => expect(t.subscribed()).toBe(true));
    const release = t.hold(); // a slow network: the loads answer only when released
    act(() => {
      for (let v = 1; v <= 20; v++) t.change(v);
    });
    await act(async () => release());
    // load 2 started with the first change; the other 19 only recorded that one more is due: load 3
    // (before: each change cancelled the running load and started another — 20 loads)
    await waitFor(() => expect(t.hook.result.current.data?.position).toBe(3));
    expect(t.loads()).toBe(3);
    expect(t.hook.result.current.isFetching).toBe(false);
  });

  it('a change heard when no load runs gets its own load at once; one heard during it gets one more', async () => {
    const t = setup();
    await waitFor(() => expect(t.hook.result.current.data?.position).toBe(1));
    await waitFor(() => expect(t.subscribed()).toBe(true));
    act(() => t.change(1));
    await waitFor(() => expect(t.hook.result.current.data?.position).toBe(2));
    const release = t.hold();
    act(() => t.change(2));
    await waitFor(() => expect(t.loads()).toBe(3));
    act(() => t.change(3)); // arrives while load 3 runs: load 3 may have read before it
    await act(async () => release());
    await waitFor(() => expect(t.hook.result.current.data?.position).toBe(4));
    expect(t.loads()).toBe(4);
  });

  it('a failed load ends the chase (no loop); the next change loads again', async () => {
    const t = setup();
    await waitFor(() => expect(t.hook.result.current.data?.position).toBe(1));
    await waitFor(() => expect(t.subscribed()).toBe(true));
    t.failLoads(true);
    const release = t.hold();
    act(() => {
      for (let v = 1; v <= 5; v++) t.change(v);
    });
    await act(async () => release());
    // load 2 failed: no third load although changes came during it (a successful one would have been followed)
    await waitFor(() => expect(t.cached()?.status).toBe('error'));
    await waitFor(() => expect(t.cached()?.fetchStatus).toBe('idle'));
    expect(t.loads()).toBe(2);
    t.failLoads(false);
    act(() => t.change(6));
    await waitFor(() => expect(t.hook.result.current.data?.position).toBe(3));
    expect(t.loads()).toBe(3);
  });
});
