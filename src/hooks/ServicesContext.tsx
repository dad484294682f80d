/**
 * Hands a composition root's services to the hooks. Components never see repositories or supabase-js.
 * The browser app provides a promise (the services and supabase-js load with the first hook that needs
 * them, so a screen that needs none — the board — never downloads them); tests provide the services.
 */
import { createContext, use, useContext, type ReactNode } from 'react';
import type { AppServices } from '../services/composition/AppServices';

type Provided = AppServices | Promise<AppServices>;
const ServicesContext = createContext<Provided | null>(null);

export function ServicesProvider({ services, children }: { services: Provided; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices: wrap the app in <ServicesProvider>');
  return s instanceof Promise ? use(s) : s;
}
