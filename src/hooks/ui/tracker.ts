/**
 * The patient tracker's hooks, without react-query (the tracker must stay ≤ 120 kB gzipped on a cheap
 * phone): the visit by its private link, re-read on every change of the clinic's queue (realtime), and
 * the two things a patient can do from it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useBackend, type SessionUser } from './backend';
import type { VisitStatus } from './patient';

export type { VisitStatus };

export interface Remote<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  isError: boolean;
}

export function useLiveVisit(token: string): Remote<VisitStatus> & { refetch: () => void } {
  const backend = useBackend();
  const [state, setState] = useState<Remote<VisitStatus>>({
    data: undefined,
    error: null,
    isPending: true,
    isError: false,
  });
  const seq = useRef(0);
  const load = useCallback(() => {
    const n = ++seq.current;
    // get_visit_live = get_visit_status + the stored wait estimate, in the same one request
    backend.rpc<VisitStatus>('get_visit_live', { p_tracking_token: token }).then(
      (data) => n === seq.current && setState({ data, error: null, isPending: false, isError: false }),
      (error: unknown) =>
        n === seq.current &&
        setState((s) => (s.data ? s : { data: undefined, error, isPending: false, isError: true })),
    );
  }, [backend, token]);
  useEffect(load, [load]);
  const clinicId = state.data?.clinic.id;
  useEffect(() => {
    if (!clinicId) return;
    return backend.watchQueue(clinicId, load);
  }, [backend, clinicId, load]);
  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && load();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [load]);
  return { ...state, refetch: load };
}

export function useAction<A>(fn: (arg: A) => Promise<unknown>, after?: () => void) {
  const [isPending, setPending] = useState(false);
  const mutate = useCallback(
    (arg: A, opts: { onError?: (e: unknown) => void; onSuccess?: () => void } = {}) => {
      setPending(true);
      fn(arg).then(
        () => {
          setPending(false);
          after?.();
          opts.onSuccess?.();
        },
        (e: unknown) => {
          setPending(false);
          opts.onError?.(e);
        },
      );
    },
    [fn, after],
  );
  return { mutate, isPending };
}

export function useTrackerActions(token: string, refetch: () => void) {
  const backend = useBackend();
  const late = useAction(
    useCallback(() => backend.rpc('report_running_late', { p_tracking_token: token }), [backend, token]),
    refetch,
  );
  const checkIn = useAction(
    useCallback((entryId: string) => backend.rpc('check_in', { p_entry_id: entryId }), [backend]),
    refetch,
  );
  return { late, checkIn };
}

/** The signed-in user (null when nobody is; undefined while reading). */
export function useSessionLite(): SessionUser | null | undefined {
  const backend = useBackend();
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    void backend.auth.current().then((u) => alive && setUser(u));
    return () => {
      alive = false;
    };
  }, [backend]);
  return user;
}
