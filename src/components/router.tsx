/**
 * A tiny client-side router (History API + lazy pages). The patient tracker must load in ≤ 120 kB of
 * gzipped JavaScript on a cheap phone, so routing costs a few hundred bytes instead of a library.
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const EVENT = 'qm:navigate';
const subscribe = (cb: () => void) => {
  window.addEventListener('popstate', cb);
  window.addEventListener(EVENT, cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener(EVENT, cb);
  };
};
/** Calls `cb` after every change of the path (a link, navigate(), back/forward); answers the unsubscribe. */
export const onPathChange = subscribe;
const snapshot = () => window.location.pathname + window.location.search;

export function usePath(): string {
  // hydrating the server's first view of a page (the tracker, lcp23): the browser's own path, not '/'
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
  window.scrollTo(0, 0);
}

/** `/t/:token` against `/t/abc` → { token: 'abc' }; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const clean = path.split('?')[0]!.replace(/\/+$/, '') || '/';
  const p = pattern.split('/');
  const s = clean.split('/');
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    const b = s[i]!;
    if (a.startsWith(':')) {
      if (!b) return null;
      params[a.slice(1)] = decodeURIComponent(b);
    } else if (a !== b) return null;
  }
  return params;
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (
      e.defaultPrevented ||
      e.button !== 0 ||
      e.metaKey ||
      e.ctrlKey ||
      e.shiftKey ||
      e.altKey ||
      rest.target
    )
      return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={click} {...rest} />;
}

export function searchParam(name: string): string | null {
  return new URLSearchParams(window.location.search).get(name);
}

/*
 * The desk's key buffer (issue 14). It lives here, in the app's entry, because it must run before the staff
 * screen's chunk has loaded. (Here, not in a module of its own: a new module shared by the entry and the
 * dashboard chunk made the bundler split i18next and the UI kit out of the entry, +1.5 KiB on every route.)
 * It listens from the moment the URL is /staff. Right after signing in the URL is /staff
 * while the screen that shows is still the sign-in form (or the loading fallback); a shortcut pressed then
 * was lost, because the desk's own listener came with the lazy page. Now such a key is kept and run once the
 * desk is ready (see useDashboardShortcuts).
 *
 * - Off /staff, and with no staff screen mounted, nothing is taken: no key is swallowed on another page, and a
 *   kept key is dropped when the URL leaves /staff.
 * - Once the staff screen is mounted its own fields and dialogs keep their keys. Before that, a field on the
 *   screen belongs to the page being left (the password field the receptionist just submitted from), so the
 *   key goes to the desk, not into it.
 */
const KEYS = 'nwe/?';
let desk: ((key: string) => boolean) | null = null;
let early: string | null = null;
let mounted = 0; // staff screens mounted (useEarlyDeskKeys)
let installed = false;

const onStaffRoute = () => matchPath('/staff', window.location.pathname) !== null;

function onKey(ev: KeyboardEvent) {
  if (!mounted && !onStaffRoute()) return;
  const key = ev.key.toLowerCase();
  if (ev.ctrlKey || ev.metaKey || ev.altKey || key.length !== 1 || !KEYS.includes(key)) return;
  const el = ev.target as HTMLElement;
  if (mounted && el.closest?.('input, textarea, select, [contenteditable="true"], dialog')) return;
  if (desk ? desk(key) : (early = key)) {
    if (key !== '?') ev.preventDefault();
  }
}

/** Starts listening (once per window): the app calls it at start; the staff screen again, for its tests. */
export function installDeskKeys(): void {
  if (installed) return;
  installed = true;
  window.addEventListener('keydown', onKey);
  onPathChange(() => {
    if (!onStaffRoute()) early = null;
  });
}

/** The staff screen is mounted (answers its unmount): its fields keep their keys; a kept key dies with it. */
export function deskScreenMounted(): () => void {
  installDeskKeys();
  mounted += 1;
  return () => {
    mounted -= 1;
    if (!mounted) early = null;
  };
}

/** The ready desk takes the keys: a kept one runs now. Answers the release (the desk unmounts or stops). */
export function takeDeskKeys(run: (key: string) => boolean): () => void {
  desk = run;
  const kept = early;
  early = null;
  if (kept) run(kept);
  return () => {
    if (desk === run) desk = null;
  };
}
