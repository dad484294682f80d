/**
 * What messages patients after each saved step from a staff browser (a patient's browser never sends SMS):
 * the NotificationService over the SMS edge function, with "almost your turn" from the queue's view.
 * Loaded on the first event by notifyLater (composition/browserApp.ts), never with a screen.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { NotificationService } from '../notification/NotificationService';
import { SupabaseSmsChannel } from '../notification/channels';
import type { SmsChannel } from '../notification/repositories/NotificationPorts';
import { SupabaseNotificationDirectory } from '../notification/repositories/SupabaseNotificationDirectory';
import type { QueueService } from '../queue/QueueService';
import type { EventBus } from '../shared/EventBus';
import type { Logger } from '../shared/Logger';
import type { AppEvents } from './AppServices';

export function staffNotifications(
  supabase: SupabaseClient,
  queue: QueueService,
  logger?: Logger,
  channel: SmsChannel = new SupabaseSmsChannel(supabase),
): (bus: EventBus<AppEvents>) => () => void {
  // the entries, names, tickets and the clinic of the view the desk just saved or loaded: no read per step (desk25)
  const directory = new SupabaseNotificationDirectory(supabase, (clinicId) => queue.latestView(clinicId));
  const notifications = new NotificationService({
    directory,
    templates: directory,
    channel,
    positions: {
      positions: async (clinicId) => {
        // the line moved by this browser's own step: its saved view says where everyone is now (rt24, issue 14:
        // no re-read of the whole day after every step); the day is read only when there is none yet
        const latest = queue.latestView(clinicId);
        const view = latest ? { ok: true as const, value: latest } : await queue.status(clinicId);
        if (!view.ok) return view;
        return {
          ok: true,
          value: {
            notifyAtPosition: view.value.settings.notify_at_position,
            waiting: view.value.entries.flatMap((e) =>
              e.position === null ? [] : [{ entryId: e.id, position: e.position }],
            ),
          },
        };
      },
    },
    ...(logger ? { logger } : {}),
  });
  return (bus) => {
    const detach = notifications.attach(bus);
    // sec26: the templates kept per clinic-day are the signed-in user's too: forgotten at sign-out with the views
    const forget = queue.onForgetUser(() => directory.forgetUser());
    return () => {
      forget();
      detach();
    };
  };
}
