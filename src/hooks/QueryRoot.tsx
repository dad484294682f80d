/**
 * QueryRoot — the one composition of the browser app for the hooks: react-query and the application
 * services (services/composition/browserApp, one supabase-js client per backend). The services load with
 * the first hook that needs them (useServices suspends until then), so the tracker (no QueryRoot) and the
 * board (no service hook) never download supabase-js. Staff screens: <StaffServicesScope>.
 */
import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { AppServices } from '../services/composition/AppServices';
import { rememberNamesIn } from '../services/shared/knownNames';
import { useBackendConfig } from './BackendConfig';
import { ServicesProvider } from './ServicesContext';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true, staleTime: 2_000 } },
});
// the names the screens received, so the browser's logger can mask them in free text (issue 19)
queryClient.getQueryCache().subscribe((e) => {
  if (e.type === 'updated' && e.action.type === 'success') rememberNamesIn(e.query.state.data);
});

const loaded = new Map<string, Promise<AppServices>>();

export default function QueryRoot({ children }: { children: ReactNode }) {
  const config = useBackendConfig();
  let services = loaded.get(config.supabaseUrl);
  if (!services) {
    services = import('../services/composition/browserApp').then((m) => m.appServices(config));
    loaded.set(config.supabaseUrl, services);
  }
  return (
    <QueryClientProvider client={queryClient}>
      <ServicesProvider services={services}>{children}</ServicesProvider>
    </QueryClientProvider>
  );
}
