/**
 * The backend's address (Supabase URL + anon key), read once by main.tsx. Light: no client is built
 * here — the services root (AppServicesRoot, loaded with the screens that use it) builds supabase-js.
 */
import { createContext, useContext, type ReactNode } from 'react';

export interface BackendConfig {
  readonly supabaseUrl: string;
  readonly supabaseAnonKey: string;
  /**
   * The address patients' phones reach the app at (deployment config: PUBLIC_URL on the local stack,
   * VITE_PUBLIC_URL in a hosted build): the board's QR code and tracking links. Absent → not configured.
   */
  readonly publicUrl?: string;
  /** Where the browser's logger sends warnings and errors (the local stack's /client-logs). Absent → none. */
  readonly clientLogsUrl?: string;
  /**
   * Web push's VAPID public key (issue 20: config.json `vapidPublicKey` from the local stack, VITE_VAPID_PUBLIC_KEY
   * in a hosted build). Absent → no push: the tracker offers no notification button.
   */
  readonly vapidPublicKey?: string;
}

const BackendConfigContext = createContext<BackendConfig | null>(null);

export function BackendConfigProvider({ config, children }: { config: BackendConfig; children: ReactNode }) {
  return <BackendConfigContext.Provider value={config}>{children}</BackendConfigContext.Provider>;
}

export function useBackendConfig(): BackendConfig {
  const c = useContext(BackendConfigContext);
  if (!c) throw new Error('useBackendConfig: wrap the app in <BackendConfigProvider>');
  return c;
}
