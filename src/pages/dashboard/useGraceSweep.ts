/**
 * Grace expiry at the desk: when an absent patient's grace period has run out, save the expiry (the
 * queue's sweep) so every screen sees the no-show at once. The database's periodic sweep does the same
 * for clinics with no desk open; this only makes it immediate. Ticks only while someone is absent.
 */
import { useEffect, useRef } from 'react';
import type { QueueView } from '../../hooks/useQueue';
import { useNow } from '../../hooks/useNow';

export function useGraceSweep(view: QueueView | undefined, sweep: () => void): void {
  const absent = (view?.entries ?? []).filter((e) => e.status === 'absent' && e.graceEndsAt);
  const now = useNow(absent.length > 0 ? 1000 : 60_000);
  const swept = useRef(new Set<string>());
  const sweepRef = useRef(sweep);
  sweepRef.current = sweep;
  const due = absent.find((e) => Date.parse(e.graceEndsAt!) <= now && !swept.current.has(e.id));
  useEffect(() => {
    if (!due) return;
    swept.current.add(due.id);
    sweepRef.current();
  }, [due]);
}
