// @vitest-environment jsdom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { appError, ErrorCodes } from '../services/shared/AppError';
import { err, ok } from '../services/shared/Result';
import type { PushedBoard, TrackedVisit, WaitingBoard } from '../services/queue/api/publicScreens';
import type { FeedStatus, QueueChange } from '../services/queue/repositories/QueueChangeFeed';
import type {
  BoardChange,
  PublicScreensRepository,
} from '../services/queue/repositories/PublicScreensRepository';
import type { PushedVisit, VisitPushHandler } from '../services/queue/repositories/trackerPush';
import { PublicScreensProvider } from './PublicScreensContext';
import { screenTime, useTrackedVisit, useVisitActions, useWaitingBoard } from './usePublicScreens';

afterEach(cleanup);

const CLOCK = {
  time_zone: 'Africa/Casablanca',
  now: '2026-11-30T09:00:00Z',
  today: '2026-11-30',
  offsets: [{ from: '2026-11-29T09:00:00Z', offset_minutes: 60 }],
};
const visit = (over: Partial<TrackedVisit> = {}): TrackedVisit => ({
  entry_id: 'e1',
  clinic: { id: 'c1', name: 'Anfa', slug: 'anfa', default_language: 'fr', time_zone: 'Africa/Casablanca' },
  day: '2026-11-30',
  ticket: 'A-007',
  status: 'waiting',
  slot_start: null,
  room: null,
  grace_ends_at: null,
  late: false,
  position: 3,
  queue_version: 10,
  clock: CLOCK,
  push_topic: 'tracker:of-good',
  ...over,
});
const board = (over: Partial<WaitingBoard> = {}): WaitingBoard => ({
  clinic: { name: 'Anfa', default_language: 'fr', time_zone: 'Africa/Casablanca' },
  day: '2026-11-30',
  version: 10,
  now_serving: [],
  next: [{ ticket: 'A-007', name: null }],
  ...over,
});

/** An in-memory port: counts reads, lets the test play the server (queue version) and the realtime feed. */
function fakePort(state: {
  visit: TrackedVisit;
  board: WaitingBoard;
  version: number;
  gate?: Promise<void>;
}) {
  const calls = { visit: 0, board: 0, version: 0, late: 0 };
  const subscribers: { onChange(c: QueueChange): void; onStatus?(s: FeedStatus): void }[] = [];
  const boardSubscribers: { onChange(c: BoardChange): void; onStatus?(s: FeedStatus): void }[] = [];
  const visitSubscribers: {
    topic: string;
    onPush: VisitPushHandler;
    onStatus?: ((s: FeedStatus) => void) | undefined;
  }[] = [];
  const repo: PublicScreensRepository = {
    visit: async (token) => {
      calls.visit++;
      await state.gate; // a read held in flight until the test lets it answer
      return token === 'good' ? ok(state.visit) : err(appError(ErrorCodes.NOT_FOUND, 'visit not found'));
    },
    boardClinic: async () =>
      ok({ id: 'c1', slug: 'anfa', name: 'Anfa', time_zone: 'Africa/Casablanca', default_language: 'fr' }),
    boardBranding: async () => ok({ bg: '#0e463f', accent: '#a7f3d0', logo: null, custom: false }),
    board: async () => {
      calls.board++;
      return ok(state.board);
    },
    reportLate: async () => {
      calls.late++;
      return ok(undefined);
    },
    withdrawLate: async () => ok(undefined),
    subscribePush: async () => ok(undefined),
    unsubscribePush: async () => ok(undefined),
    checkIn: async () => err(appError(ErrorCodes.AUTH_REQUIRED, 'sign in')),
    queueVersion: async () => {
      calls.version++;
      return ok(state.version);
    },
    signedIn: async () => false,
    feed: {
      subscribe(_clinicId, handlers) {
        subscribers.push(handlers);
        return () => subscribers.splice(subscribers.indexOf(handlers), 1);
      },
    },
    boardFeed: {
      subscribe(_clinicId, handlers) {
        boardSubscribers.push(handlers);
        return () => boardSubscribers.splice(boardSubscribers.indexOf(handlers), 1);
      },
    },
    visitFeed: {
      subscribe(topic, onPush, onStatus) {
        const sub = { topic, onPush, onStatus };
        visitSubscribers.push(sub);
        return () => visitSubscribers.splice(visitSubscribers.indexOf(sub), 1);
      },
    },
  };
  const wrapper = ({ children }: { children: ReactNode }) => (
    <PublicScreensProvider load={() => Promise.resolve(repo)}>{children}</PublicScreensProvider>
  );
  const joined = () =>
    act(async () => [...subscribers, ...boardSubscribers].forEach((s) => s.onStatus?.('subscribed')));
  /** The realtime event of a waiting_boards row: the board as the change left it. */
  const push = (b: Partial<PushedBoard>) => {
    const row: PushedBoard = {
      queue_id: 'q1',
      clinic_id: 'c1',
      day: '2026-11-30',
      version: state.version,
      day_status: 'open',
      now_serving: [],
      next: [],
      ...b,
    };
    return act(async () =>
      boardSubscribers.forEach((s) =>
        s.onChange({ clinicId: 'c1', queueId: row.queue_id, day: row.day, version: row.version, board: row }),
      ),
    );
  };
  const change = (c: Partial<QueueChange>) =>
    act(async () =>
      subscribers.forEach((s) =>
        s.onChange({ clinicId: 'c1', queueId: 'q1', day: '2026-11-30', version: state.version, ...c }),
      ),
    );
  /**
   * What the estimates store pushes on the visit's own topic (trk25); the merge as the adapter's (trackerPush.test.ts
   * holds that one to what it keeps and refuses; hooks may not import it).
   */
  const pushVisit = (v: Partial<PushedVisit>) => {
    const pv: PushedVisit = {
      queue_version: state.version,
      status: 'waiting',
      position: 3,
      estimate: null,
      desk_paused: false,
      intake_closed: false,
      arrive_by: null,
      late: false,
      late_note: null,
      room: null,
      doctor_name: null,
      ...v,
    };
    return act(async () =>
      visitSubscribers.forEach((s) =>
        s.onPush(pv.queue_version, (shown) => (shown.status !== 'waiting' ? null : { ...shown, ...pv })),
      ),
    );
  };
  return {
    repo,
    calls,
    subscribers,
    boardSubscribers,
    visitSubscribers,
    wrapper,
    joined,
    change,
    push,
    pushVisit,
  };
}

describe('useTrackedVisit (the tracker, live)', () => {
  it('reads the visit once on load: going live re-reads only the queue version, which has not moved', async () => {
    const s = { visit: visit(), board: board(), version: 10 };
    const p = fakePort(s);
    const { result } = renderHook(() => useTrackedVisit('good'), { wrapper: p.wrapper });
    await waitFor(() => expect(result.current.data?.ticket).toBe('A-007'));
    await waitFor(() => expect(p.subscribers).toHaveLength(1));
    await p.joined();
    await waitFor(() => expect(p.calls.version).toBe(1));
    expect(p.calls.visit).toBe(1);
  });

  it('a change missed before going live (version moved) is read once the channel is joined', async () => {
    const s = { visit: visit(), board: board(), version: 10 };
    const p = fakePort(s);
    const { result } = renderHook(() => useTrackedVisit('good'), { wrapper: p.wrapper });
    await waitFor(() => expect(p.subscribers).toHaveLength(1));
    s.version = 11;
    s.visit = visit({ position: 2, queue_version: 11 });
    await p.joined();
    await waitFor(() => expect(result.current.data?.position).toBe(2));
    expect(p.calls.visit).toBe(2);
  });

  it('a queue change re-reads the visit once; an event of the version already shown or of another day does not', async () => {
    const s = { visit: visit(), board: board(), version: 10 };
    const p = fakePort(s);
    const { result } = renderHook(() => useTrackedVisit('good'), { wrapper: p.wrapper });
    await waitFor(() => expect(p.subscribers).toHaveLength(1));
    await p.change({ version: 10 });
    await p.change({ day: '2026-12-01', version: 3 });
    expect(p.calls.visit).toBe(1);
    s.visit = visit({ status: 'called', position: null, room: '2', queue_version: 11 });
    await p.change({ version: 11 });
    await waitFor(() => expect(result.current.data?.status).toBe('called'));
    expect(p.calls.visit).toBe(2);
  });

  it('a refreshed estimate at the same version (the queue row touched) is re-read once per touch (flake22)', async () => {
    const s = { visit: visit({ position: 2 }), board: board(), version: 10 };
    const p = fakePort(s);
    const { result } = renderHook(() => useTrackedVisit('good'), { wrapper: p.wrapper });
    await waitFor(() => expect(result.current.data?.position).toBe(2));
    await waitFor(() => expect(p.subscribers).toHaveLength(1));
    // the desk stored a display that time had moved: same version, the row's updated_at is new
    s.visit = visit({ position: 2, late: true });
    await p.change({ version: 10, touchedAt: '2026-11-30T09:01:00Z' });
    await waitFor(() => expect(result.current.data?.late).toBe(true));
    expect(p.calls.visit).toBe(2);
    // the same event again (a duplicate) reads nothing; an untouched same-version event neither
    await p.change({ version: 10, touchedAt: '2026-11-30T09:01:00Z' });
    await p.change({ version: 10 });
    expect(p.calls.visit).toBe(2);
  });

  it('a pushed change renders the new place in line and estimate without a read; its bump and touch read nothing (trk25)', async () => {
    const s = { visit: visit(), board: board(), version: 10 };
    const p = fakePort(s);
    const { result } = renderHook(() => useTrackedVisit('good'), { wrapper: p.wrapper });
    await waitFor(() => expect(p.subscribers).toHaveLength(1));
    // sock26 (F8): on the topic its read named (get_tracker_view's push_topic), not one computed from the token
    await waitFor(() => expect(p.visitSubscribers.map((v) => v.topic)).toEqual(['tracker:of-good']));
    s.version = 11;
    // the save's bump first (held for the estimates), then the store's push, then its touch of the queue row
    await p.change({ version: 11, touchedAt: '2026-11-30T09:01:00Z' });
    const display = { kind: 'minutes', minutes: 20, low: 15, high: 30 } as const;
    await p.pushVisit({ position: 2, estimate: { display }, doctor_name: 'Dr Amal', room: '3' });
    expect(result.current.data).toMatchObject({
      position: 2,
      estimate: { display },
      doctor_name: 'Dr Amal',
      room: '3',
      queue_version: 11,
      ticket: 'A-007',
    });
    await p.change({ version: 11, touchedAt: '2026-11-30T09:01:01Z' });
    // a push may also come before the save's bump reaches the phone (no RLS check on its way): that bump is old news
    s.version = 12;
    await p.pushVisit({ position: 1 });
    await p.change({ version: 12, touchedAt: '2026-11-30T09:02:00Z' });
    await p.change({ version: 11, touchedAt: '2026-11-30T09:01:02Z' });
    expect(result.current.data?.position).toBe(1);
    expect(p.calls.visit).toBe(1);
    // an older push than what is shown is ignored
    await p.pushVisit({ queue_version: 11, position: 5 });
    expect(result.current.data?.position).toBe(1);
    expect(p.calls.visit).toBe(1);
  });

  it('a push channel dropped and rejoined: a same-version touch meanwhile is read, and the rejoin reads (fix25b F3)', async () => {
    const s = { visit: visit(), board: board(), version: 10 };
    const p = fakePort(s);
    const { result } = renderHook(() => useTrackedVisit('good'), { wrapper: p.wrapper });
    await waitFor(() => expect(p.subscribers).toHaveLength(1));
    await waitFor(() => expect(p.visitSubscribers).toHaveLength(1));
    s.version = 11;
    await p.pushVisit({ position: 2 });
    expect(result.current.data).toMatchObject({ position: 2, queue_version: 11 });
    expect(p.calls.visit).toBe(1);
    const pushStatus = (st: FeedStatus) =>
      act(async () => p.visitSubscribers.forEach((v) => v.onStatus?.(st)));
    await pushStatus('disconnected');
    // the estimates re-stored at the same version: its push is lost while the channel is down, its touch is read
    const display = { kind: 'minutes', minutes: 25, low: 20, high: 35 } as const;
    s.visit = visit({ position: 2, queue_version: 11, estimate: { display } });
    await p.change({ version: 11, touchedAt: '2026-11-30T09:03:00Z' });
    await waitFor(() => expect(result.current.data?.estimate).toEqual({ display }));
    expect(p.calls.visit).toBe(2);
    // the channel back: what it may have missed meanwhile (no touch heard) is read once
    await pushStatus('subscribed');
    await waitFor(() => expect(p.calls.visit).toBe(3));
  });

  it('a push older than a version heard does not discard the read of that version in flight (fix25b F4)', async () => {
    let release = () => {};
    const s: Parameters<typeof fakePort>[0] = { visit: visit(), board: board(), version: 10 };
    const p = fakePort(s);
    const { result } = renderHook(() => useTrackedVisit('good'), { wrapper: p.wrapper });
    await waitFor(() => expect(result.current.data?.queue_version).toBe(10));
    await waitFor(() => expect(p.visitSubscribers).toHaveLength(1));
    s.version = 11;
    s.visit = visit({ position: 2, queue_version: 11 });
    s.gate = new Promise<void>((r) => (release = r));
    // version 11's bump (held for its estimates), then its touch: the read of 11 goes out and is held in flight
    await p.change({ version: 11, touchedAt: '2026-11-30T09:01:00Z' });
    await p.change({ version: 11, touchedAt: '2026-11-30T09:01:01Z' });
    await waitFor(() => expect(p.calls.visit).toBe(2));
    // a late push of version 10 (the one shown) arrives meanwhile: behind what was heard
    await p.pushVisit({ queue_version: 10, position: 3 });
    await act(async () => release());
    await waitFor(() => expect(result.current.data).toMatchObject({ position: 2, queue_version: 11 }));
  });

  it('a push that cannot say it all (the visit is not waiting) is read instead (trk25); a note comes with its push (sock26)', async () => {
    const s = { visit: visit({ status: 'absent', position: null }), board: board(), version: 10 };
    const p = fakePort(s);
    const { result } = renderHook(() => useTrackedVisit('good'), { wrapper: p.wrapper });
    await waitFor(() => expect(p.visitSubscribers).toHaveLength(1));
    s.version = 11;
    s.visit = visit({ status: 'waiting', position: 4, queue_version: 11 });
    await p.pushVisit({ position: 4 });
    await waitFor(() => expect(result.current.data?.status).toBe('waiting'));
    expect(p.calls.visit).toBe(2);
    // mreview25 F10: the running-late note travels with the push — gone late, then another amount (the flag still
    // true): each renders without a read (before: a push kept the note last read, stale once the amount changed)
    const note = (minutes: number) => ({
      minutes,
      reported_at: '2026-11-30T09:00:00Z',
      until: `2026-11-30T09:${minutes}:00Z`,
    });
    s.version = 12;
    await p.pushVisit({ position: 4, late: true, late_note: note(10) });
    expect(result.current.data).toMatchObject({ late: true, late_note: note(10), queue_version: 12 });
    s.version = 13;
    await p.pushVisit({ position: 4, late: true, late_note: note(20) });
    expect(result.current.data).toMatchObject({ late: true, late_note: note(20), queue_version: 13 });
    expect(p.calls.visit).toBe(2);
  });

  it('a view without a push topic (a server before sock26) joins no push channel and reads at the touch', async () => {
    const s = { visit: visit({ push_topic: null }), board: board(), version: 10 };
    const p = fakePort(s);
    const { result } = renderHook(() => useTrackedVisit('good'), { wrapper: p.wrapper });
    await waitFor(() => expect(p.subscribers).toHaveLength(1));
    expect(p.visitSubscribers).toHaveLength(0);
    s.version = 11;
    s.visit = visit({ push_topic: null, position: 2, queue_version: 11 });
    await p.change({ version: 11 });
    await p.change({ version: 11, touchedAt: '2026-11-30T09:01:00Z' });
    await waitFor(() => expect(result.current.data?.position).toBe(2));
    expect(p.calls.visit).toBe(2);
  });

  it('an unknown link is a coded error (NOT_FOUND), not a crash', async () => {
    const p = fakePort({ visit: visit(), board: board(), version: 10 });
    const { result } = renderHook(() => useTrackedVisit('nope'), { wrapper: p.wrapper });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.code).toBe(ErrorCodes.NOT_FOUND);
  });

  it('"I\'m running late" calls the port and re-reads; a refused check-in reaches onError with its code', async () => {
    const p = fakePort({ visit: visit(), board: board(), version: 10 });
    let refetched = 0;
    const { result } = renderHook(() => useVisitActions('good', () => refetched++), { wrapper: p.wrapper });
    await act(async () => result.current.late.mutate(undefined));
    await waitFor(() => expect(refetched).toBe(1));
    expect(p.calls.late).toBe(1);
    let code: string | undefined;
    await act(async () => result.current.checkIn.mutate('e1', { onError: (e) => (code = e.code) }));
    await waitFor(() => expect(code).toBe(ErrorCodes.AUTH_REQUIRED));
    expect(refetched).toBe(1);
  });
});

describe('useWaitingBoard (the waiting-room board, live)', () => {
  it('renders the board each change carries without reading it again, and reads the next day afresh after midnight', async () => {
    const s = { visit: visit(), board: board(), version: 10 };
    const p = fakePort(s);
    const { result } = renderHook(() => useWaitingBoard('anfa'), { wrapper: p.wrapper });
    await waitFor(() => expect(result.current.board.data?.version).toBe(10));
    await waitFor(() => expect(p.boardSubscribers).toHaveLength(1));
    expect(p.subscribers).toHaveLength(0); // the board listens to its own rows, not to the bare queue version
    await p.joined();
    await waitFor(() => expect(p.calls.version).toBe(1));
    expect(p.calls.board).toBe(1);
    await p.push({ version: 11, now_serving: [{ ticket: 'A-007', room: '2', name: null }], next: [] });
    await waitFor(() =>
      expect(result.current.board.data?.now_serving).toEqual([{ ticket: 'A-007', room: '2', name: null }]),
    );
    expect(result.current.board.data).toMatchObject({ version: 11, next: [], day_status: 'open' });
    // the version already shown (a duplicate or late event) changes nothing
    await p.push({ version: 11, now_serving: [], next: [{ ticket: 'A-009', name: null }] });
    expect(result.current.board.data?.next).toEqual([]);
    // End day: the closed day comes with the event too
    await p.push({ version: 12, day_status: 'closed', now_serving: [], next: [] });
    await waitFor(() => expect(result.current.board.data?.day_status).toBe('closed'));
    expect(p.calls.board).toBe(1);
    // after midnight the new day's first change: read afresh (the server says which day is today)
    s.board = board({ day: '2026-12-01', version: 1, next: [] });
    await p.push({ day: '2026-12-01', version: 1 });
    await waitFor(() => expect(result.current.board.data?.day).toBe('2026-12-01'));
    expect(p.calls.board).toBe(2);
  });
});

describe('screenTime', () => {
  it("formats clinic times with the server's offsets, whatever zone rules the browser has", () => {
    // the server says UTC+1; a UTC+0 offset would read 08:30 (what a stale-rules browser shows)
    const clinic = screenTime(CLOCK, 'en');
    expect(clinic.time('2026-11-30T08:30:00Z')).toBe('09:30');
    expect(
      screenTime({ ...CLOCK, offsets: [{ from: CLOCK.offsets[0]!.from, offset_minutes: 0 }] }, 'en').time(
        '2026-11-30T08:30:00Z',
      ),
    ).toBe('08:30');
    // 23:30 UTC is already tomorrow in the clinic
    expect(clinic.dayOf('2026-11-30T23:30:00Z')).toBe('2026-12-01');
    expect(clinic.today).toBe('2026-11-30');
  });
});
