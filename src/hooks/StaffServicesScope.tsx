/** The staff screens' services: the same supabase-js client, plus the SMS channel (patients are messaged after each saved step). */
import type { ReactNode } from 'react';
import type { AppServices } from '../services/composition/AppServices';
import { useBackendConfig } from './BackendConfig';
import { ServicesProvider } from './ServicesContext';

const loaded = new Map<string, Promise<AppServices>>();

export function StaffServicesScope({ children }: { children: ReactNode }) {
  const config = useBackendConfig();
  let services = loaded.get(config.supabaseUrl);
  if (!services) {
    services = import('../services/composition/browserApp').then((m) => m.staffAppServices(config));
    loaded.set(config.supabaseUrl, services);
  }
  return <ServicesProvider services={services}>{children}</ServicesProvider>;
}
