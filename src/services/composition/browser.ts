/** Composition root for the browser (and anything that talks to Supabase or the local stack through supabase-js). */
import type { SupabaseClient } from '@supabase/supabase-js';
import { notificationPreferencesProblem } from '../appointment/api/notificationPreferences';
import type { ApiKeyService } from '../clinic/ApiKeyService';
import type { RemoteJoinService } from '../appointment/RemoteJoinService';
import type { WaitlistService } from '../appointment/WaitlistService';
import type { ReportService } from '../reports/ReportService';
import type { WebhookService } from '../clinic/WebhookService';
import type { DoctorScheduleService } from '../clinic/DoctorScheduleService';
import type { ClinicDirectoryService } from '../clinic/ClinicDirectoryService';
import type { BoardBrandingService } from '../clinic/BoardBrandingService';
import type { ClinicService } from '../clinic/ClinicService';
import type { StaffService } from '../clinic/StaffService';
import { activeMembership } from '../clinic/activeMembership';
import { clinicClock, myMemberships } from '../clinic/repositories/supabaseClinicFirstReads';
import type { NotificationAdminService } from '../notification/NotificationAdminService';
import { QueueService } from '../queue/QueueService';
import { SupabaseQueueChangeFeed } from '../queue/repositories/SupabaseQueueChangeFeed';
import { SupabasePatientNames } from '../queue/repositories/SupabasePatientNames';
import { SupabaseQueueRepository } from '../queue/repositories/SupabaseQueueRepository';
import { FeedVersionWatch } from '../queue/repositories/QueueVersionWatch';
import { SupabaseWaitEstimates } from '../queue/repositories/SupabaseWaitEstimates';
import { systemClock, type Clock } from '../shared/Clock';
import { createEventBus, type EventBus } from '../shared/EventBus';
import { uuidGenerator } from '../shared/ids';
import { ok } from '../shared/Result';
import type { Logger } from '../shared/Logger';
import { AuthService } from '../shared/AuthService';
import { SupabaseAuthGateway } from '../shared/repositories/SupabaseAuthGateway';
import type { AppEvents, AppServices, BookingApi } from './AppServices';
import { lazyService } from './lazyPort';

export interface BrowserServicesOptions {
  readonly supabase: SupabaseClient;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /**
   * Who acts (the signed-in user id). Default: followed from `supabase.auth`. Pass it when the client is
   * built with supabase-js's `accessToken` option (then `supabase.auth` is not available).
   */
  readonly actor?: () => string | null;
  /** Origin of the app for tracking links (default: the page's origin, else relative links). */
  readonly publicUrl?: string;
  /**
   * Wires what messages patients after each saved step (the staff app: composition/staffNotifications.ts,
   * loaded on the first event by notifyLater); returns its detach. Without it nothing is sent from the browser.
   */
  readonly notify?: (bus: EventBus<AppEvents>, queue: QueueService) => () => void;
}

export function createBrowserServices(options: BrowserServicesOptions): AppServices & { dispose(): void } {
  const { supabase, logger } = options;
  const clock = options.clock ?? systemClock;
  let userId: string | null = null;
  let reportService: Promise<ReportService> | undefined;
  let remoteJoinService: Promise<RemoteJoinService> | undefined;
  let waitlistService: Promise<WaitlistService> | undefined;
  let webhookService: Promise<WebhookService> | undefined;
  let doctorScheduleService: Promise<DoctorScheduleService> | undefined;
  let directoryService: Promise<ClinicDirectoryService> | undefined;
  let boardBrandingService: Promise<BoardBrandingService> | undefined;
  let apiKeyService: Promise<ApiKeyService> | undefined;
  let notificationAdminService: Promise<NotificationAdminService> | undefined;
  let unsubscribe = () => undefined as void;
  if (!options.actor) {
    void supabase.auth.getSession().then(({ data }) => {
      userId = data.session?.user.id ?? null;
    });
    const { data: sub } = supabase.auth.onAuthStateChange((_event, session) => {
      userId = session?.user.id ?? null;
    });
    unsubscribe = () => sub.subscription.unsubscribe();
  }
  const actor = options.actor ?? (() => userId);
  const bus = createEventBus<AppEvents>({
    onListenerError: (error, type) =>
      logger?.error({ err: error, type: String(type) }, 'event listener failed'),
  });
  const queueFeed = new SupabaseQueueChangeFeed(supabase);
  // The queue versions heard over Realtime: the retry loop's fairness across desks (issue 12).
  const versions = new FeedVersionWatch(queueFeed);
  const waitEstimates = new SupabaseWaitEstimates(supabase);
  const queueRepo = new SupabaseQueueRepository(supabase);
  const queue = new QueueService({
    repo: queueRepo,
    dayControls: queueRepo,
    patientNames: new SupabasePatientNames(supabase),
    waitContext: waitEstimates,
    waitEstimates,
    bus,
    clock,
    ids: uuidGenerator,
    actor,
    versions,
    ...(logger ? { logger } : {}),
  });
  const origin = options.publicUrl ?? (typeof location !== 'undefined' ? location.origin : '');
  // the booking service and its adapters load on the first booking call: the desk's first render lists the queue,
  // not bookings (issue 14; ./bookingAdapters.ts says which screens preload them)
  const booking = lazyService<BookingApi>(
    () =>
      import('./bookingAdapters').then(
        (m) =>
          new m.BookingService({
            repo: new m.SupabaseBookingRepository(supabase),
            bus,
            clock,
            actor,
            trackingUrl: (token) => `${origin}/t/${token}`,
            publicClinics: new m.SupabasePublicClinicRepository(supabase),
            ...(logger ? { logger } : {}),
          }),
      ),
    // the booking form's check before it books (pure, no zod)
    { notificationPreferencesProblem },
  );
  // the desk's first render reads the user's memberships (StaffGate) and the clinic's clock (useClinicTime); the
  // clinic and staff services with the rest of their repository (team, hours, visit types, invitations) load on
  // their first other call (issue 14; ./clinicAdapters.ts says which screen preloads them)
  const clinicAdapters = () => import('./clinicAdapters');
  const clinic = lazyService<ClinicService>(
    () => clinicAdapters().then((m) => new m.ClinicService(new m.SupabaseClinicRepository(supabase))),
    { clock: (clinicId, from, to) => clinicClock(supabase, clinicId, from ?? null, to ?? null) },
  );
  const staff = lazyService<StaffService>(
    () => clinicAdapters().then((m) => new m.StaffService(new m.SupabaseClinicRepository(supabase))),
    {
      membership: async (userId) => {
        const r = await myMemberships(supabase, userId);
        return r.ok ? ok(activeMembership(r.value)) : r;
      },
    },
  );
  const detachNotifications = options.notify?.(bus, queue) ?? (() => undefined);
  return {
    bus,
    queue,
    booking,
    clinic,
    staff,
    // the admin's tabs only (issue 14: not in the other screens' first render)
    apiKeys: () =>
      (apiKeyService ??= import('../clinic/supabaseApiKeys').then((m) =>
        m.createSupabaseApiKeyService(supabase),
      )),
    notificationAdmin: () =>
      (notificationAdminService ??= import('../notification/supabaseNotificationAdmin').then((m) =>
        m.createSupabaseNotificationAdminService(supabase),
      )),
    // loaded with the Reports tab only: no other screen carries it
    reports: () =>
      (reportService ??= import('../reports/supabaseReports').then((m) =>
        m.createSupabaseReportService(supabase),
      )),
    remoteJoin: () =>
      (remoteJoinService ??= import('../appointment/supabaseRemoteJoin').then((m) =>
        m.createSupabaseRemoteJoinService(supabase, (token) => `${origin}/t/${token}`, logger),
      )),
    waitlist: () =>
      (waitlistService ??= import('../appointment/supabaseWaitlist').then((m) =>
        m.createSupabaseWaitlistService(supabase, logger),
      )),
    webhooks: () =>
      (webhookService ??= import('../clinic/supabaseWebhooks').then((m) =>
        m.createSupabaseWebhookService(supabase),
      )),
    doctorSchedule: () =>
      (doctorScheduleService ??= import('../clinic/supabaseDoctorSchedule').then((m) =>
        m.createSupabaseDoctorScheduleService(supabase),
      )),
    directory: () =>
      (directoryService ??= import('../clinic/supabaseClinicDirectory').then((m) =>
        m.createSupabaseClinicDirectoryService(supabase),
      )),
    boardBranding: () =>
      (boardBrandingService ??= import('../clinic/supabaseBoardBranding').then((m) =>
        m.createSupabaseBoardBrandingService(supabase),
      )),
    auth: new AuthService(new SupabaseAuthGateway(supabase)),
    queueFeed,
    ...(logger ? { logger } : {}),
    dispose: () => {
      unsubscribe();
      versions.dispose();
      detachNotifications();
    },
  };
}
