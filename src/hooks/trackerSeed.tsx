/**
 * The visit the server read for the tracker's first view (lcp23): rendered into the HTML and embedded in it, so the
 * browser hydrates that view and its first read answers from it instead of asking for the status again (the
 * composition root wraps the port: seededPublicScreens). The same value as get_tracker_view's, read as anon, in
 * language `lng`. Only the tracker's path loads this module (the tracker's chunk, the server's renderer and
 * src/seededBoot.tsx): the entry every other screen loads carries none of it (issue 14's budgets).
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { TrackedVisit } from '../services/queue/api/publicScreens';
import type { Language } from '../i18n/languages';

export interface TrackerSeed {
  readonly token: string;
  readonly lng: Language;
  readonly visit: TrackedVisit;
}

const SeedContext = createContext<TrackerSeed | null>(null);

export function TrackerSeedProvider({ seed, children }: { seed: TrackerSeed | null; children: ReactNode }) {
  return <SeedContext.Provider value={seed}>{children}</SeedContext.Provider>;
}

/** The server's read of this tracking link, when the page came with one. */
export const useTrackerSeed = (token: string): TrackedVisit | undefined => {
  const seed = useContext(SeedContext);
  return seed?.token === token ? seed.visit : undefined;
};
