/**
 * The API's composition root: the web app's application services (QueueService, BookingService) on
 * supabase-js, acting with ONE token per request — the caller's JWT, the key identity's minted JWT, or
 * none (the anon key) — so the database applies the same RLS and RPC checks as for the web app. Events are
 * not published to any in-process listener here: the queue's event log is the outbox, and
 * `notification-sweep` sends what the steps owe.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { BookingService } from '../../../src/services/appointment/BookingService.ts';
import { SupabaseBookingRepository } from '../../../src/services/appointment/repositories/SupabaseBookingRepository.ts';
import { ClinicDirectoryService } from '../../../src/services/clinic/ClinicDirectoryService.ts';
import { SupabaseClinicDirectoryRepository } from '../../../src/services/clinic/repositories/SupabaseClinicDirectoryRepository.ts';
import { WebhookService } from '../../../src/services/clinic/WebhookService.ts';
import { SupabaseWebhookRepository } from '../../../src/services/clinic/repositories/SupabaseWebhookRepository.ts';
import { NotificationAdminService } from '../../../src/services/notification/NotificationAdminService.ts';
import { SupabaseNotificationAdminRepository } from '../../../src/services/notification/repositories/SupabaseNotificationAdminRepository.ts';
import { QueueService } from '../../../src/services/queue/QueueService.ts';
import { ReportService } from '../../../src/services/reports/ReportService.ts';
import { SupabaseReportsRepository } from '../../../src/services/reports/repositories/SupabaseReportsRepository.ts';
import type { QueueRepository } from '../../../src/services/queue/repositories/QueueRepository.ts';
import { SupabaseQueueRepository } from '../../../src/services/queue/repositories/SupabaseQueueRepository.ts';
import { appError, ErrorCodes } from '../../../src/services/shared/AppError.ts';
import { err } from '../../../src/services/shared/Result.ts';

export interface Acting {
  /** The bearer token (null: anonymous, the anon key). */
  readonly token: string | null;
  /** Who acts (the JWT's sub), for the events' actor. */
  readonly actorId: string | null;
}

export interface ApiServices {
  readonly db: SupabaseClient;
  readonly booking: BookingService;
  /** The public clinic directory (the /clinics page's service: D1–D6 in the database). */
  readonly directory: ClinicDirectoryService;
  /** The web app's origin: links to a clinic's public page. */
  readonly siteUrl: string;
  /** Templates and the message log (the admin screen's service). */
  readonly messaging: NotificationAdminService;
  readonly reports: ReportService;
  /** Webhook endpoints and the delivery log (the admin screen's service). */
  readonly webhooks: WebhookService;
  /** `ifMatch`: the queue version the client read — a different loaded version answers a conflict. */
  queue(ifMatch: number | null): QueueService;
}

const noBus = { publish: () => undefined };

/** A repository that refuses to decide on any other version than the one the client last read. */
const pinnedVersion = (repo: QueueRepository, version: number): QueueRepository => ({
  load: async (clinicId, day, commandId) => {
    const r = await repo.load(clinicId, day, commandId);
    if (r.ok && !r.value.appliedCommand && r.value.snapshot.queue.version !== version) {
      return err(appError(ErrorCodes.QUEUE_VERSION_CONFLICT, 'the queue changed since If-Match'));
    }
    return r;
  },
  save: (step) => repo.save(step),
  createWalkInPatient: (c, p) => repo.createWalkInPatient(c, p),
  events: (q) => repo.events(q),
});

export const createApiServices = (
  env: {
    url: string;
    anonKey: string;
    siteUrl: string;
    fetch: typeof fetch;
    /** Sent on every /rest/v1 call (handler.ts forwardedClient: the real client's address for the limits). */
    headers?: Record<string, string>;
  },
  acting: Acting,
): ApiServices => {
  const db = createClient(env.url, env.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { fetch: env.fetch, ...(env.headers ? { headers: env.headers } : {}) },
    ...(acting.token ? { accessToken: () => Promise.resolve(acting.token as string) } : {}),
  });
  const actor = () => acting.actorId;
  const repo = new SupabaseQueueRepository(db);
  return {
    db,
    booking: new BookingService({
      repo: new SupabaseBookingRepository(db),
      bus: noBus,
      actor,
      trackingUrl: (t) => `${env.siteUrl.replace(/\/$/, '')}/t/${t}`,
    }),
    directory: new ClinicDirectoryService(new SupabaseClinicDirectoryRepository(db)),
    siteUrl: env.siteUrl.replace(/\/$/, ''),
    messaging: new NotificationAdminService(new SupabaseNotificationAdminRepository(db)),
    reports: new ReportService(new SupabaseReportsRepository(db)),
    webhooks: new WebhookService(new SupabaseWebhookRepository(db)),
    queue: (ifMatch) =>
      new QueueService({
        repo: ifMatch === null ? repo : pinnedVersion(repo, ifMatch),
        bus: noBus,
        actor,
        // With If-Match the client decided on one version: no silent reload-and-retry on another one.
        maxAttempts: ifMatch === null ? 10 : 1,
      }),
  };
};
