/**
 * The application services (QueueService …) for the staff screens, composed over the same supabase-js
 * client. Loaded with the staff screens only, so the patient tracker and the board stay light.
 */
import { use, type ReactNode } from 'react';
import { ServicesProvider } from '../ServicesContext';
import { createBrowserServices } from '../../services/composition/browser';
import { SupabaseSmsChannel } from '../../services/notification/channels';
import type { AppServices } from '../../services/composition/AppServices';
import { useBackend } from './backend';

const cache = new WeakMap<object, Promise<AppServices>>();

/** Suspends until the full client is loaded, then provides the services (one instance per backend). */
export function StaffServices({ children }: { children: ReactNode }) {
  const backend = useBackend();
  let pending = cache.get(backend);
  if (!pending) {
    // Patients are messaged right after each saved step through the send-sms edge function; the server's
    // outbox sweep only catches up on what a closed browser left owed (same idempotency key, sent once).
    pending = backend
      .full()
      .then((supabase) => createBrowserServices({ supabase, smsChannel: new SupabaseSmsChannel(supabase) }));
    cache.set(backend, pending);
  }
  const services = use(pending);
  return <ServicesProvider services={services}>{children}</ServicesProvider>;
}
