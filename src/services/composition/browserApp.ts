/**
 * The browser app's composition (loaded with the screens that use services, never by the tracker): one
 * supabase-js client per backend, the services over it, and the staff variant that also messages
 * patients after each saved step (a patient's browser never sends SMS).
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { AppServices } from './AppServices';
import { createBrowserServices } from './browser';
import { notifyLater } from './notifyLater';

export interface BackendAddress {
  readonly supabaseUrl: string;
  readonly supabaseAnonKey: string;
  /** The app's public address (tracking links); absent → the page's own origin. */
  readonly publicUrl?: string;
}

import { AUTH_STORAGE_KEY } from './authStorageKey';
import { tracedFetch } from '../shared/trace';
export { AUTH_STORAGE_KEY };

/**
 * A supabase-js client of a backend as the screens use it: its own auth (session kept in localStorage and
 * refreshed). Realtime joins as the signed-in user through shared/repositories/realtimeAuth
 * (test/integration/realtimeAuth.test.ts builds its clients here).
 */
export function createBackendClient(c: BackendAddress): SupabaseClient {
  return createClient(c.supabaseUrl, c.supabaseAnonKey, {
    // every request carries a W3C traceparent, so the server's log lines of the call share its id (shared/trace)
    global: { fetch: tracedFetch() },
    auth: {
      persistSession: true,
      autoRefreshToken: true,
      detectSessionInUrl: false,
      storageKey: AUTH_STORAGE_KEY,
    },
  });
}

const clients = new Map<string, SupabaseClient>();
/** The one client per backend of this page. */
const clientFor = (c: BackendAddress): SupabaseClient => {
  let client = clients.get(c.supabaseUrl);
  if (!client) {
    client = createBackendClient(c);
    clients.set(c.supabaseUrl, client);
  }
  return client;
};

const app = new Map<string, AppServices>();
const staff = new Map<string, AppServices>();

export function appServices(c: BackendAddress): AppServices {
  let s = app.get(c.supabaseUrl);
  if (!s) {
    s = createBrowserServices({ supabase: clientFor(c), ...(c.publicUrl ? { publicUrl: c.publicUrl } : {}) });
    app.set(c.supabaseUrl, s);
  }
  return s;
}

export function staffAppServices(c: BackendAddress): AppServices {
  let s = staff.get(c.supabaseUrl);
  if (!s) {
    const supabase = clientFor(c);
    s = createBrowserServices({
      supabase,
      // the notification code loads with the first event, not with the screen (issue 14)
      notify: (bus, queue) =>
        notifyLater(bus, () =>
          import('./staffNotifications').then((m) => m.staffNotifications(supabase, queue)),
        ),
      ...(c.publicUrl ? { publicUrl: c.publicUrl } : {}),
    });
    staff.set(c.supabaseUrl, s);
  }
  return s;
}

/** The signed-in user's access token on this backend (refreshed by supabase-js), or null. */
export async function accessToken(c: BackendAddress): Promise<string | null> {
  const { data } = await clientFor(c).auth.getSession();
  return data.session?.access_token ?? null;
}
