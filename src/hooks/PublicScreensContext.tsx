/**
 * Hands the light public screens (tracker, board) their narrow port, built by the composition root
 * (main.tsx) — tests give an in-memory one. Kept apart from ServicesProvider on purpose: those screens
 * must not download the application services, supabase-js or react-query.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { PublicScreensRepository } from '../services/queue/repositories/PublicScreensRepository';

/**
 * The port, loaded on first use: its adapter (and the zod core it validates with) is not part of the app's
 * entry chunk, which every screen downloads; the tracker and board routes preload it with their page.
 */
export type LoadPublicScreens = () => Promise<PublicScreensRepository>;

const PublicScreensContext = createContext<LoadPublicScreens | null>(null);

export function PublicScreensProvider({ load, children }: { load: LoadPublicScreens; children: ReactNode }) {
  return <PublicScreensContext.Provider value={load}>{children}</PublicScreensContext.Provider>;
}

export function usePublicScreens(): LoadPublicScreens {
  const r = useContext(PublicScreensContext);
  if (!r) throw new Error('usePublicScreens: wrap the app in <PublicScreensProvider>');
  return r;
}
