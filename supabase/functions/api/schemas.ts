/**
 * The zod schemas of REST /v1: request inputs come from the application services' own schemas (the same
 * ones QueueService and BookingService validate with), responses are described here once and feed the
 * OpenAPI document (openapi.ts) — there is no hand-written spec.
 */
import { z } from 'zod';
// The services' schemas are zod/mini (issue 14: the browser's size). Both kinds share zod/v4/core, so a classic
// object nests them and `z.toJSONSchema` reads both; a mini schema is named with `.register(z.globalRegistry, …)`
// on a fresh schema (zm.omit/pick/partial make one; `.clone()` otherwise) — what classic `.meta()` does.
import { z as zm } from 'zod/mini';
import {
  BookInputSchema,
  RescheduleInputSchema,
  StaffBookInputSchema,
} from '../../../src/services/appointment/BookingService.ts';
import {
  CreateWebhookInputSchema,
  WEBHOOK_EVENT_TYPES,
} from '../../../src/services/clinic/WebhookService.ts';
import { DIRECTORY_LIMITS, SPECIALTIES } from '../../../src/services/clinic/api/directory.ts';
import { TemplateInputSchema } from '../../../src/services/notification/NotificationAdminService.ts';
import { REPORT_BREAKDOWNS, REPORT_PERIODS } from '../../../src/services/reports/api/index.ts';
import {
  CallNextInputSchema,
  SetPriorityInputSchema,
  TransferInputSchema,
} from '../../../src/services/queue/api/schemas.ts';
import { AddWalkInRequestSchema } from '../../../src/services/queue/QueueService.ts';
import { ENTRY_STATUSES, PRIORITIES } from '../../../src/services/queue/models/QueueEntry.ts';

export const Uuid = z.uuid().meta({ description: 'A UUID.' });
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .meta({ description: 'A local date of the clinic, YYYY-MM-DD.' });

// ── common ─────────────────────────────────────────────────────────────────────────────────────────
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().meta({ description: 'Stable error code (e.g. BOOKING.SLOT_FULL).' }),
    detail: z.string().optional(),
    instance: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});

const page = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      data: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: 'Pass as `cursor` for the next page; null at the end.' }),
    })
    .meta({ id });

// ── clinics (public) ───────────────────────────────────────────────────────────────────────────────
export const BookingModeSchema = z.enum(['slotted', 'fluid']).meta({
  description:
    'How the type is booked (issue 17): `slotted` books a time (`slotStart`, from /slots), `fluid` a place in a day’s line (`day`, from /days).',
});
export const VisitTypeSchema = z
  .object({
    id: Uuid,
    name: z.string(),
    durationMinutes: z.number().int(),
    bookingMode: BookingModeSchema,
    practitionerIds: z.array(Uuid).nullable().meta({
      description:
        'The doctors (ids of the clinic’s `practitioners`) who offer this type; null = every doctor. Pass one as `practitionerId` to /slots.',
    }),
  })
  .meta({ id: 'VisitType' });
export const HoursIntervalSchema = z
  .object({
    weekday: z.number().int().min(0).max(6).meta({ description: '0 = Sunday … 6 = Saturday' }),
    start: z.string().meta({ description: 'HH:mm, clinic local time' }),
    end: z.string(),
  })
  .meta({ id: 'HoursInterval' });
export const ClinicSchema = z
  .object({
    id: Uuid,
    slug: z.string(),
    name: z.string(),
    timeZone: z.string(),
    defaultLanguage: z.enum(['ar', 'fr', 'en']),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    // fix21d: null when the stored name is not fit for a public answer (it holds an e-mail address)
    practitioners: z.array(z.object({ id: Uuid, displayName: z.string().nullable() })),
    booking: z.object({
      bookingHorizonDays: z.number().int(),
      minBookingNoticeMinutes: z.number().int(),
      minCancelNoticeMinutes: z.number().int(),
    }),
  })
  .meta({ id: 'Clinic', description: "A clinic's public profile." });
export const HoursSchema = z.object({ data: z.array(HoursIntervalSchema) }).meta({ id: 'Hours' });
export const VisitTypesSchema = z.object({ data: z.array(VisitTypeSchema) }).meta({ id: 'VisitTypes' });

// ── the clinic directory (issue 17, dir20; docs/domain-rules.md D1–D6) ─────────────────────────────────
export const SpecialtySchema = z.enum(SPECIALTIES).meta({
  id: 'Specialty',
  description: 'A clinic’s main specialty: one fixed code (D4), translated by the client.',
});
const directoryText = (what: string) =>
  z
    .string()
    .trim()
    .max(DIRECTORY_LIMITS.maxQueryLength)
    .optional()
    .meta({
      description: `Part of the clinic’s ${what} (at most ${DIRECTORY_LIMITS.maxQueryLength} characters; accents, case, Arabic hamza forms and harakat do not matter; \`%\` and \`_\` are plain characters). Omit for any.`,
    });
export const DirectoryQuerySchema = z.object({
  q: directoryText('name'),
  city: directoryText('city'),
  specialty: z
    .union([SpecialtySchema, z.literal('')])
    .optional()
    .meta({ description: 'One specialty code; omit (or empty) for any. Another value is 422.' }),
  cursor: z
    .string()
    .max(500)
    .optional()
    .meta({
      description: `\`nextCursor\` of the previous page. Pages hold at most ${DIRECTORY_LIMITS.pageSize} clinics; the walk stops after ${DIRECTORY_LIMITS.maxOffset} (narrow the search instead).`,
    }),
});
export const DirectoryClinicSchema = z
  .object({
    id: Uuid,
    slug: z.string(),
    name: z.string(),
    city: z.string(),
    specialty: SpecialtySchema.nullable(),
    address: z.string().nullable(),
    pageUrl: z.string().meta({
      description: 'The clinic’s public page (booking, joining the day’s line): `/c/<slug>` of the web app.',
    }),
  })
  .meta({
    id: 'DirectoryClinic',
    description:
      'A clinic listed in the public directory: what its public page shows, without a phone number.',
  });
export const DirectoryPageSchema = page(DirectoryClinicSchema, 'DirectoryPage');

export const SlotSchema = z
  .object({ start: z.string(), end: z.string(), remaining: z.number().int() })
  .meta({ id: 'Slot', description: 'A bookable slot (ISO-8601 UTC).' });
export const SlotPageSchema = page(SlotSchema, 'SlotPage');
/** The widest `from`…`to` of one /slots call (review18: a 31-day range cost ~160 ms a call on PGlite). */
export const MAX_SLOT_RANGE_DAYS = 7;
const dayNumber = (d: string): number => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
export const SlotsQuerySchema = PageQuerySchema.extend({
  from: LocalDate,
  to: LocalDate.optional().meta({
    description: `The last local date (default: \`from\`); at most ${MAX_SLOT_RANGE_DAYS} days after \`from\`.`,
  }),
  visitTypeId: Uuid.optional(),
  practitionerId: Uuid.optional().meta({
    description:
      'One doctor’s free slots (issue 17): their hours, not on their leave. Omit for any doctor. A doctor who does not offer `visitTypeId` is 422 `BOOKING.PRACTITIONER_NOT_OFFERED`; one who is not an active doctor of this clinic is 404 `NOT_FOUND`. Book the slot with the same `practitionerId`.',
  }),
}).refine(
  (q) =>
    q.to === undefined ||
    (dayNumber(q.to) >= dayNumber(q.from) && dayNumber(q.to) - dayNumber(q.from) <= MAX_SLOT_RANGE_DAYS),
  { path: ['to'], message: `to: from \`from\` to at most ${MAX_SLOT_RANGE_DAYS} days after it` },
);

export const FluidDaySchema = z
  .object({ day: LocalDate, remaining: z.number().int().meta({ description: 'Places left in the line.' }) })
  .meta({
    id: 'FluidDay',
    description: 'A bookable day of a fluid visit type (full and closed days left out).',
  });
export const FluidDaysSchema = z.object({ data: z.array(FluidDaySchema) }).meta({ id: 'FluidDays' });
export const FluidDaysQuerySchema = z.object({
  from: LocalDate,
  to: LocalDate.optional(),
  visitTypeId: Uuid.optional(),
  practitionerId: Uuid.optional().meta({
    description:
      'One doctor’s days (issue 17, F7): not their leave, not a weekday they do not work; places left stay the clinic’s day pool. Omit for any doctor. A doctor who does not offer `visitTypeId` is 422 `BOOKING.PRACTITIONER_NOT_OFFERED`; one who is not an active doctor of this clinic is 404 `NOT_FOUND`. Book the day with the same `practitionerId`.',
  }),
});

// ── bookings ───────────────────────────────────────────────────────────────────────────────────────
/**
 * A patient books for themself (BookInputSchema); staff or a key book for a patient of the clinic. A slotted
 * visit type takes `slotStart`, a fluid one `day` (issue 17): exactly one of them.
 */
export const BookingCreateSchema = z
  .object({
    ...BookInputSchema.shape,
    slotStart: z.optional(BookInputSchema.shape.slotStart).meta({
      description: 'A slotted visit type: the slot (ISO-8601, one of /slots). Omit for a fluid type.',
    }),
    day: LocalDate.optional().meta({
      description: 'A fluid visit type: the day whose line to join (one of /days). Omit for a slotted type.',
    }),
    patientId: z.optional(StaffBookInputSchema.shape.patientId).meta({
      description: 'Staff and API keys: the patient booked for. Omit when a signed-in patient books.',
    }),
  })
  .refine((b) => (b.slotStart === undefined) !== (b.day === undefined), {
    message: 'give slotStart (a slotted visit type) or day (a fluid one), not both',
    path: ['slotStart'],
  })
  .meta({ id: 'BookingCreate' });
export const BookingSchema = z
  .object({
    id: Uuid,
    clinicId: Uuid,
    patientId: Uuid.nullable(),
    ticket: z.string(),
    status: z.enum(ENTRY_STATUSES),
    kind: z.enum(['booked', 'walk_in']),
    slotStart: z.string().nullable(),
    day: LocalDate,
  })
  .meta({ id: 'Booking' });
export const BookingCreatedSchema = BookingSchema.extend({
  trackingToken: z.string().meta({ description: 'Shown once: the private tracking link token.' }),
  trackingUrl: z.string(),
}).meta({ id: 'BookingCreated' });
/** The signed-in patient moves their own booked visit (BookingService.reschedule, issue 17's rules RS1–RS4). */
export const RescheduleBodySchema = zm
  .omit(RescheduleInputSchema, { entryId: true })
  .register(z.globalRegistry, {
    id: 'RescheduleRequest',
    description: 'The new slot (ISO-8601), one of the free slots of the visit’s own appointment type.',
  });
export const RescheduledSchema = BookingCreatedSchema.extend({
  rescheduledFrom: Uuid.meta({ description: 'The booking this one replaced (now cancelled).' }),
}).meta({ id: 'Rescheduled' });
export const CancelBodySchema = z
  .object({ reason: z.string().trim().max(500).nullable().optional() })
  .meta({ id: 'CancelRequest' });
export const CancelledSchema = z
  .object({ id: Uuid, status: z.literal('cancelled') })
  .meta({ id: 'Cancelled' });

// ── visit status (tracking link) ─────────────────────────────────────────────────────────────────
export const VisitEstimateSchema = z
  .object({
    kind: z.enum(['minutes', 'soon', 'unknown']).meta({
      description: '`minutes`: about `minutes` (`lowMinutes`–`highMinutes`); `soon`: any moment now.',
    }),
    minutes: z.number().int().nullable(),
    lowMinutes: z.number().int().nullable(),
    highMinutes: z.number().int().nullable(),
    computedAt: z.string().meta({ description: 'When the estimate was computed (ISO-8601).' }),
    queueVersion: z.number().int().meta({ description: 'The queue version it was computed on.' }),
  })
  .meta({ id: 'VisitEstimate' });
export const VisitStatusSchema = z
  .object({
    id: Uuid,
    clinic: z.object({ id: Uuid, name: z.string(), slug: z.string(), timeZone: z.string() }),
    day: LocalDate,
    ticket: z.string(),
    status: z.string(),
    slotStart: z.string().nullable(),
    room: z.string().nullable(),
    graceEndsAt: z.string().nullable(),
    late: z.boolean(),
    position: z.number().int().nullable().meta({ description: '1 = next; null when not waiting.' }),
    estimate: VisitEstimateSchema.nullable().meta({
      description:
        'While waiting: the wait the clinic estimated (the same figures the tracker page and SMS show); null otherwise or before the first estimate.',
    }),
    accuracyMinutes: z
      .number()
      .nullable()
      .meta({ description: '"Usually accurate to ± N min" at this clinic; null until it has enough days.' }),
    doctorName: z.string().nullable().meta({
      description:
        'The doctor the patient will see (their display name, issue 17); null when any doctor of the clinic will.',
    }),
    notifications: z
      .object({
        channel: z.enum(['sms', 'email', 'whatsapp']).nullable().meta({
          description:
            "How the clinic's messages about this visit reach the patient: their own choice, else the clinic's default, else SMS, else email (an opted-out or bounced channel is passed over); null when none does. Read-only: the patient changes it in My visits.",
        }),
        push: z.boolean().meta({
          description:
            'A browser opted in on this visit\'s tracker: "almost your turn" and "your turn" go there by web push first (SMS if it fails).',
        }),
      })
      .meta({ id: 'VisitNotifications' }),
  })
  .meta({ id: 'VisitStatus' });

// ── queue (staff) ──────────────────────────────────────────────────────────────────────────────────
export const WaitSchema = z
  .object({
    kind: z.enum(['estimate', 'unknown']),
    minutes: z.number(),
    lowMinutes: z.number(),
    highMinutes: z.number(),
    expectedCallAt: z.string().nullable(),
  })
  .meta({ id: 'WaitEstimate' });
export const QueueEntrySchema = z
  .object({
    id: Uuid,
    ticket: z.string(),
    patientId: Uuid.nullable(),
    patientName: z.string(),
    status: z.enum(ENTRY_STATUSES),
    priority: z.enum(PRIORITIES),
    kind: z.enum(['booked', 'walk_in']),
    practitionerId: Uuid.nullable(),
    room: z.string().nullable(),
    slotAt: z.string().nullable(),
    checkedInAt: z.string().nullable(),
    position: z.number().int().nullable(),
    late: z.boolean(),
    graceRemainingSeconds: z.number().int().nullable(),
    skipCount: z.number().int(),
    wait: WaitSchema.nullable(),
  })
  .meta({ id: 'QueueEntry' });
export const QueueSchema = z
  .object({
    id: Uuid,
    clinicId: Uuid,
    day: LocalDate,
    version: z
      .number()
      .int()
      .meta({ description: 'Also sent as the ETag ("<version>"); send it in If-Match.' }),
    status: z.enum(['open', 'closed']),
    asOf: z.string(),
    entries: z.array(QueueEntrySchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'Queue', description: "Today's queue, entries in order (paginated with limit/cursor)." });
export const CallNextBodySchema = zm
  .partial(CallNextInputSchema)
  .register(z.globalRegistry, { id: 'CallNextRequest' });
export const EntryBodySchema = z.object({}).strict().meta({ id: 'EmptyRequest' });
export const QueueStepSchema = z
  .object({
    version: z.number().int(),
    entry: QueueEntrySchema.nullable().meta({ description: 'The entry this step acted on (null if none).' }),
    events: z.array(z.object({ type: z.string(), entryId: z.string().nullable() })),
  })
  .meta({ id: 'QueueStep' });

export const ClinicParamSchema = z.object({ clinicId: Uuid });
/**
 * Free-text path segments (a clinic's slug or id, a tracking token): printable characters only. sec19 (review19
 * L2): `/v1/clinics/%00` decoded to a NUL that reached PostgREST (400 PGRST102) and answered 500; a control
 * character in a path is the caller's mistake, refused here as 422 VALIDATION.FAILED before any database call.
 */
// deno-lint-ignore no-control-regex -- the point is to refuse C0/C1 control characters
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f-\u009f]*$/;
const PathText = (min: number, max: number) =>
  z.string().min(min).max(max).regex(NO_CONTROL_CHARS, 'control characters are not allowed');
export const ClinicRefParamSchema = z.object({ clinic: PathText(1, 200) });
export const EntryParamSchema = z.object({ clinicId: Uuid, entryId: Uuid });
export const BookingParamSchema = z.object({ bookingId: Uuid });
export const TokenParamSchema = z.object({ token: PathText(16, 200) });

// ── queue: arrivals and changes to one entry (issue 18, session 7) ───────────────────────────────────
/** A walk-in joins today's queue: the desk's own input (QueueService.addWalkIn). */
export const WalkInCreateSchema = AddWalkInRequestSchema.clone().register(z.globalRegistry, {
  id: 'WalkInCreate',
  description: 'A patient without a booking joins the queue (a name; a phone for SMS is optional).',
});
export const TransferBodySchema = zm.omit(TransferInputSchema, { entryId: true }).register(z.globalRegistry, {
  id: 'TransferRequest',
  description:
    "To another practitioner's line (`practitionerId`) or to anyone (null); the reason is audited.",
});
export const PriorityBodySchema = zm
  .omit(SetPriorityInputSchema, { entryId: true })
  .register(z.globalRegistry, {
    id: 'PriorityRequest',
    description: "The entry's priority class, with the reason (audited).",
  });
export const QueueEntryReadSchema = z
  .object({ version: z.number().int(), entry: QueueEntrySchema })
  .meta({ id: 'QueueEntryRead', description: "One entry of today's queue and the queue version (ETag)." });

// ── messaging (templates, message log) ───────────────────────────────────────────────────────────────
export const TemplateKindSchema = TemplateInputSchema.shape.kind;
export const TemplateLanguageSchema = TemplateInputSchema.shape.language;
export const TemplateSchema = z
  .object({
    kind: TemplateKindSchema,
    language: TemplateLanguageSchema,
    body: z.string(),
    custom: z.boolean().meta({ description: "true: the clinic's own text; false: the built-in default." }),
  })
  .meta({ id: 'Template', description: 'The SMS text a patient receives for one kind and language.' });
export const TemplatesSchema = z.object({ data: z.array(TemplateSchema) }).meta({ id: 'Templates' });
export const TemplateParamSchema = z.object({
  clinicId: Uuid,
  kind: TemplateKindSchema,
  language: TemplateLanguageSchema,
});
export const TemplateBodySchema = zm.pick(TemplateInputSchema, { body: true }).register(z.globalRegistry, {
  id: 'TemplateUpdate',
  description: 'The new text; only the variables of its kind (e.g. {ticket}, {tracking_url}).',
});
export const MessageSchema = z
  .object({
    id: Uuid,
    kind: z.string(),
    status: z.string(),
    language: z.string().nullable(),
    body: z.string().nullable(),
    segments: z.number().int().nullable(),
    channel: z.enum(['sms', 'whatsapp', 'email', 'push']).meta({
      description: 'The channel it went (or would have gone) through (push: a web push to the tracker).',
    }),
    skipReason: z.enum(['opted_out', 'no_phone', 'email_not_confirmed']).nullable().meta({
      description: 'On a `skipped` message: why it was not sent (never the phone number or address).',
    }),
    fallbackOf: Uuid.nullable().meta({
      description:
        'On a message sent in place of another (an SMS after a refused email, an SMS after a WhatsApp message that could not be delivered): the id of the one it replaces.',
    }),
    hardBounce: z.boolean().meta({
      description:
        'true on a failed email the mail server refused for good: that address is no longer used until the patient changes it.',
    }),
    createdAt: z.string(),
  })
  .meta({
    id: 'Message',
    description: 'One message of the log (SMS, WhatsApp, email or web push), newest first.',
  });
export const MessagePageSchema = page(MessageSchema, 'MessagePage');

// ── webhooks (owners and admins; keys with the admin scope) ───────────────────────────────────────
export const WebhookCreateBodySchema = z
  .strictObject(zm.omit(CreateWebhookInputSchema, { clinicId: true }).shape)
  .meta({
    id: 'WebhookCreate',
    description:
      'An https URL of a public host (a private, loopback or local address is 422 WEBHOOK.URL_PRIVATE) and the event types to receive.',
  });
export const WebhookParamSchema = z.object({ clinicId: Uuid, webhookId: Uuid });
export const DeliveryParamSchema = z.object({ clinicId: Uuid, deliveryId: Uuid });
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export const WebhookSchema = z
  .object({
    id: Uuid,
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(WebhookEventTypeSchema),
    enabled: z.boolean(),
    disabledReason: z
      .enum(['owner', 'failing'])
      .nullable()
      .meta({ description: 'Switched off by a person, or after repeated failed deliveries.' }),
    consecutiveFailures: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'Webhook', description: 'A webhook endpoint of the clinic.' });
export const WebhooksSchema = z.object({ data: z.array(WebhookSchema) }).meta({ id: 'Webhooks' });
export const WebhookCreatedSchema = WebhookSchema.extend({
  secret: z
    .string()
    .regex(/^whsec_[0-9a-f]{64}$/)
    .meta({ description: 'The signing secret (QueueMed-Signature), shown once: store it now.' }),
}).meta({ id: 'WebhookCreated' });
export const WebhookDeliverySchema = z
  .object({
    id: Uuid,
    webhookId: Uuid,
    eventType: WebhookEventTypeSchema,
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery', description: 'One delivery of an event to an endpoint (newest first).' });
export const WebhookDeliveriesSchema = z.object({ data: z.array(WebhookDeliverySchema) }).meta({
  id: 'WebhookDeliveries',
  description: 'The 50 newest deliveries of the clinic (the delivery log).',
});
export const ResentSchema = z
  .object({ id: Uuid, status: z.literal('pending') })
  .meta({ id: 'WebhookResent', description: 'The delivery is due again now, with a fresh attempt count.' });

// ── reports (owners and admins) ──────────────────────────────────────────────────────────────────────
export const ReportQuerySchema = z.object({
  from: LocalDate,
  to: LocalDate,
  period: z.enum(REPORT_PERIODS).default('day'),
});
export const VisitsReportQuerySchema = ReportQuerySchema.extend({
  by: z.enum(REPORT_BREAKDOWNS).default('total'),
});
const rate = z.number().nullable();
export const VisitRowSchema = z
  .object({
    period: LocalDate.nullable().meta({ description: 'First day of the period; null in the totals.' }),
    key: z.string().nullable().meta({ description: 'Practitioner or visit type id (by); null = all.' }),
    label: z.string().nullable(),
    visits: z.number().int(),
    seen: z.number().int(),
    walkIn: z.number().int(),
    booked: z.number().int(),
    noShow: z.number().int(),
    cancelled: z.number().int(),
    late: z.number().int(),
    noShowRate: rate,
    lateRate: rate,
    waitMedian: rate.meta({ description: 'Minutes from arrival to the call.' }),
    waitP90: rate,
    visitMedian: rate.meta({ description: 'Minutes from start to finish.' }),
    visitP90: rate,
  })
  .meta({ id: 'VisitReportRow' });
export const VisitsReportSchema = z
  .object({
    from: LocalDate,
    to: LocalDate,
    period: z.enum(REPORT_PERIODS),
    by: z.enum(REPORT_BREAKDOWNS),
    rows: z.array(VisitRowSchema),
    totals: z.array(VisitRowSchema),
  })
  .meta({
    id: 'VisitsReport',
    description: 'Visits, no-shows, lateness, waits and visit lengths per period.',
  });
export const BusyHoursReportSchema = z
  .object({
    from: LocalDate,
    to: LocalDate,
    cells: z.array(
      z.object({
        weekday: z.number().int().min(0).max(6),
        hour: z.number().int().min(0).max(23),
        arrivals: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'BusyHoursReport', description: 'Arrivals by clinic-local weekday (0 = Sunday) and hour.' });
