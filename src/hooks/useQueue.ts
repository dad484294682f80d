/**
 * Queue hooks for staff screens.
 *  - `useQueue(clinicId)`: the day's queue view (react-query), kept current by realtime: a change's entry
 *    rows are applied to the cached view when its version is complete, else the view reloads (one load at a
 *    time, however many changes arrive meanwhile), and so does every (re)subscription, so nothing is lost
 *    across a drop.
 *  - `useQueueService(clinicId)`: every queue command through one mutation (`QueueCommand` values), with an
 *    optimistic update of the cached view that is rolled back when the command fails (and the day re-read);
 *    success puts the saved view in the cache, with no re-read of the day. (It replaces the desk's former `useQueueCommand`: one way to run a command.)
 */
import { useEffect } from 'react';
import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CommandSuccess, QueueEntryView, QueueService, QueueView } from '../services/queue/QueueService';
import type { UndoableStep } from '../services/queue/api';
import type { AppError } from '../services/shared/AppError';
import type { Result } from '../services/shared/Result';
import type { AppServices } from '../services/composition/AppServices';
import { unwrap, type AppErrorException } from './AppErrorException';
import { queueKeys } from './queryKeys';
import { useServices } from './ServicesContext';
import { oneLoadAtATime } from './oneLoadAtATime';
import { QueueDeltas, type DeltaStep, type ShownQueue } from '../services/queue/QueueDeltas';
import { HOLD_LIMIT_MS, holdStep, releasePlan, type HoldEvent } from '../services/queue/CommandHold';

export type { QueueEntryView, QueueView, CommandSuccess } from '../services/queue/QueueService';

export { HOLD_LIMIT_MS } from '../services/queue/CommandHold';

/**
 * Subscribes the screen to the clinic's queue changes and keeps its queue queries current (issues 12, 14).
 * The change travels with the event: the entry rows a change wrote arrive over Realtime with the queue
 * version they belong to, and the queue row's bump says how many there are. When the next version's rows are
 * all here, they are applied to the cached view (QueueService.applyChange: positions and waits recomputed,
 * no request). Anything else — a gap, a missing row, a new walk-in whose name the row does not carry, a
 * change while a load runs — reloads, ONE load at a time (oneLoadAtATime: a burst of changes costs at most
 * two loads), and so does every (re)subscription, so nothing missed while away stays missed.
 */
export function useQueueRealtime(clinicId: string | null | undefined): void {
  const { queueFeed, queue } = useServices();
  const qc = useQueryClient();
  useEffect(() => {
    if (!clinicId) return undefined;
    const dayKey = queueKeys.day(clinicId);
    const cached = () => qc.getQueryData<QueueView>(dayKey);
    const shown = (): ShownQueue | null => {
      const v = cached();
      return v
        ? {
            queueId: v.queue.id,
            version: v.queue.version,
            control: {
              pausedPractitionerIds: v.queue.pausedPractitionerIds ?? [],
              intakeClosedAt: v.queue.intakeClosedAt ?? null,
            },
          }
        : null;
    };
    const deltas = new QueueDeltas();
    let heard = -1; // the newest version of the shown day's queue heard over realtime
    let resync = false; // a (re)subscription: the next load must start after it
    const loads = oneLoadAtATime(
      async () => {
        resync = false;
        await qc.invalidateQueries({ queryKey: queueKeys.clinic(clinicId) });
        const now = shown();
        if (now) deltas.loaded(now);
        return qc.getQueryState(dayKey)?.status !== 'error';
      },
      // changes heard while it ran are covered when it landed at or past them
      () => !resync && (shown()?.version ?? -1) >= heard,
    );
    // a load in flight would overwrite what is applied now: let one more load land instead
    const busy = () => loads.running() || qc.isFetching({ queryKey: dayKey }) > 0;
    // rt24 (issue 14) + fix24b: changes heard while this desk's own command runs are held until it settles (or
    // HOLD_LIMIT_MS), then one load if a version it did not bring was heard — the rule is CommandHold's (pure)
    const commandKey = queueKeys.commands(clinicId);
    const commandRuns = () => qc.isMutating({ mutationKey: commandKey }) > 0;
    let held = false;
    let holdTimer: ReturnType<typeof setTimeout> | undefined;
    const behind = () => (shown()?.version ?? -1) < heard;
    const release = () => {
      clearTimeout(holdTimer);
      holdTimer = undefined;
      const plan = releasePlan(qc.isFetching({ queryKey: dayKey }) > 0, behind());
      if (plan === 'awaitRead')
        void qc.refetchQueries({ queryKey: dayKey }, { cancelRefetch: false }).then(() => {
          if (behind()) loads.request();
        });
      else if (plan === 'load') loads.request();
    };
    /** Feeds the hold what happened; true when the change heard may go on now. */
    const holdOn = (event: HoldEvent): boolean => {
      const [next, action] = holdStep(held, event, commandRuns());
      held = next;
      if (action === 'holdAndLimit') holdTimer = setTimeout(() => holdOn('limitReached'), HOLD_LIMIT_MS);
      else if (action === 'release') release();
      return action === 'proceed';
    };
    const offCommands = qc.getMutationCache().subscribe((event) => {
      if (event.type === 'updated') holdOn('commandsUpdated');
    });
    const step = (d: DeltaStep, status?: 'open' | 'closed') => {
      if (d.kind === 'none') return;
      if (!holdOn('heard')) return;
      const view = cached();
      if (d.kind !== 'apply' || !view || busy()) return loads.request();
      const change = {
        version: d.version,
        rows: d.rows,
        ...(status ? { status } : {}),
        ...(d.control ? { control: d.control } : {}),
      };
      const held = new Set(view.entries.map((e) => e.id));
      if (d.rows.every((r) => held.has(r.id))) {
        const next = queue.applyChange(view, change);
        if (next) qc.setQueryData(dayKey, next);
        else loads.request();
        return;
      }
      // another desk's walk-in or emergency: look up just its name, then apply — unless the screen moved on
      // meanwhile (a load, another change: those reload, and the look-up's answer is dropped)
      void queue.applyChangeWithNames(view, change).then(
        (next) => {
          if (next && cached() === view && !busy()) qc.setQueryData(dayKey, next);
          else if (cached()?.queue.version !== d.version) loads.request();
        },
        () => loads.request(),
      );
    };
    let touched: string | null = null; // the queue row's updated_at last heard (QueueChange.touchedAt)
    const off = queueFeed.subscribe(clinicId, {
      onEntry: (change) => step(deltas.entry(change, shown())),
      onChange: (change) => {
        const view = cached();
        // another day's queue (e.g. a booking for tomorrow)
        if (view && view.queue.day !== change.day) return;
        const touch = change.touchedAt !== undefined && change.touchedAt !== touched;
        if (change.touchedAt !== undefined) touched = change.touchedAt;
        if (!view || view.queue.id === change.queueId) heard = Math.max(heard, change.version);
        // nothing shown yet: the first load may predate this change
        if (!view) return loads.request();
        const d = deltas.queue(change, shown());
        if (
          d.kind === 'none' &&
          touch &&
          view.queue.id === change.queueId &&
          view.queue.version === change.version
        ) {
          // nothing to apply, but the row was touched: stored estimates changed what a patient is shown (time
          // moved a wait across a display step; flake22) — the desk recomputes its waits at this moment (no
          // request), so it shows what the patient's phone now reads
          const next = busy() ? null : queue.applyChange(view, { version: change.version, rows: [] });
          if (next) qc.setQueryData(dayKey, next);
          return;
        }
        step(d, change.status);
      },
      onStatus: (status) => {
        if (status !== 'subscribed') return;
        resync = true;
        loads.request();
      },
    });
    return () => {
      clearTimeout(holdTimer);
      loads.stop();
      off();
      offCommands();
    };
  }, [clinicId, queueFeed, queue, qc]);
}

/**
 * Puts a command's answer (the saved view) in the day's cache instead of re-reading the day (issue 12). A
 * newer version of the same queue that Realtime already applied (another desk saved right after) includes
 * this command's change, so it stays.
 */
export function putSavedView(qc: QueryClient, clinicId: string, view: QueueView): void {
  const key = queueKeys.day(clinicId);
  const shown = qc.getQueryData<QueueView>(key);
  if (shown && shown.queue.id === view.queue.id && shown.queue.version > view.queue.version) return;
  qc.setQueryData(key, view);
}

export const queueQuery = (services: AppServices, clinicId: string | null | undefined) =>
  queryOptions<QueueView, AppErrorException>({
    queryKey: queueKeys.day(clinicId ?? ''),
    queryFn: async () => unwrap(await services.queue.status(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
export function useQueue(clinicId: string | null | undefined, options: { realtime?: boolean } = {}) {
  const services = useServices();
  useQueueRealtime(options.realtime === false ? null : clinicId);
  return useQuery(queueQuery(services, clinicId));
}

/**
 * Every queue command a staff screen sends, as one value: the desk runs them through ONE mutation (one
 * "busy" state, one toast per step).
 */
export type QueueCommand =
  | { type: 'callNext'; practitionerId: string | null; room: string | null }
  | {
      type: 'callSpecific';
      entryId: string;
      practitionerId: string | null;
      room: string | null;
      reason: string;
    }
  | {
      type:
        'start' | 'finish' | 'markAbsent' | 'returnFromAbsence' | 'checkIn' | 'reactivate' | 'runningLate';
      entryId: string;
    }
  | { type: 'cancel'; entryId: string; reason: string | null }
  | { type: 'move'; entryId: string; toPosition: number; reason: string }
  | { type: 'transfer'; entryId: string; practitionerId: string | null; reason: string }
  | { type: 'setPriority'; entryId: string; priority: 'normal' | 'urgent' | 'emergency'; reason: string }
  | {
      type: 'addWalkIn';
      patientName: string;
      phone: string | null;
      practitionerId: string | null;
      appointmentTypeId: string | null;
      priority: 'normal' | 'urgent';
    }
  | {
      type: 'emergency';
      patientName: string;
      phone: string | null;
      practitionerId: string | null;
      reason: string;
    }
  | { type: 'endDay' }
  | { type: 'sweep' }
  /** Undo the desk's last step within the undo window (issue 17); `step` is that step's `undoable`. */
  | { type: 'undo'; step: UndoableStep };

/** The QueueService use case of a command. */
function send(queue: QueueService, c: string, cmd: QueueCommand): Promise<Result<CommandSuccess, AppError>> {
  switch (cmd.type) {
    case 'callNext':
      return queue.callNext(c, { practitionerId: cmd.practitionerId, room: cmd.room });
    case 'callSpecific':
      return queue.callSpecific(c, {
        entryId: cmd.entryId,
        practitionerId: cmd.practitionerId,
        room: cmd.room,
        reason: cmd.reason,
      });
    case 'start':
      return queue.start(c, { entryId: cmd.entryId });
    case 'finish':
      return queue.finish(c, { entryId: cmd.entryId });
    case 'markAbsent':
      return queue.markAbsent(c, { entryId: cmd.entryId });
    case 'returnFromAbsence':
      return queue.returnFromAbsence(c, { entryId: cmd.entryId });
    case 'checkIn':
      return queue.checkIn(c, { entryId: cmd.entryId });
    case 'reactivate':
      return queue.reactivate(c, { entryId: cmd.entryId });
    case 'runningLate':
      return queue.runningLate(c, { entryId: cmd.entryId, source: 'staff' });
    case 'cancel':
      return queue.cancel(c, { entryId: cmd.entryId, reason: cmd.reason });
    case 'move':
      return queue.move(c, { entryId: cmd.entryId, toPosition: cmd.toPosition, reason: cmd.reason });
    case 'transfer':
      return queue.transfer(c, {
        entryId: cmd.entryId,
        practitionerId: cmd.practitionerId,
        reason: cmd.reason,
      });
    case 'setPriority':
      return queue.setPriority(c, { entryId: cmd.entryId, priority: cmd.priority, reason: cmd.reason });
    case 'addWalkIn':
      return queue.addWalkIn(c, {
        patientName: cmd.patientName,
        phone: cmd.phone,
        practitionerId: cmd.practitionerId,
        appointmentTypeId: cmd.appointmentTypeId,
        priority: cmd.priority,
      });
    case 'emergency':
      return queue.insertEmergency(c, {
        patientName: cmd.patientName,
        phone: cmd.phone,
        practitionerId: cmd.practitionerId,
        reason: cmd.reason,
      });
    case 'endDay':
      return queue.endDay(c, {});
    case 'sweep':
      return queue.sweep(c);
    case 'undo':
      return queue.undo(c, { step: cmd.step });
  }
}

type Patch = (e: QueueEntryView, now: string) => Partial<QueueEntryView>;

/** What the cached view shows at once while a command of one entry is saved (null: wait for the save). */
function optimisticPatch(cmd: QueueCommand): { entryId: string; patch: Patch } | null {
  const status =
    (to: QueueEntryView['status'], extra: Patch = () => ({})): Patch =>
    (e, now) => ({ status: to, ...extra(e, now) });
  const patch = ((): Patch | null => {
    switch (cmd.type) {
      case 'callSpecific':
        return (_e, now) => ({ status: 'called', room: cmd.room ?? null, calledAt: now });
      case 'start':
        return status('in_service', (_e, now) => ({ startedAt: now }));
      case 'finish':
        return status('completed', (_e, now) => ({ finishedAt: now }));
      case 'markAbsent':
        return status('absent', (_e, now) => ({ absentAt: now }));
      case 'returnFromAbsence':
        return status('waiting', () => ({ graceEndsAt: null, graceRemainingSeconds: null }));
      case 'runningLate':
        return (_e, now) => ({ late: true, runningLateAt: now });
      case 'checkIn':
        return status('waiting', (_e, now) => ({ checkedInAt: now }));
      case 'cancel':
        return status('cancelled', (_e, now) => ({ cancelledAt: now }));
      case 'reactivate':
        return status('waiting');
      case 'setPriority':
        return () => ({ priority: cmd.priority });
      case 'transfer':
        return () => ({ practitionerId: cmd.practitionerId });
      default:
        return null; // call next, moves, new patients, end of day, sweep: the saved view decides
    }
  })();
  return patch && 'entryId' in cmd ? { entryId: cmd.entryId, patch } : null;
}

/**
 * The queue use cases of one clinic as ONE react-query mutation: `mutate(command, callbacks)`, `isPending`,
 * `variables`, `error: AppErrorException | null`. A command of one entry shows at once in the cached view
 * (optimistic) and is rolled back if it fails; success puts the saved view in the cache; other screens get
 * it by realtime.
 */
export function useQueueService(clinicId: string) {
  const { queue } = useServices();
  const qc = useQueryClient();
  const key = queueKeys.day(clinicId);
  return useMutation<CommandSuccess, AppErrorException, QueueCommand, { previous: QueueView | undefined }>({
    mutationKey: queueKeys.commands(clinicId),
    mutationFn: async (cmd) => unwrap(await send(queue, clinicId, cmd)),
    onMutate: async (cmd) => {
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<QueueView>(key);
      const o = optimisticPatch(cmd);
      if (previous && o) {
        const now = new Date().toISOString();
        qc.setQueryData<QueueView>(key, {
          ...previous,
          entries: previous.entries.map((e) =>
            e.id === o.entryId ? { ...e, ...o.patch(e, now), position: null } : e,
          ),
        });
      }
      return { previous };
    },
    onError: (_error, _cmd, context) => {
      if (context?.previous) qc.setQueryData(key, context.previous);
      // refused or failed: the day may have moved on meanwhile (a conflict, another desk first) — re-read it
      void qc.invalidateQueries({ queryKey: queueKeys.clinic(clinicId) });
    },
    // the command's answer is the saved day: shown as is, no re-read (other screens get it by realtime)
    onSuccess: (result) => putSavedView(qc, clinicId, result.view),
  });
}
