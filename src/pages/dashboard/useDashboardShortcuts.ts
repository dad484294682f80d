/**
 * Keyboard shortcuts of the desk: N call next, W walk-in, E emergency, / search, ? help.
 *
 * The keys are listened to from the moment the URL is /staff (components/router.tsx, in the app's entry: right after
 * signing in the staff screen's chunk is still loading), through the staff screen's loading (DashboardPage,
 * while the session, the membership and the queue still load), not only once the desk has its data: a key pressed that early was
 * lost before (a receptionist who pressed E right after signing in got nothing; CI run28). Such a key is kept
 * and run once the desk is ready (an early N calls next as soon as the queue is there: the server still picks
 * who is next).
 */
import { useEffect, useRef } from 'react';
import { deskScreenMounted, takeDeskKeys } from '../../components/router';

export interface ShortcutActions {
  callNext: () => void;
  walkIn: () => void;
  emergency: () => void;
  search: () => void;
  help: () => void;
}

/** The staff screen is showing (the desk may still be loading): a kept key dies with it. */
export function useEarlyDeskKeys(): void {
  useEffect(() => deskScreenMounted(), []);
}

/**
 * The desk takes the keys once `ready` (its queue is shown); ignored while typing, with a modifier, or while
 * a dialog is open. A key pressed before runs now.
 */
export function useDashboardShortcuts(ready: boolean, enabled: boolean, actions: ShortcutActions): void {
  const latest = useRef({ enabled, actions });
  latest.current = { enabled, actions };
  useEarlyDeskKeys();
  useEffect(() => {
    if (!ready) return;
    const run = (key: string) => {
      const { enabled: on, actions: a } = latest.current;
      const keys: Record<string, () => void> = {
        n: a.callNext,
        w: a.walkIn,
        e: a.emergency,
        '/': a.search,
        '?': a.help,
      };
      if (on) keys[key]?.();
      return on;
    };
    return takeDeskKeys(run);
  }, [ready]);
}
