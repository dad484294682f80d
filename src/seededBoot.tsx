/**
 * The browser's start of a page the server rendered (lcp23: the tracker's first view, with its visit embedded as
 * <script id="qm-seed">). main.tsx loads this module only when the page has that seed, so every other screen's
 * entry carries neither the seed's context nor react-dom's hydration path (issue 14's budgets).
 */
import type { ReactNode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { TrackerSeedProvider, type TrackerSeed } from './hooks/trackerSeed';
import type { Language } from './i18n/languages';

/** The embedded seed, or null when it is missing or unreadable (then the page renders as a static host's). */
export function readSeed(): TrackerSeed | null {
  try {
    return JSON.parse(document.getElementById('qm-seed')?.textContent ?? 'null') as TrackerSeed | null;
  } catch {
    return null;
  }
}

/** Hydrated where the server's markup is in the reader's language; otherwise rendered afresh (from the seed). */
export function mount(root: HTMLElement, app: ReactNode, seed: TrackerSeed | null, lng: Language) {
  const seeded = <TrackerSeedProvider seed={seed}>{app}</TrackerSeedProvider>;
  if (seed?.lng === lng && root.firstElementChild) hydrateRoot(root, seeded);
  else createRoot(root).render(seeded);
}
