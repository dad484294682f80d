// @vitest-environment jsdom
// useQueue / useQueueService on the in-memory composition root: realtime keeps the rendered list current,
// a reconnect refetches what was missed, optimistic updates show at once and roll back on error.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInMemoryServices } from '../services/composition/inMemory';
import { QueueService } from '../services/queue/QueueService';
import { createEventBus } from '../services/shared/EventBus';
import { ManualClock } from '../services/shared/Clock';
import type { QueueBusEvents } from '../services/queue/api/bus';
import type { QueueChange } from '../services/queue/repositories/QueueChangeFeed';
import { ServicesProvider } from './ServicesContext';
import { useDayControls } from './useDayControls';
import { HOLD_LIMIT_MS, useQueue, useQueueService } from './useQueue';

const CLINIC = 'clinic-1';

function Board() {
  const q = useQueue(CLINIC);
  const cmd = useQueueService(CLINIC);
  if (q.isPending) return <p>loading</p>;
  if (q.error) return <p role="alert">{q.error.code}</p>;
  return (
    <div>
      <ul>
        {q.data.entries.map((e) => (
          <li key={e.id} data-testid={`entry-${e.patientName}`}>
            {e.patientName}:{e.status}
            <button onClick={() => cmd.mutate({ type: 'start', entryId: e.id })}>
              start {e.patientName}
            </button>
          </li>
        ))}
      </ul>
      {cmd.error && <p role="alert">{cmd.error.code}</p>}
    </div>
  );
}

/**
 * One harness for every case (desk25: the realtime harness was repeated per case): the in-memory services of a
 * clinic with Dr A, `other` — another desk's QueueService on the same repository (its saves reach this screen
 * over the in-memory feed) —, a query client and the providers, and counters of the screen's reads.
 */
function harness(options: { clock?: ManualClock } = {}) {
  const { services, queueRepo, queueFeed, clock } = createInMemoryServices({
    actorId: 'user-1',
    ...(options.clock ? { clock: options.clock } : {}),
  });
  queueRepo.addClinic({
    id: CLINIC,
    members: [
      { id: 'dr-a', userId: 'user-1', role: 'practitioner', displayName: 'Dr A', room: 'R1', active: true },
    ],
  });
  const other = new QueueService({
    repo: queueRepo,
    bus: createEventBus<QueueBusEvents>(),
    clock,
    retryDelayMs: () => 0,
  });
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={qc}>
      <ServicesProvider services={services}>{children}</ServicesProvider>
    </QueryClientProvider>
  );
  /** From now on, counts the day's reads (QueueService.status) the screen makes. */
  const countStatusReads = () => {
    let reads = 0;
    const status = services.queue.status.bind(services.queue);
    services.queue.status = (clinicId, day) => {
      reads += 1;
      return status(clinicId, day);
    };
    return () => reads;
  };
  /** From now on, counts the repository's loads. */
  const countLoads = () => {
    let loads = 0;
    const load = queueRepo.load.bind(queueRepo);
    queueRepo.load = (clinicId, day) => {
      loads += 1;
      return load(clinicId, day);
    };
    return () => loads;
  };
  return { services, queueRepo, queueFeed, clock, other, qc, wrapper, countStatusReads, countLoads };
}

function setup() {
  const h = harness();
  render(<Board />, { wrapper: h.wrapper });
  return h;
}

afterEach(() => cleanup());

describe('useQueue', () => {
  it('a change saved by another client appears in the rendered list without a reload', async () => {
    const { other } = setup();
    await screen.findByRole('list');
    await act(async () => {
      await other.addWalkIn(CLINIC, { patientName: 'Amina' });
    });
    expect((await screen.findByTestId('entry-Amina')).textContent).toContain('Amina:waiting');
  });

  it('refetches on reconnect: a change made while disconnected is not lost', async () => {
    const { other, queueRepo, queueFeed } = setup();
    await screen.findByRole('list');
    const notify = queueRepo.onSaved;
    queueRepo.onSaved = null; // the connection is down: nothing is pushed
    await other.addWalkIn(CLINIC, { patientName: 'Youssef' });
    queueRepo.onSaved = notify;
    expect(screen.queryByTestId('entry-Youssef')).toBeNull();
    act(() => queueFeed.reconnect());
    expect((await screen.findByTestId('entry-Youssef')).textContent).toContain('waiting');
  });
});

describe('useQueueService', () => {
  it('shows the optimistic status at once, then the saved one', async () => {
    const { other, queueRepo } = setup();
    await act(async () => {
      await other.addWalkIn(CLINIC, { patientName: 'Salma' });
      await other.callNext(CLINIC, { practitionerId: 'dr-a', room: 'R1' });
    });
    await waitFor(() => expect(screen.getByTestId('entry-Salma').textContent).toContain('called'));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    queueRepo.beforeSave = () => gate;
    fireEvent.click(screen.getByText('start Salma'));
    await waitFor(() => expect(screen.getByTestId('entry-Salma').textContent).toContain('in_service'));
    const stored = async () => {
      const r = await queueRepo.load(CLINIC);
      return r.ok ? r.value.snapshot.entries[0]?.status : null;
    };
    expect(await stored()).toBe('called'); // the save is still held at the gate
    queueRepo.beforeSave = null;
    await act(async () => release());
    await waitFor(async () => expect(await stored()).toBe('in_service'));
    expect(screen.getByTestId('entry-Salma').textContent).toContain('in_service');
  });

  it('rolls the optimistic update back when the command fails, and exposes the error code', async () => {
    const { other, queueRepo } = setup();
    await act(async () => {
      await other.addWalkIn(CLINIC, { patientName: 'Omar' });
      await other.callNext(CLINIC, { practitionerId: 'dr-a', room: 'R1' });
    });
    await waitFor(() => expect(screen.getByTestId('entry-Omar').textContent).toContain('called'));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const realSave = queueRepo.save.bind(queueRepo);
    queueRepo.save = async () => {
      await gate;
      return { ok: false, error: { code: 'AUTH.FORBIDDEN', message: 'no' } };
    };
    fireEvent.click(screen.getByText('start Omar'));
    await waitFor(() => expect(screen.getByTestId('entry-Omar').textContent).toContain('in_service'));
    await act(async () => release());
    expect((await screen.findByRole('alert')).textContent).toBe('AUTH.FORBIDDEN');
    await waitFor(() => expect(screen.getByTestId('entry-Omar').textContent).toContain('called'));
    queueRepo.save = realSave;
  });
});

describe('useQueueRealtime', () => {
  it('ignores changes of another day’s queue (a booking for tomorrow) and refetches for today’s', async () => {
    const { queueRepo, other, countLoads } = setup();
    await screen.findByRole('list');
    const loads = countLoads();
    act(() => queueRepo.onSaved?.({ clinicId: CLINIC, queueId: 'tomorrow', day: '2099-01-01', version: 1 }));
    await act(async () => {
      await other.addWalkIn(CLINIC, { patientName: 'Driss' });
    });
    expect((await screen.findByTestId('entry-Driss')).textContent).toContain('waiting');
    // the walk-in's own load + the refetch it triggered; nothing for tomorrow's change
    expect(loads()).toBe(2);
  });
});

describe('a refreshed estimate at the same version (flake22)', () => {
  it('the queue row touched with no new version: the desk recomputes its waits at this moment, with no load', async () => {
    // a fixed morning (mreview22 L5: the real date could cross the clinic's midnight during the test)
    const clock = new ManualClock(new Date('2026-11-30T09:00:00Z'));
    const { services, queueRepo, wrapper, countLoads } = harness({ clock });
    const added = await services.queue.addWalkIn(CLINIC, { patientName: 'Amine' });
    if (!added.ok) throw new Error(added.error.code);
    const { result } = renderHook(() => useQueue(CLINIC), { wrapper });
    await waitFor(() => expect(result.current.data?.entries).toHaveLength(1));
    await act(async () => undefined); // subscribed, its resync load landed
    const first = result.current.data!;
    const loads = countLoads();
    clock.advanceMinutes(3);
    const touched = (at: string): QueueChange => ({
      clinicId: CLINIC,
      queueId: first.queue.id,
      day: first.queue.day,
      version: first.queue.version,
      touchedAt: at,
    });
    act(() => queueRepo.onSaved?.(touched('2026-11-30T09:01:00Z')));
    await waitFor(() => expect(result.current.data?.asOf).toBe(clock.now().toISOString()));
    expect(result.current.data?.queue.version).toBe(first.queue.version);
    // the same event again, or an untouched one of the shown version, recomputes nothing
    clock.advanceMinutes(3);
    act(() => queueRepo.onSaved?.(touched('2026-11-30T09:01:00Z')));
    act(() =>
      queueRepo.onSaved?.({
        clinicId: CLINIC,
        queueId: first.queue.id,
        day: first.queue.day,
        version: first.queue.version,
      }),
    );
    expect(result.current.data?.asOf).not.toBe(clock.now().toISOString());
    expect(loads()).toBe(0);
  });
});

describe('a desk’s own command (issue 12)', () => {
  it('puts the command’s answer in the cache: the desk shows it with no re-read of the day', async () => {
    const { queueRepo, other, countStatusReads } = setup();
    await screen.findByRole('list');
    await act(async () => {
      await other.addWalkIn(CLINIC, { patientName: 'Amina' });
    });
    await act(async () => {
      await other.callNext(CLINIC, { practitionerId: 'dr-a', room: 'R1' });
    });
    await waitFor(() => expect(screen.getByTestId('entry-Amina').textContent).toContain('Amina:called'));
    // realtime stays silent, so only the command itself can bring the new state; count the day's reads
    queueRepo.onSaved = null;
    const reads = countStatusReads();
    fireEvent.click(screen.getByRole('button', { name: 'start Amina' }));
    await waitFor(() => expect(screen.getByTestId('entry-Amina').textContent).toContain('Amina:in_service'));
    // let any refetch the mutation scheduled run before counting
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(reads()).toBe(0);
  });

  it('a refused command rolls back and re-reads the day', async () => {
    const { queueRepo, other, countStatusReads } = setup();
    await screen.findByRole('list');
    await act(async () => {
      await other.addWalkIn(CLINIC, { patientName: 'Amina' });
    });
    await screen.findByTestId('entry-Amina');
    // another desk cancels her meanwhile, unheard: the desk's start is refused
    queueRepo.onSaved = null;
    const loaded = await queueRepo.load(CLINIC);
    if (!loaded.ok) throw new Error(loaded.error.code);
    const amina = loaded.value.snapshot.entries[0];
    if (!amina) throw new Error('setup');
    await other.cancel(CLINIC, { entryId: amina.id, reason: null });
    const reads = countStatusReads();
    fireEvent.click(screen.getByRole('button', { name: 'start Amina' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    await waitFor(() => expect(reads()).toBe(1));
    await waitFor(() => expect(screen.getByTestId('entry-Amina').textContent).toContain('Amina:cancelled'));
  });
});

describe('useQueueRealtime under a burst (issue 12)', () => {
  it('a burst of 20 changes while the screen is loading costs one load, not 20, and shows all of them', async () => {
    const { queueRepo, other } = setup();
    await screen.findByRole('list');
    // 20 walk-ins saved by another desk while nothing is pushed; their changes arrive afterwards, in a burst
    const notify = queueRepo.onSaved;
    queueRepo.onSaved = null;
    const changes: QueueChange[] = [];
    for (let i = 1; i <= 20; i++) {
      await other.addWalkIn(CLINIC, { patientName: `P${i}` });
      const r = await queueRepo.load(CLINIC);
      if (!r.ok) throw new Error(r.error.code);
      const q = r.value.snapshot.queue;
      changes.push({ clinicId: CLINIC, queueId: q.id, day: q.day, version: q.version });
    }
    queueRepo.onSaved = notify;
    // the screen's loads are held until released, as a slow network would
    let loads = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const load = queueRepo.load.bind(queueRepo);
    queueRepo.load = async (clinicId, day) => {
      loads += 1;
      await gate;
      return load(clinicId, day);
    };
    act(() => {
      for (const c of changes) queueRepo.onSaved?.(c);
    });
    await act(async () => release());
    expect((await screen.findByTestId('entry-P20')).textContent).toContain('waiting');
    expect(screen.getAllByRole('listitem')).toHaveLength(20);
    // the first change started a load; the other 19 arrived while it ran (before: each cancelled it and
    // started the whole load again — 20 loads)
    expect(loads).toBe(1);
  });

  it('a change heard while a load runs that the load predates gets one more load (nothing is lost)', async () => {
    const { queueRepo, other } = setup();
    await screen.findByRole('list');
    const notify = queueRepo.onSaved;
    queueRepo.onSaved = null; // changes are pushed by hand below, when the test says
    const saveWalkIn = async (patientName: string): Promise<QueueChange> => {
      await other.addWalkIn(CLINIC, { patientName });
      const r = await queueRepo.load(CLINIC);
      if (!r.ok) throw new Error(r.error.code);
      const q = r.value.snapshot.queue;
      return { clinicId: CLINIC, queueId: q.id, day: q.day, version: q.version };
    };
    const first = await saveWalkIn('First');
    // the screen's next load reads at once and answers only when released (a slow answer)
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let held = 0;
    const load = queueRepo.load.bind(queueRepo);
    queueRepo.load = async (clinicId, day) => {
      queueRepo.load = load; // only this one
      const r = await load(clinicId, day);
      held += 1;
      await gate;
      return r;
    };
    act(() => notify?.(first));
    await waitFor(() => expect(held).toBe(1));
    const second = await saveWalkIn('Second'); // saved after the held load read the day
    act(() => notify?.(second));
    await act(async () => release());
    expect((await screen.findByTestId('entry-Second')).textContent).toContain('waiting');
    expect(screen.getByTestId('entry-First').textContent).toContain('waiting');
    queueRepo.onSaved = notify;
  });
});

describe('useDayControls', () => {
  it('closing the intake shows at once in the queue view and refuses walk-ins; reopening takes them again', async () => {
    const { other, wrapper } = harness();
    const { result } = renderHook(() => ({ view: useQueue(CLINIC), day: useDayControls(CLINIC) }), {
      wrapper,
    });
    await waitFor(() => expect(result.current.view.isSuccess).toBe(true));
    expect(result.current.view.data?.queue.intakeClosedAt ?? null).toBeNull();

    await act(() => result.current.day.mutateAsync({ type: 'closeIntake', reason: 'full' }));
    await waitFor(() => expect(result.current.view.data?.queue.intakeClosedAt).toEqual(expect.any(String)));
    const refused = await other.addWalkIn(CLINIC, { patientName: 'Salma' });
    expect(refused.ok).toBe(false);

    await act(() => result.current.day.mutateAsync({ type: 'reopenIntake', reason: null }));
    await waitFor(() => expect(result.current.view.data?.queue.intakeClosedAt ?? null).toBeNull());
    expect((await other.addWalkIn(CLINIC, { patientName: 'Salma' })).ok).toBe(true);
  });
});

describe('a desk’s own command heard over realtime while it runs (rt24, issue 14)', () => {
  function Desk() {
    const q = useQueue(CLINIC);
    const cmd = useQueueService(CLINIC);
    if (!q.data) return <p>loading</p>;
    return (
      <div>
        <ul>
          {q.data.entries.map((e) => (
            <li key={e.id} data-testid={`entry-${e.patientName}`}>
              {e.patientName}:{e.status}
            </li>
          ))}
        </ul>
        <button
          onClick={() =>
            cmd.mutate({
              type: 'addWalkIn',
              patientName: 'Nour',
              phone: null,
              practitionerId: null,
              appointmentTypeId: null,
              priority: 'normal',
            })
          }
        >
          add Nour
        </button>
      </div>
    );
  }

  it('its own walk-in costs the desk no read: the change it hears mid-command is the one its answer brings', async () => {
    const { services, wrapper } = harness();
    render(<Desk />, { wrapper });
    await screen.findByRole('list');
    // every read the desk could make for a change: the day (status) and a new patient's name (applyChangeWithNames)
    const reads: string[] = [];
    const status = services.queue.status.bind(services.queue);
    services.queue.status = (clinicId, day) => {
      reads.push('status');
      return status(clinicId, day);
    };
    const withNames = services.queue.applyChangeWithNames.bind(services.queue);
    services.queue.applyChangeWithNames = (view, change) => {
      reads.push('names');
      return withNames(view, change);
    };
    fireEvent.click(screen.getByRole('button', { name: 'add Nour' }));
    await waitFor(() => expect(screen.getByTestId('entry-Nour').textContent).toBe('Nour:waiting'));
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(reads).toEqual([]);
  });

  // fix24b: the hold has a time limit — a command that hangs must not hold another desk's change for ever
  async function hungDesk() {
    const { services, other, qc, wrapper, countStatusReads } = harness();
    render(<Desk />, { wrapper });
    await screen.findByRole('list');
    const reads = countStatusReads();
    // the desk's own command is answered only when the test says so (never, for a hung one)
    let answer: () => void = () => undefined;
    services.queue.addWalkIn = () =>
      new Promise((resolve) => {
        answer = () => resolve({ ok: false, error: { code: 'NETWORK_ERROR' } } as never);
      });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    fireEvent.click(screen.getByRole('button', { name: 'add Nour' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(qc.isMutating()).toBe(1);
    // another desk saves a walk-in while this desk's command runs: heard, and held
    await act(async () => {
      await other.addWalkIn(CLINIC, { patientName: 'Salma' });
    });
    await vi.advanceTimersByTimeAsync(0);
    const settle = async () => {
      for (let i = 0; i < 20; i++) await act(() => vi.advanceTimersByTimeAsync(10));
    };
    return { qc, reads, fail: () => answer(), settle };
  }

  it('a command that never settles holds another desk’s change no longer than the limit (fix24b)', async () => {
    try {
      const desk = await hungDesk();
      await act(() => vi.advanceTimersByTimeAsync(HOLD_LIMIT_MS - 100));
      expect(screen.queryByTestId('entry-Salma')).toBeNull(); // still held: the command may bring it
      expect(desk.reads()).toBe(0);
      await act(() => vi.advanceTimersByTimeAsync(100));
      await desk.settle();
      expect(screen.getByTestId('entry-Salma').textContent).toBe('Salma:waiting');
      expect(desk.reads()).toBe(1);
      expect(desk.qc.isMutating()).toBe(1); // the command still hangs
    } finally {
      vi.useRealTimers();
    }
  });

  it('a failed command releases the held change with one load, and the limit adds none (fix24b)', async () => {
    try {
      const desk = await hungDesk();
      await act(() => vi.advanceTimersByTimeAsync(500));
      desk.fail();
      await desk.settle();
      expect(screen.getByTestId('entry-Salma').textContent).toBe('Salma:waiting');
      const afterFailure = desk.reads();
      expect(afterFailure).toBe(1);
      await act(() => vi.advanceTimersByTimeAsync(HOLD_LIMIT_MS * 2));
      await desk.settle();
      expect(desk.reads()).toBe(afterFailure);
    } finally {
      vi.useRealTimers();
    }
  });
});
