/** Hands a composition root's services to the hooks. Components never see repositories or supabase-js. */
import { createContext, useContext, type ReactNode } from 'react';
import type { AppServices } from '../services/composition/AppServices';

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices: wrap the app in <ServicesProvider>');
  return s;
}
