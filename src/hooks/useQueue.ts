/**
 * Queue hooks for staff screens.
 *  - `useQueue(clinicId)`: the day's queue view (react-query), kept current by realtime: every change of
 *    the clinic's queue refetches, and so does every (re)subscription, so nothing is lost across a drop.
 *  - `useQueueService(clinicId)`: one mutation per queue command, with an optimistic update of the cached
 *    view that is rolled back when the command fails; success puts the saved view in the cache.
 */
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type {
  AddWalkInRequest,
  CallNextRequest,
  CallSpecificRequest,
  CancelRequest,
  CommandSuccess,
  EndDayRequest,
  EntryRequest,
  InsertEmergencyRequest,
  MoveRequest,
  QueueEntryView,
  QueueView,
  RunningLateRequest,
  SetPriorityRequest,
  TransferRequest,
} from '../services/queue/QueueService';
import type { AppError } from '../services/shared/AppError';
import type { Result } from '../services/shared/Result';
import { unwrap, type AppErrorException } from './AppErrorException';
import { queueKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { QueueEntryView, QueueView, CommandSuccess } from '../services/queue/QueueService';

/** Subscribes the screen to the clinic's queue changes; invalidates the queue queries on change/reconnect. */
export function useQueueRealtime(clinicId: string | null | undefined): void {
  const { queueFeed } = useServices();
  const qc = useQueryClient();
  useEffect(() => {
    if (!clinicId) return undefined;
    return queueFeed.subscribe(clinicId, {
      onChange: (change) => {
        const cached = qc.getQueryData<QueueView>(queueKeys.day(clinicId));
        // another day's queue (e.g. a booking for tomorrow), or our own save already put this version in the cache
        if (cached && cached.queue.day !== change.day) return;
        if (cached && cached.queue.id === change.queueId && cached.queue.version >= change.version) return;
        void qc.invalidateQueries({ queryKey: queueKeys.clinic(clinicId) });
      },
      onStatus: (status) => {
        if (status === 'subscribed') void qc.invalidateQueries({ queryKey: queueKeys.clinic(clinicId) });
      },
    });
  }, [clinicId, queueFeed, qc]);
}

export function useQueue(clinicId: string | null | undefined, options: { realtime?: boolean } = {}) {
  const { queue } = useServices();
  useQueueRealtime(options.realtime === false ? null : clinicId);
  return useQuery<QueueView, AppErrorException>({
    queryKey: queueKeys.day(clinicId ?? ''),
    queryFn: async () => unwrap(await queue.status(clinicId ?? '')),
    enabled: Boolean(clinicId),
  });
}

type Patch = (e: QueueEntryView, now: string) => Partial<QueueEntryView>;

function optimisticEntry(qc: QueueClientLike, clinicId: string, entryId: string, patch: Patch) {
  const key = queueKeys.day(clinicId);
  const previous = qc.getQueryData<QueueView>(key);
  if (previous) {
    const now = new Date().toISOString();
    qc.setQueryData<QueueView>(key, {
      ...previous,
      entries: previous.entries.map((e) =>
        e.id === entryId ? { ...e, ...patch(e, now), position: null } : e,
      ),
    });
  }
  return { previous };
}

type QueueClientLike = Pick<QueryClient, 'getQueryData' | 'setQueryData'>;

/**
 * All queue commands of one clinic. Each member is a react-query mutation (`mutate`, `mutateAsync`,
 * `isPending`, `error: AppErrorException | null` …).
 */
export function useQueueService(clinicId: string) {
  const { queue } = useServices();
  const qc = useQueryClient();
  const key = queueKeys.day(clinicId);

  const make = <I>(
    run: (input: I) => Promise<Result<CommandSuccess, AppError>>,
    optimistic?: (input: I) => { entryId: string; patch: Patch },
  ) =>
    // a hook call: `make` runs a fixed number of times, always in the same order, on every render
    useMutation<CommandSuccess, AppErrorException, I, { previous: QueueView | undefined }>({
      mutationFn: async (input) => unwrap(await run(input)),
      onMutate: async (input) => {
        await qc.cancelQueries({ queryKey: key });
        if (!optimistic) return { previous: qc.getQueryData<QueueView>(key) };
        const o = optimistic(input);
        return optimisticEntry(qc, clinicId, o.entryId, o.patch);
      },
      onError: (_error, _input, context) => {
        if (context?.previous) qc.setQueryData(key, context.previous);
      },
      onSuccess: (result) => {
        qc.setQueryData(key, result.view);
      },
      onSettled: () => qc.invalidateQueries({ queryKey: queueKeys.clinic(clinicId) }),
    });

  const status =
    (to: QueueEntryView['status'], extra: Patch = () => ({})) =>
    (input: { entryId: string }) => ({
      entryId: input.entryId,
      patch: ((e, now) => ({ status: to, ...extra(e, now) })) as Patch,
    });

  return {
    callNext: make((i: CallNextRequest) => queue.callNext(clinicId, i)),
    callSpecific: make(
      (i: CallSpecificRequest) => queue.callSpecific(clinicId, i),
      (i) => ({
        entryId: i.entryId,
        patch: (_e, now) => ({ status: 'called', room: i.room ?? null, calledAt: now }),
      }),
    ),
    start: make(
      (i: EntryRequest) => queue.start(clinicId, i),
      status('in_service', (_e, now) => ({ startedAt: now })),
    ),
    finish: make(
      (i: EntryRequest) => queue.finish(clinicId, i),
      status('completed', (_e, now) => ({ finishedAt: now })),
    ),
    markAbsent: make(
      (i: EntryRequest) => queue.markAbsent(clinicId, i),
      status('absent', (_e, now) => ({ absentAt: now })),
    ),
    returnFromAbsence: make(
      (i: EntryRequest) => queue.returnFromAbsence(clinicId, i),
      status('waiting', () => ({ graceEndsAt: null, graceRemainingSeconds: null })),
    ),
    runningLate: make(
      (i: RunningLateRequest) => queue.runningLate(clinicId, i),
      (i) => ({ entryId: i.entryId, patch: (_e, now) => ({ late: true, runningLateAt: now }) }),
    ),
    checkIn: make(
      (i: EntryRequest) => queue.checkIn(clinicId, i),
      status('waiting', (_e, now) => ({ checkedInAt: now })),
    ),
    cancel: make(
      (i: CancelRequest) => queue.cancel(clinicId, i),
      status('cancelled', (_e, now) => ({ cancelledAt: now })),
    ),
    reactivate: make((i: EntryRequest) => queue.reactivate(clinicId, i), status('waiting')),
    move: make((i: MoveRequest) => queue.move(clinicId, i)),
    transfer: make(
      (i: TransferRequest) => queue.transfer(clinicId, i),
      (i) => ({ entryId: i.entryId, patch: () => ({ practitionerId: i.practitionerId ?? null }) }),
    ),
    setPriority: make(
      (i: SetPriorityRequest) => queue.setPriority(clinicId, i),
      (i) => ({ entryId: i.entryId, patch: () => ({ priority: i.priority }) }),
    ),
    addWalkIn: make((i: AddWalkInRequest) => queue.addWalkIn(clinicId, i)),
    insertEmergency: make((i: InsertEmergencyRequest) => queue.insertEmergency(clinicId, i)),
    endDay: make((i: EndDayRequest) => queue.endDay(clinicId, i)),
  };
}
