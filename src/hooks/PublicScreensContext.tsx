/**
 * Hands the light public screens (tracker, board) their narrow port, built by the composition root
 * (main.tsx) — tests give an in-memory one. Kept apart from ServicesProvider on purpose: those screens
 * must not download the application services, supabase-js or react-query.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { PublicScreensRepository } from '../services/queue/repositories/PublicScreensRepository';
import type { TrackedVisit } from '../services/queue/api/publicScreens';
import type { Language } from '../i18n/languages';

/**
 * The port, loaded on first use: its adapter (and the zod core it validates with) is not part of the app's
 * entry chunk, which every screen downloads; the tracker and board routes preload it with their page.
 */
export type LoadPublicScreens = () => Promise<PublicScreensRepository>;

const PublicScreensContext = createContext<LoadPublicScreens | null>(null);

/**
 * The visit the server read for the tracker's first view (lcp23): rendered into the HTML and embedded in it, so the
 * browser hydrates that view and its first read answers from it instead of asking for the status again (the
 * composition root wraps the port). The same value as get_tracker_view's, read as anon, in language `lng`.
 */
export interface TrackerSeed {
  readonly token: string;
  readonly lng: Language;
  readonly visit: TrackedVisit;
}
const SeedContext = createContext<TrackerSeed | null>(null);

export function PublicScreensProvider({
  load,
  seed = null,
  children,
}: {
  load: LoadPublicScreens;
  seed?: TrackerSeed | null;
  children: ReactNode;
}) {
  return (
    <PublicScreensContext.Provider value={load}>
      <SeedContext.Provider value={seed}>{children}</SeedContext.Provider>
    </PublicScreensContext.Provider>
  );
}

/** The server's read of this tracking link, when the page came with one. */
export const useTrackerSeed = (token: string): TrackedVisit | undefined => {
  const seed = useContext(SeedContext);
  return seed?.token === token ? seed.visit : undefined;
};

export function usePublicScreens(): LoadPublicScreens {
  const r = useContext(PublicScreensContext);
  if (!r) throw new Error('usePublicScreens: wrap the app in <PublicScreensProvider>');
  return r;
}
