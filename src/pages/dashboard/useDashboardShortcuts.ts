/**
 * Keyboard shortcuts of the desk: N call next, W walk-in, E emergency, / search, ? help.
 *
 * The keys are listened to from the moment the staff screen shows (DashboardPage, while the session, the
 * membership and the queue still load), not only once the desk has its data: a key pressed that early was
 * lost before (a receptionist who pressed E right after signing in got nothing; CI run28). Such a key is kept
 * and run once the desk is ready (an early N calls next as soon as the queue is there: the server still picks
 * who is next).
 */
import { useEffect, useRef } from 'react';

export interface ShortcutActions {
  callNext: () => void;
  walkIn: () => void;
  emergency: () => void;
  search: () => void;
  help: () => void;
}

let desk: ((key: string) => boolean) | null = null;
let early: string | null = null;

const onKey = (ev: KeyboardEvent) => {
  const el = ev.target as HTMLElement;
  const key = ev.key.toLowerCase();
  if (ev.ctrlKey || ev.metaKey || ev.altKey || !'nwe/?'.includes(key) || key.length !== 1) return;
  if (el.closest?.('input, textarea, select, [contenteditable="true"], dialog')) return;
  if (desk ? desk(key) : (early = key)) {
    if (key !== '?') ev.preventDefault();
  }
};

let listeners = 0;

/** Listens from the staff screen's first render (the desk may still be loading); a kept key dies with it. */
export function useEarlyDeskKeys(): void {
  useEffect(() => {
    if (!listeners++) window.addEventListener('keydown', onKey);
    return () => {
      if (--listeners) return;
      window.removeEventListener('keydown', onKey);
      early = null;
    };
  }, []);
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
    desk = run;
    if (early) run(early);
    early = null;
    return () => {
      if (desk === run) desk = null;
    };
  }, [ready]);
}
