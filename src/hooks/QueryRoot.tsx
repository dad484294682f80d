/**
 * QueryRoot — the one composition of the browser app for the hooks: react-query and the application services
 * (services/composition/browserApp). Loaded lazily with the screens that use it, so the tracker does not
 * download supabase-js. Staff screens get the same services plus the SMS channel (<StaffServicesScope>).
 */
import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { appServices, staffAppServices } from '../services/composition/browserApp';
import { useBackendConfig } from './BackendConfig';
import { ServicesProvider } from './ServicesContext';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true, staleTime: 2_000 } },
});

export default function AppServicesRoot({ children }: { children: ReactNode }) {
  const config = useBackendConfig();
  return (
    <QueryClientProvider client={queryClient}>
      <ServicesProvider services={appServices(config)}>{children}</ServicesProvider>
    </QueryClientProvider>
  );
}

/** The staff screens' services: the same client; patients are messaged after each saved step. */
export function StaffServicesScope({ children }: { children: ReactNode }) {
  const config = useBackendConfig();
  return <ServicesProvider services={staffAppServices(config)}>{children}</ServicesProvider>;
}
