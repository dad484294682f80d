/** Composition root on the in-memory fakes (tests, Storybook-like demos): same services, no network. */
import { BookingService } from '../appointment/BookingService';
import { InMemoryBookingWorld } from '../appointment/repositories/InMemoryBookingRepository';
import { InMemoryPublicClinicRepository } from '../appointment/repositories/InMemoryPublicClinicRepository';
import { ApiKeyService } from '../clinic/ApiKeyService';
import { ClinicService } from '../clinic/ClinicService';
import { StaffService } from '../clinic/StaffService';
import { InMemoryApiKeyRepository } from '../clinic/repositories/InMemoryApiKeyRepository';
import { InMemoryWebhookRepository } from '../clinic/repositories/InMemoryWebhookRepository';
import { WebhookService } from '../clinic/WebhookService';
import { DoctorScheduleService } from '../clinic/DoctorScheduleService';
import { ClinicDirectoryService } from '../clinic/ClinicDirectoryService';
import { InMemoryClinicDirectory } from '../clinic/repositories/InMemoryClinicDirectoryRepository';
import { BoardBrandingService } from '../clinic/BoardBrandingService';
import { InMemoryBoardBrandingRepository } from '../clinic/repositories/InMemoryBoardBrandingRepository';
import { InMemoryClinicWorld } from '../clinic/repositories/InMemoryClinicRepository';
import { NotificationAdminService } from '../notification/NotificationAdminService';
import { InMemoryNotificationAdminWorld } from '../notification/repositories/InMemoryNotificationAdminRepository';
import { RemoteJoinService } from '../appointment/RemoteJoinService';
import { WaitlistService } from '../appointment/WaitlistService';
import { InMemoryWaitlist } from '../appointment/repositories/InMemoryWaitlistRepository';
import { ReportService } from '../reports/ReportService';
import { InMemoryReportsRepository } from '../reports/repositories/InMemoryReportsRepository';
import { AuthService } from '../shared/AuthService';
import { InMemoryQueueChangeFeed } from '../queue/repositories/InMemoryQueueChangeFeed';
import { InMemoryQueueRepository } from '../queue/repositories/InMemoryQueueRepository';
import { QueueService } from '../queue/QueueService';
import { systemClock, type Clock } from '../shared/Clock';
import { runtimeZoneRules, type ZoneRules } from '../shared/ZoneRules';
import { createEventBus } from '../shared/EventBus';
import { InMemoryAuthGateway } from '../shared/repositories/InMemoryAuthGateway';
import { uuidGenerator, type IdGenerator } from '../shared/ids';
import type { AppEvents, AppServices } from './AppServices';

export interface InMemoryServicesOptions {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly actorId?: string | null;
  /** The clinics' zone rules in the fakes (default: the runtime's ICU); tests pass an explicit offsets table. */
  readonly zones?: ZoneRules;
}

export function createInMemoryServices(options: InMemoryServicesOptions = {}) {
  const clock = options.clock ?? systemClock;
  const zones = options.zones ?? runtimeZoneRules;
  const queueRepo = new InMemoryQueueRepository(clock, zones);
  const queueFeed = new InMemoryQueueChangeFeed(queueRepo);
  const bus = createEventBus<AppEvents>();
  const queue = new QueueService({
    repo: queueRepo,
    dayControls: queueRepo,
    bus,
    clock,
    ids: options.ids ?? uuidGenerator,
    actor: () => options.actorId ?? null,
    retryDelayMs: () => 0,
  });
  const bookingWorld = new InMemoryBookingWorld(clock, zones);
  // the public page reads the same clinic world the admin screens edit
  const clinicWorld = new InMemoryClinicWorld(clock, zones);
  const booking = new BookingService({
    repo: bookingWorld.as(options.actorId ?? null),
    publicClinics: new InMemoryPublicClinicRepository(clinicWorld),
    bus,
    clock,
    actor: () => options.actorId ?? null,
  });
  const clinicRepo = clinicWorld.as(options.actorId ?? null);
  const auth = new InMemoryAuthGateway();
  const notificationAdminRepo = new InMemoryNotificationAdminWorld(
    (userId, clinicId) =>
      [...clinicWorld.members.values()].find(
        (m) => m.clinicId === clinicId && m.userId === userId && m.active,
      )?.role ?? null,
  );
  const reportsRepo = new InMemoryReportsRepository();
  const reportService = new ReportService(reportsRepo);
  const remoteJoinService = new RemoteJoinService(bookingWorld.remoteAs(options.actorId ?? null));
  const waitlistWorld = new InMemoryWaitlist(bookingWorld, clock);
  const waitlistService = new WaitlistService(waitlistWorld.as(options.actorId ?? null));
  const webhookRepo = new InMemoryWebhookRepository(clock);
  const webhookService = new WebhookService(webhookRepo);
  const doctorSchedule = new DoctorScheduleService(clinicRepo);
  // the directory's listings over the same clinic world (dir20)
  const clinicDirectory = new InMemoryClinicDirectory(clinicWorld);
  const directory = new ClinicDirectoryService(clinicDirectory.as(options.actorId ?? null));
  const boardBranding = new BoardBrandingService(
    new InMemoryBoardBrandingRepository((clinicId) =>
      [...clinicWorld.members.values()].some(
        (m) =>
          m.clinicId === clinicId &&
          m.userId === options.actorId &&
          (m.role === 'owner' || m.role === 'admin'),
      ),
    ),
  );
  const apiKeyService = new ApiKeyService(
    new InMemoryApiKeyRepository(
      clock,
      (clinicId) =>
        [...clinicWorld.members.values()].find((m) => m.clinicId === clinicId && m.userId === options.actorId)
          ?.displayName ?? null,
    ),
  );
  const notificationAdminService = new NotificationAdminService(
    notificationAdminRepo.as(options.actorId ?? null),
  );
  const services: AppServices = {
    bus,
    queue,
    queueFeed,
    booking,
    clinic: new ClinicService(clinicRepo),
    staff: new StaffService(clinicRepo),
    apiKeys: async () => apiKeyService,
    notificationAdmin: async () => notificationAdminService,
    reports: async () => reportService,
    remoteJoin: async () => remoteJoinService,
    waitlist: async () => waitlistService,
    webhooks: async () => webhookService,
    doctorSchedule: async () => doctorSchedule,
    directory: async () => directory,
    boardBranding: async () => boardBranding,
    auth: new AuthService(auth),
  };
  return {
    services,
    auth,
    queueRepo,
    queueFeed,
    bookingWorld,
    clinicWorld,
    clinicDirectory,
    notificationAdminRepo,
    reportsRepo,
    webhookRepo,
    waitlistWorld,
    clock,
  };
}
