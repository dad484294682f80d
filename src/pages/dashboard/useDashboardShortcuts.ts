/** Keyboard shortcuts of the desk: N call next, W walk-in, E emergency, / search, ? help. */
import { useEffect, useRef } from 'react';

export interface ShortcutActions {
  callNext: () => void;
  walkIn: () => void;
  emergency: () => void;
  search: () => void;
  help: () => void;
}

/** Bound once; ignored while typing, with a modifier, or while a dialog is open. */
export function useDashboardShortcuts(enabled: boolean, actions: ShortcutActions): void {
  const latest = useRef({ enabled, actions });
  latest.current = { enabled, actions };
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const { enabled: on, actions: a } = latest.current;
      const el = ev.target as HTMLElement;
      if (!on || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (el.closest?.('input, textarea, select, [contenteditable="true"], dialog')) return;
      const run: Record<string, () => void> = {
        n: a.callNext,
        w: a.walkIn,
        e: a.emergency,
        '/': a.search,
        '?': a.help,
      };
      const fn = run[ev.key.toLowerCase()];
      if (!fn) return;
      if (ev.key !== '?') ev.preventDefault();
      fn();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
