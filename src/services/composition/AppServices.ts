/**
 * What a runtime's composition root hands to the UI (through `ServicesProvider`): the services, the
 * realtime feeds and the bus. One root per runtime: `createBrowserServices` (supabase-js: the app, the
 * local stack), `createInMemoryServices` (tests, demos).
 */
import type { BookingService } from '../appointment/BookingService';
import type { RemoteJoinService } from '../appointment/RemoteJoinService';
import type { WaitlistService } from '../appointment/WaitlistService';
import type { BookingBusEvents } from '../appointment/api/events';
import type { ApiKeyService } from '../clinic/ApiKeyService';
import type { ClinicService } from '../clinic/ClinicService';
import type { StaffService } from '../clinic/StaffService';
import type { WebhookService } from '../clinic/WebhookService';
import type { DoctorScheduleService } from '../clinic/DoctorScheduleService';
import type { ClinicDirectoryService } from '../clinic/ClinicDirectoryService';
import type { BoardBrandingService } from '../clinic/BoardBrandingService';
import type { QueueChangeFeed } from '../queue/repositories/QueueChangeFeed';
import type { QueueService } from '../queue/QueueService';
import type { QueueBusEvents } from '../queue/api/bus';
import type { NotificationAdminService } from '../notification/NotificationAdminService';
import type { ReportService } from '../reports/ReportService';
import type { AuthService } from '../shared/AuthService';
import type { EventBus } from '../shared/EventBus';
import type { Logger } from '../shared/Logger';

export type AppEvents = QueueBusEvents & BookingBusEvents;

/** What the screens call on the booking service (all of it but its internal `booked`, which deskBook.ts uses). */
export type BookingApi = Omit<BookingService, 'booked'>;

export interface AppServices {
  readonly bus: EventBus<AppEvents>;
  readonly queue: QueueService;
  readonly queueFeed: QueueChangeFeed;
  /** Loaded on its first call in the browser (composition/lazyPort.ts lazyService): its internal `booked` is not here. */
  readonly booking: BookingApi;
  readonly clinic: ClinicService;
  readonly staff: StaffService;
  /** Clinic API keys for REST /v1 (owners/admins), loaded on first use (the API keys tab only). */
  readonly apiKeys: () => Promise<ApiKeyService>;
  /** Templates, budget, message log and channel settings (admins), loaded on first use (the admin's tabs). */
  readonly notificationAdmin: () => Promise<NotificationAdminService>;
  /** Webhook endpoints and their delivery log (owners/admins), loaded on first use (the API tab only). */
  readonly webhooks: () => Promise<WebhookService>;
  /** A doctor's own week and leave (hours19): loaded with the admin's doctor-schedule section only. */
  readonly doctorSchedule: () => Promise<DoctorScheduleService>;
  /** The public clinic directory (dir20): loaded with the /clinics page and the admin's listing section only. */
  readonly directory: () => Promise<ClinicDirectoryService>;
  /** The board's colours and logo (board20), loaded with the admin's board section. */
  readonly boardBranding: () => Promise<BoardBrandingService>;
  /** Owners' reports (issue 19), loaded on first use (only the Reports tab needs them). */
  readonly reports: () => Promise<ReportService>;
  /** "Join today's queue from my phone" (issue 17), loaded on first use (only the clinic page's card). */
  readonly remoteJoin: () => Promise<RemoteJoinService>;
  /** Waitlist and gap filling (issue 17), loaded on first use (My visits and the admin rules tab only). */
  readonly waitlist: () => Promise<WaitlistService>;
  readonly auth: AuthService;
  readonly logger?: Logger;
}
