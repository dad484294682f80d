/**
 * Hooks of the two light public screens, over their narrow port (PublicScreensRepository), without
 * react-query (the tracker must stay ≤ 80 KiB gzipped on a cheap phone):
 * - useTrackedVisit: the visit behind a private link, live;
 * - useVisitActions: "I'm running late" and check-in;
 * - useWaitingBoard: a clinic's waiting-room board, live.
 * Live = one read on load, then a reload only when the clinic's queue of that day really changed (the
 * realtime event carries the queue's version; an event with the version already shown is ignored), one read
 * at a time however many changes arrive (oneLoadAtATime, shared with the desk's useQueueRealtime) — or when the
 * queue row was touched at the same version (its updated_at: the stored estimates changed what a patient is
 * shown, flake22), so the phone shows the estimate the desk shows without waiting for the next step. A desk's
 * command stores the new version's estimates right after its save (QueueService.storeEstimates), which touches
 * the row again: the tracker waits for that touch (at most TOUCH_GRACE_MS) and reads once — the new place in line
 * and the new estimate together — instead of reading at the bump and again at the touch (trk22: one read per
 * change; bench:web had counted ≈ 3 REST reads per change, two requests per read). Since trk25 the store itself
 * pushes each waiting visit whose tracker would show something else what it shows (its place in line, estimate,
 * doctor, pause — a Realtime broadcast on the topic its read names, repo.visitFeed, on the feed's socket): the tracker renders
 * that at the store's commit and reads nothing; the bump and touch of a pushed version read nothing either. A visit
 * the store does not push (its state unchanged, or it left the line) reads at the touch as before. The board
 * does not even reload: its event carries the new board (`public.waiting_boards`), rendered as it comes
 * (issue 14: queue change → board in < 300 ms). After (re)joining the channel, one tiny version read says
 * whether a change was missed meanwhile.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../services/shared/AppError';
import type { Result } from '../services/shared/Result';
import type {
  BoardClinic,
  ScreenClock,
  TrackedVisit,
  WaitingBoard,
} from '../services/queue/api/publicScreens';
// the pure clinic-clock model alone (no zod, no service): the light screens stay light
import { clinicDayOf, formatClinicTime, type ClinicOffsets } from '../services/clinic/models/ClinicTime';
import { AppErrorException } from './AppErrorException';
import type {
  BoardChange,
  PublicScreensRepository,
} from '../services/queue/repositories/PublicScreensRepository';
import type { FeedStatus, QueueChange } from '../services/queue/repositories/QueueChangeFeed';
import { usePublicScreens } from './PublicScreensContext';
import { oneLoadAtATime, type LoadLoop } from './oneLoadAtATime';

export type { BoardClinic, TrackedVisit, WaitingBoard };
export type { VisitStatusName } from '../services/queue/api/publicScreens';

/** Clinic times of a light screen, formatted with the server's offsets (never the browser's zone rules). */
export interface ScreenTime {
  /** the clinic's today, by the server's clock when it answered */
  readonly today: string;
  /** HH:mm of an instant on the clinic's wall clock */
  time(instant: string): string;
  /** the clinic's calendar day of an instant */
  dayOf(instant: string): string;
}
export function screenTime(clock: ScreenClock, lng: string): ScreenTime {
  const offsets: ClinicOffsets = {
    offsets: clock.offsets.map((o) => ({ from: o.from, offsetMinutes: o.offset_minutes })),
  };
  return {
    today: clock.today,
    time: (instant) => formatClinicTime(offsets, instant, lng),
    dayOf: (instant) => clinicDayOf(offsets, instant),
  };
}

export interface Remote<T> {
  data: T | undefined;
  error: AppErrorException | null;
  isPending: boolean;
  isError: boolean;
}
const PENDING = { data: undefined, error: null, isPending: true, isError: false } as const;

interface LiveFeed<C extends QueueChange> {
  subscribe(
    clinicId: string,
    handlers: { onChange(change: C): void; onStatus?(status: FeedStatus): void },
  ): () => void;
}

/**
 * Keeps `read()` live for a clinic's queue: on a change of another version of the day shown, applies what
 * the change carries (`applyPushed`, when it can) or reloads; reloads after a (re)subscription when that
 * version moved. Changes of other days are ignored, unless `followNewDay` (the board: after midnight, the
 * new day's queue is the one to show — read afresh, the server says which day is today).
 */
function useLiveQueue<T, C extends QueueChange = QueueChange>(
  read: (() => Promise<Result<T, AppError>>) | null,
  versionOf: (t: T) => number | null,
  dayOf: (t: T) => string,
  clinicOf: (t: T) => string,
  followNewDay: boolean,
  feedOf: (repo: PublicScreensRepository) => LiveFeed<C> = (repo) => repo.feed as unknown as LiveFeed<C>,
  applyPushed?: (shown: T, change: C) => T,
  /** after a new version, wait this long for the touch that stores its estimates before reading (the tracker) */
  awaitTouchMs?: number,
  /**
   * trk25: what the estimates store pushes to this screen (the tracker's own visit): `merge` makes the shown data
   * of `version` from what is shown, or null when the push cannot say it all (then read, as at a touch)
   */
  pushes?: (
    repo: PublicScreensRepository,
    shown: T,
    onPush: (version: number, merge: (shown: T) => T | null) => void,
    onStatus: (status: FeedStatus) => void,
  ) => (() => void) | undefined,
): Remote<T> & { refetch: () => void } {
  const port = usePublicScreens();
  const [state, setState] = useState<Remote<T>>(PENDING);
  const seq = useRef(0);
  const shown = useRef<{ version: number | null; day: string } | null>(null);
  // the queue row's updated_at last heard (QueueChange.touchedAt)
  const lastTouch = useRef<string | null>(null);
  // a new version heard, its read held back until its estimates' touch (or TOUCH_GRACE_MS)
  const awaiting = useRef<{ version: number; timer: ReturnType<typeof setTimeout> } | null>(null);
  // the version last rendered from a push: its bump and touch need no read
  const pushedVersion = useRef<number | null>(null);
  // fix25b (F4): the newest version the queue feed announced (of its day): a push older than it is behind a read
  const heard = useRef<{ version: number; day: string } | null>(null);
  const data = useRef<T | undefined>(undefined);
  data.current = state.data;
  const picks = { versionOf, dayOf, feedOf, applyPushed, awaitTouchMs, pushes };
  const pick = useRef(picks);
  pick.current = picks;
  // one read at a time (oneLoadAtATime): a burst of queue changes costs the phone at most two reads
  const loop = useRef<LoadLoop | null>(null);
  useEffect(() => {
    if (!read) return undefined;
    const l = oneLoadAtATime(async () => {
      const n = ++seq.current;
      const r = await read();
      if (n !== seq.current) return true; // superseded by a pushed change: what it read is older
      if (r.ok) {
        shown.current = { version: pick.current.versionOf(r.value), day: pick.current.dayOf(r.value) };
        setState({ data: r.value, error: null, isPending: false, isError: false });
      } else {
        // a failed reload keeps what is shown; a failed first load is an error
        setState((s) =>
          s.data
            ? s
            : { data: undefined, error: new AppErrorException(r.error), isPending: false, isError: true },
        );
      }
      return r.ok;
    });
    loop.current = l;
    l.request();
    return () => {
      l.stop();
      if (loop.current === l) loop.current = null;
    };
  }, [read]);
  const load = useCallback(() => loop.current?.request(), []);

  const day = state.data ? dayOf(state.data) : undefined;
  const clinicId = state.data ? clinicOf(state.data) : undefined;
  useEffect(() => {
    if (!clinicId || !day) return;
    let stopped = false;
    let off: (() => void) | null = null;
    const flush = () => {
      clearTimeout(awaiting.current?.timer);
      awaiting.current = null;
      load();
    };
    const checkVersion = () =>
      void port()
        .then((repo) => repo.queueVersion(clinicId, day))
        .then((r) => {
          if (!stopped && r.ok && r.value !== (shown.current?.version ?? 0)) load();
        });
    const subscribe = (repo: PublicScreensRepository) =>
      pick.current.feedOf(repo).subscribe(clinicId, {
        onChange(change) {
          const s = shown.current;
          const touched = change.touchedAt;
          // a touch later than the last one heard (a replayed older row is not one)
          const newTouch = touched !== undefined && isLater(touched, lastTouch.current);
          if (newTouch) lastTouch.current = touched;
          const last = heard.current;
          if (!last || last.day !== change.day || change.version > last.version)
            heard.current = { version: change.version, day: change.day };
          if (s && change.day === s.day && change.version === s.version) {
            // the same version, the row touched: the stored estimates changed what a patient is shown (flake22;
            // store_queue_estimates touches the row only then) — re-read; else already shown. Not when this version
            // was pushed: the store pushes this visit whatever changed for it (trk25)
            if (newTouch && pushedVersion.current !== s.version) flush();
            return;
          }
          // a push already rendered a later version: this older bump or touch is behind it
          if (s && change.day === s.day && s.version !== null && change.version < s.version) return;
          if (s && change.day !== s.day && !(followNewDay && change.day > s.day)) return; // another day's queue
          const wait = pick.current.awaitTouchMs;
          if (
            wait !== undefined &&
            s &&
            change.day === s.day &&
            s.version !== null &&
            change.version > s.version
          ) {
            const held = awaiting.current;
            if (!held) {
              // a new version: its estimates are stored next (the desk's command, right after its save)
              awaiting.current = { version: change.version, timer: setTimeout(flush, wait) };
            } else if (change.version > held.version)
              held.version = change.version; // same deadline
            // the touch that stored them (a duplicate of the bump has the same updated_at)
            else if (newTouch && change.version === held.version) flush();
            return;
          }
          const apply = pick.current.applyPushed;
          if (apply && s && change.day === s.day && s.version !== null && change.version > s.version) {
            // the event carries the new state: render it, no round trip; a reload in flight is superseded
            seq.current++;
            shown.current = { version: change.version, day: change.day };
            setState((prev) =>
              prev.data
                ? { data: apply(prev.data, change), error: null, isPending: false, isError: false }
                : prev,
            );
            return;
          }
          load();
        },
        onStatus(status) {
          if (status === 'subscribed') checkVersion();
        },
      });
    let offPushes: (() => void) | null = null;
    const onPush = (version: number, merge: (shown: T) => T | null) => {
      const s = shown.current;
      const cur = data.current;
      if (stopped || !s || !cur || s.version === null || version < s.version) return; // older than shown
      // fix25b (F4): older than a version heard (its read held or in flight): rendering it would discard that read
      const last = heard.current;
      if (last && last.day === s.day && version < last.version) return;
      const next = merge(cur);
      if (!next) return flush(); // the push cannot say it all (the visit left the line, went late …): read
      if (awaiting.current && awaiting.current.version <= version) {
        clearTimeout(awaiting.current.timer); // the held version is rendered: nothing to read for it
        awaiting.current = null;
      }
      seq.current++; // a read in flight is older
      pushedVersion.current = version;
      shown.current = { version, day: s.day };
      setState({ data: next, error: null, isPending: false, isError: false });
    };
    // fix25b (F3): while the push channel is down a same-version re-store is missed: its touch must be read again
    // (pushedVersion null), and after a rejoin what was missed meanwhile is read
    let pushDropped = false;
    const onPushStatus = (status: FeedStatus) => {
      if (stopped) return;
      if (status === 'disconnected') {
        pushedVersion.current = null;
        pushDropped = true;
      } else if (status === 'subscribed' && pushDropped) {
        pushDropped = false;
        load();
      }
    };
    void port().then((repo) => {
      if (stopped) return;
      off = subscribe(repo);
      offPushes = pick.current.pushes?.(repo, data.current!, onPush, onPushStatus) ?? null;
    });
    const onVisible = () => document.visibilityState === 'visible' && checkVersion();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(awaiting.current?.timer);
      awaiting.current = null;
      off?.();
      offPushes?.();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [port, clinicId, day, load, followNewDay]);
  return { ...state, refetch: load };
}

/** Whether the row's updated_at `t` is later than `last` (unparseable: new). */
const isLater = (t: string, last: string | null): boolean =>
  last === null || !(Date.parse(t) <= Date.parse(last));

/** The visit behind a private tracking link, live. */
export function useTrackedVisit(token: string) {
  const port = usePublicScreens();
  const read = useCallback(() => port().then((r) => r.visit(token)), [port, token]);
  return useLiveQueue(
    read,
    (v: TrackedVisit) => v.queue_version ?? null,
    (v) => v.day,
    (v) => v.clinic.id,
    false,
    undefined,
    undefined,
    TOUCH_GRACE_MS,
    // its topic comes with the read (get_tracker_view's push_topic, sock26)
    (repo, v, onPush, onStatus) =>
      v.push_topic ? repo.visitFeed?.subscribe(v.push_topic, onPush, onStatus) : undefined,
  );
}

/**
 * How long the tracker waits, after a queue change, for the touch that stores the change's estimates before it
 * reads anyway (no desk open: the server's tick stores them later, and that touch is read when it comes). On the
 * stack under a load average of 13 the touch came 0–252 ms after the bump (trk22, bench:web).
 */
export const TOUCH_GRACE_MS = 400;

/**
 * A clinic's waiting-room board by its address (slug or id), live; `clinic` is who it belongs to. With `boardKey`
 * (a screen paired to the clinic, board18) the board may carry names; the pushed row never does, so such a screen
 * re-reads the board with its key on each change instead of rendering the event.
 */
export function useWaitingBoard(slugOrId: string | undefined, boardKey?: string | null) {
  const port = usePublicScreens();
  const [clinic, setClinic] = useState<Remote<BoardClinic>>(PENDING);
  useEffect(() => {
    if (!slugOrId) return;
    let alive = true;
    void port()
      .then((repo) => repo.boardClinic(slugOrId))
      .then((r) => {
        if (!alive) return;
        setClinic(
          r.ok
            ? { data: r.value, error: null, isPending: false, isError: false }
            : { data: undefined, error: new AppErrorException(r.error), isPending: false, isError: true },
        );
      });
    return () => {
      alive = false;
    };
  }, [port, slugOrId]);
  const clinicId = clinic.data?.id;
  const read = useCallback(
    () => port().then((r) => r.board(clinicId!, boardKey)),
    [port, clinicId, boardKey],
  );
  const board = useLiveQueue<WaitingBoard, BoardChange>(
    clinicId ? read : null,
    (b) => b.version,
    (b) => b.day,
    () => clinicId!,
    true,
    (repo) => repo.boardFeed,
    boardKey ? undefined : applyPushedBoard,
  );
  return { clinic, board };
}

const applyPushedBoard = (shown: WaitingBoard, { board: pushed }: BoardChange): WaitingBoard => ({
  ...shown,
  version: pushed.version,
  now_serving: pushed.now_serving,
  next: pushed.next,
  day_status: pushed.day_status,
  paused_rooms: pushed.paused_rooms ?? [],
  intake_closed: pushed.intake_closed ?? false,
});

/**
 * A patient action: `mutate(arg, { onError, onSuccess })`, `isPending` while it runs. One at a time: a call
 * while the previous one runs is ignored (a synchronous ref — a double tap may come before the re-render that
 * disables the button; issue 12).
 */
function useAction<A>(fn: (arg: A) => Promise<Result<unknown, AppError>>, after?: () => void) {
  const [isPending, setPending] = useState(false);
  const running = useRef(false);
  const mutate = useCallback(
    (arg: A, opts: { onError?: (e: AppErrorException) => void; onSuccess?: () => void } = {}) => {
      if (running.current) return;
      running.current = true;
      setPending(true);
      void fn(arg).then((r) => {
        running.current = false;
        setPending(false);
        if (r.ok) {
          after?.();
          opts.onSuccess?.();
        } else opts.onError?.(new AppErrorException(r.error));
      });
    },
    [fn, after],
  );
  return { mutate, isPending };
}

/** "I'm running late" (by the link) and check-in (signed in); each re-reads the visit when done. */
export function useVisitActions(token: string, refetch: () => void) {
  const port = usePublicScreens();
  const late = useAction(
    useCallback(
      (minutes: number | undefined) => port().then((r) => r.reportLate(token, minutes)),
      [port, token],
    ),
    refetch,
  );
  const undoLate = useAction(
    useCallback(() => port().then((r) => r.withdrawLate(token)), [port, token]),
    refetch,
  );
  const checkIn = useAction(
    useCallback((entryId: string) => port().then((r) => r.checkIn(entryId)), [port]),
    refetch,
  );
  return { late, undoLate, checkIn };
}

/** Whether someone is signed in on this device (undefined while reading). */
export function useSignedIn(): boolean | undefined {
  const port = usePublicScreens();
  const [signedIn, setSignedIn] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    void port()
      .then((r) => r.signedIn())
      .then((v) => alive && setSignedIn(v));
    return () => {
      alive = false;
    };
  }, [port]);
  return signedIn;
}
