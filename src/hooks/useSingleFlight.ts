/**
 * One mutation in flight per button or form (issue 12, double submit outside Dialog).
 *
 * Screens disable their button with `busy={m.isPending}`, but react-query publishes `isPending` a macrotask
 * after `mutate` (its notify scheduler), and React re-renders after that: a double click, a held Enter or a
 * double tap on a slow phone sends the command twice before the button is disabled — two bookings, two keys,
 * two invitations, two check-ins. `useSingleFlight(m)` answers the same mutation whose `mutate` ignores a call
 * while its previous one has not settled (a synchronous ref, released when it settles — failure too — so a
 * refused command can be sent again). `isPending` reads true from the first call on.
 *
 * `mutateAsync` is left as it is: its caller holds the promise (Dialog guards on it).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MutateOptions, UseMutationResult } from '@tanstack/react-query';

export function useSingleFlight<TData, TError, TVariables, TContext>(
  m: UseMutationResult<TData, TError, TVariables, TContext>,
): UseMutationResult<TData, TError, TVariables, TContext> {
  const flying = useRef(false);
  // re-render at once with isPending true (react-query's own flag comes a macrotask later)
  const [sent, setSent] = useState(false);
  const send = m.mutate;
  const mutate = useCallback(
    (variables: TVariables, options?: MutateOptions<TData, TError, TVariables, TContext>) => {
      if (flying.current) return;
      flying.current = true;
      setSent(true);
      const release = () => {
        flying.current = false;
        setSent(false);
      };
      send(variables, {
        ...options,
        onSettled: (...args) => {
          release();
          options?.onSettled?.(...args);
        },
      });
    },
    [send],
  );
  // a safety net: if react-query drops the call's own callbacks (the mutation was reset mid-flight), the end of
  // its pending state releases the guard, so the button never stays dead
  const wasPending = useRef(false);
  useEffect(() => {
    if (wasPending.current && !m.isPending) {
      flying.current = false;
      setSent(false);
    }
    wasPending.current = m.isPending;
  }, [m.isPending]);
  return useMemo(
    () =>
      ({ ...m, mutate, isPending: m.isPending || sent }) as UseMutationResult<
        TData,
        TError,
        TVariables,
        TContext
      >,
    [m, mutate, sent],
  );
}
