/**
 * Edge function `api`: REST /v1 (routes.ts; OpenAPI at /v1/openapi.json, reference page at /v1/docs).
 *
 * Per request: route match (404/405) → credentials: none, a user's JWT, or a clinic API key (401) → for
 * a key: rate window counted in the database, `RateLimit-*` headers, 429 + Retry-After → access and scope
 * (401/403; a key's clinic must be the path's clinic) → params/query/body through zod (422) → POST:
 * Idempotency-Key (400 when missing; a repeat replays the first stored response, another body with the
 * same key is 422) → the application services acting with the caller's token → JSON or a problem.
 *
 * `verify_jwt = false` (config.toml) because API keys are not JWTs; a user's JWT is verified by the auth
 * server (GET /auth/v1/user) BEFORE anything else uses it — the idempotency cache is keyed by the
 * principal, so an unverified `sub` would replay another user's stored answers — and again by PostgREST
 * on every query the services make.
 */
import type { BookingWithLink } from '../../../src/services/appointment/BookingService.ts';
import { z } from 'zod';
import { defaultTemplateText, TEMPLATE_KINDS } from '../../../src/services/notification/api/index.ts';
import type { LoggedMessage } from '../../../src/services/notification/repositories/NotificationAdminRepository.ts';
import { messageView } from '../../../src/services/notification/api/messageLog.ts';
import { renderTicket } from '../../../src/services/queue/models/TicketNumber.ts';
import type { WebhookEndpoint } from '../../../src/services/clinic/repositories/WebhookRepository.ts';
import type { AppError, ErrorCode } from '../../../src/services/shared/AppError.ts';
import { mapPostgrestError } from '../../../src/services/shared/repositories/postgrest.ts';
import type { QueueCommandResult, QueueView } from '../../../src/services/queue/QueueService.ts';
import type { Env } from '../_shared/http.ts';
import type { Log } from '../_shared/log.ts';
import { CLIENT_ADDRESS_HEADER, forwardedClient, makeRpc, RpcError, type Rpc } from '../_shared/rest.ts';
import {
  keyIdentityClaims,
  presented,
  scopeAllows,
  sha256Hex,
  signJwt,
  unverifiedClaims,
} from './credentials.ts';
import { buildOpenApi } from './openapi.ts';
import {
  ApiCodes,
  problemBody,
  problemFromError,
  statusForCode,
  type ApiCode,
  type Problem,
} from './problem.ts';
import { referencePage } from './reference.ts';
import { createRouter, cursorVersion, decodeCursor, encodeCursor, paginate } from './router.ts';
import { ROUTES, type Route } from './routes.ts';
import * as S from './schemas.ts';
import { createApiServices, type ApiServices } from './services.ts';

export interface ApiRuntime {
  readonly env: Env;
  readonly fetch: typeof fetch;
  readonly log: Log;
  /** Seconds since the epoch (minted key tokens' iat/exp). */
  readonly nowSeconds: () => number;
}

type Principal =
  | { readonly kind: 'anon' }
  | {
      readonly kind: 'user';
      readonly token: string;
      readonly sub: string | null;
      readonly role: string | null;
    }
  | {
      readonly kind: 'key';
      readonly token: string;
      readonly keyId: string;
      readonly clinicId: string;
      readonly userId: string;
      readonly scopes: readonly string[];
    };

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

const CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers':
    // traceparent/tracestate/baggage: a browser caller with W3C tracing (as the app's supabase-js) sends them
    'authorization, x-api-key, apikey, content-type, idempotency-key, if-match, x-client-info, traceparent, tracestate, baggage',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-expose-headers':
    'etag, location, idempotent-replayed, ratelimit-limit, ratelimit-remaining, ratelimit-reset, retry-after',
};

class ProblemError extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.code);
  }
}
/** Every problem's status comes from the one table keyed by code (problem.ts STATUS_BY_CODE). */
const coded = (code: ErrorCode | ApiCode, detail?: string): Problem => ({
  status: statusForCode(code),
  code,
  ...(detail ? { detail } : {}),
});
const fail = (code: ErrorCode | ApiCode, detail?: string, headers?: Record<string, string>): never => {
  throw new ProblemError(coded(code, detail), headers);
};

const zodIssues = (e: z.ZodError) => e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
const parseOr422 = <T extends z.core.$ZodType>(schema: T, value: unknown, where: string): z.output<T> => {
  // a route's body may be a service's zod/mini schema: the functional parse reads both kinds
  const r = z.safeParse(schema, value);
  if (!r.success)
    throw new ProblemError({ ...coded('VALIDATION.FAILED', `invalid ${where}`), issues: zodIssues(r.error) });
  return r.data;
};

/** A service Result → the value, or a problem thrown. */
const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: AppError }): T => {
  if (r.ok) return r.value;
  throw new ProblemError(problemFromError(r.error));
};

// ── mapping service values to the documented shapes ──────────────────────────────────────────────
const webhookOut = (w: WebhookEndpoint): z.input<typeof S.WebhookSchema> => ({
  id: w.id,
  url: w.url,
  description: w.description,
  eventTypes: [...w.eventTypes],
  enabled: w.enabled,
  disabledReason: w.disabledReason,
  consecutiveFailures: w.consecutiveFailures,
  createdAt: iso(w.createdAt) ?? w.createdAt,
});
const entryOut = (e: QueueView['entries'][number]): z.input<typeof S.QueueEntrySchema> => ({
  id: e.id,
  ticket: e.ticket,
  patientId: e.patientId,
  patientName: e.patientName,
  status: e.status,
  priority: e.priority,
  kind: e.kind,
  practitionerId: e.practitionerId,
  room: e.room,
  slotAt: e.slotAt,
  checkedInAt: e.checkedInAt,
  position: e.position,
  late: e.late,
  graceRemainingSeconds: e.graceRemainingSeconds,
  skipCount: e.skipCount,
  wait: e.wait
    ? {
        kind: e.wait.kind,
        minutes: e.wait.minutes,
        lowMinutes: e.wait.lowMinutes,
        highMinutes: e.wait.highMinutes,
        expectedCallAt: e.wait.expectedCallAt,
      }
    : null,
});

const etagOf = (version: number) => `"${version}"`;
/** `"12"`, `W/"12"` or `12` → 12; anything else (or several) → a 412 would be wrong: null = malformed. */
export const parseIfMatch = (h: string | null): number | null | 'absent' => {
  if (h === null || h.trim() === '') return 'absent';
  const m = /^(?:W\/)?"?(\d{1,12})"?$/.exec(h.trim());
  return m ? Number(m[1]) : null;
};

const PublicClinicRow = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  time_zone: z.string(),
  default_language: z.enum(['ar', 'fr', 'en']),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  appointment_types: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      duration_minutes: z.number(),
      booking_mode: z.enum(['slotted', 'fluid']).default('slotted'),
      practitioner_ids: z.array(z.string()).nullable().default(null),
    }),
  ),
  working_hours: z.array(z.object({ weekday: z.number(), starts_at: z.string(), ends_at: z.string() })),
  // fix21d: null when the stored name is not fit for a public answer (it holds an e-mail address)
  practitioners: z.array(z.object({ id: z.string(), display_name: z.string().nullable() })),
  booking: z.object({
    booking_horizon_days: z.number(),
    min_booking_notice_minutes: z.number(),
    min_cancel_notice_minutes: z.number(),
  }),
});

/** `get_visit_live` (get_visit_status + the stored estimate); only the fields the API answers. */
const LiveVisitRow = z.object({
  entry_id: z.string(),
  clinic: z.object({ id: z.string(), name: z.string(), slug: z.string(), time_zone: z.string() }),
  day: z.string(),
  ticket: z.string(),
  status: z.string(),
  slot_start: z.string().nullable(),
  room: z.string().nullable(),
  grace_ends_at: z.string().nullable(),
  late: z.boolean(),
  position: z.number().int().nullable(),
  estimate: z
    .object({
      display: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('minutes'), minutes: z.number(), low: z.number(), high: z.number() }),
        z.object({ kind: z.literal('soon') }),
        z.object({ kind: z.literal('unknown') }),
      ]),
      queue_version: z.number().int(),
      computed_at: z.string(),
    })
    .nullable()
    .optional(),
  accuracy_minutes: z.number().nullable().optional(),
  /** The visit's doctor's display name, null = any doctor (20261221500001; absent from older databases). */
  doctor_name: z.string().nullable().optional(),
  /** How the clinic reaches the patient about this visit (20261211200003; absent from older databases). */
  notifications: z
    .object({ channel: z.enum(['sms', 'email', 'whatsapp']).nullable(), push: z.boolean() })
    .optional(),
});

const BookingRow = z.object({
  id: z.string(),
  clinic_id: z.string(),
  patient_id: z.string().nullable(),
  ticket_number: z.number(),
  status: z.string(),
  kind: z.enum(['booked', 'walk_in']),
  slot_start: z.string().nullable(),
  queue_id: z.string(),
});

const iso = (v: string | null): string | null => {
  if (v === null) return null;
  const d = new Date(/^\d{4}-\d\d-\d\d \d/.test(v) ? v.replace(' ', 'T') : v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
};

/**
 * The database's PostgREST error → a problem (coded; driver text never reaches the client). The codes are the
 * adapters' own mapping (mapPostgrestError): a client-class answer — PostgREST's 400 PGRST1xx for input it cannot
 * take, a 22xxx/23xxx data error, a 404/406 — is the caller's 4xx, never 500 (sec19, review19 L2); only a server
 * failure (5xx, no answer) or an unknown code stays INTERNAL.
 */
/** 403 unless the signed-in user is an active member of the clinic (an owner or admin when `admin`). */
const requireMember = async (
  services: ApiServices,
  clinicId: string,
  userId: string | null,
  admin: boolean,
): Promise<void> => {
  if (userId === null) fail('AUTH.FORBIDDEN', 'not a member of this clinic');
  // RLS lets a user read their own membership rows (clinic_members_select)
  const { data, error, status } = await services.db
    .from('clinic_members')
    .select('role')
    .eq('clinic_id', clinicId)
    .eq('user_id', userId as string)
    .eq('active', true)
    .maybeSingle();
  if (error) throw dbProblem(error, status);
  const role = (data as { role?: unknown } | null)?.role;
  if (typeof role !== 'string') fail('AUTH.FORBIDDEN', 'not a member of this clinic');
  if (admin && role !== 'owner' && role !== 'admin') fail('AUTH.FORBIDDEN', 'owner or admin only');
};

const dbProblem = (e: { code?: string; message?: string } | null, status: number): ProblemError => {
  const msg = e?.message ?? '';
  if (/^[A-Z]+(\.[A-Z_]+)+$|^NOT_FOUND$/.test(msg)) return new ProblemError(problemFromError({ code: msg }));
  return new ProblemError(coded(mapPostgrestError(e, status).code));
};

// ── operations ────────────────────────────────────────────────────────────────────────────────────
interface Ctx {
  readonly route: Route;
  readonly params: Record<string, string>;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
  readonly principal: Principal;
  readonly services: ApiServices;
  readonly ifMatch: number | null;
  readonly idempotencyKey: string | null;
}

const stepAnswer = (
  r: Awaited<QueueCommandResult>,
  ifMatch: number | null,
  entryId: string | null,
): Answer => {
  if (!r.ok) {
    if (r.error.code === 'QUEUE.VERSION_CONFLICT' && ifMatch !== null)
      fail(ApiCodes.PRECONDITION_FAILED, 'the queue changed since the version in If-Match; read it again');
    unwrap(r);
  }
  const v = (
    r as { ok: true; value: { view: QueueView; events: readonly { type: string; entryId: string | null }[] } }
  ).value;
  const acted =
    entryId ?? v.events.find((e) => e.type === 'PatientCalled' || e.type === 'WalkInAdded')?.entryId ?? null;
  const entry = acted ? (v.view.entries.find((e) => e.id === acted) ?? null) : null;
  return {
    status: 200,
    body: {
      version: v.view.queue.version,
      entry: entry ? entryOut(entry) : null,
      events: v.events.map((e) => ({ type: e.type, entryId: e.entryId })),
    },
    headers: { etag: etagOf(v.view.queue.version) },
  };
};

const publicClinic = async (c: Ctx, ref: string) => {
  const { data, error, status } = await c.services.db.rpc('get_public_clinic', { p_slug: ref });
  if (error) throw dbProblem(error, status);
  const p = PublicClinicRow.safeParse(data);
  if (!p.success) fail('INTERNAL');
  return (p as { data: z.output<typeof PublicClinicRow> }).data;
};

const commandId = async (c: Ctx): Promise<string | undefined> => {
  if (!c.idempotencyKey) return undefined;
  // A stable UUID per (principal, Idempotency-Key): the database applies a queue command id at most once.
  const h = await sha256Hex(`${principalId(c.principal)}|${c.idempotencyKey}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const OPERATIONS: Record<string, (c: Ctx) => Promise<Answer>> = {
  searchClinicDirectory: async (c) => {
    // the /clinics page's search (dir20): the same service and RPC, so D1–D6 and the caps are the database's
    const q = c.query as z.output<typeof S.DirectoryQuerySchema>;
    const offset = decodeCursor(q.cursor);
    if (offset === null) fail('VALIDATION.FAILED', 'invalid cursor');
    const found = unwrap(
      await c.services.directory.search({
        query: q.q ?? '',
        city: q.city ?? '',
        specialty: q.specialty || null,
        offset: offset as number,
      }),
    );
    return {
      status: 200,
      body: {
        data: found.items.map((x) => ({
          id: x.id,
          slug: x.slug,
          name: x.name,
          city: x.city,
          specialty: x.specialty,
          address: x.address,
          pageUrl: `${c.services.siteUrl}/c/${encodeURIComponent(x.slug)}`,
        })),
        nextCursor: found.nextOffset === null ? null : encodeCursor(found.nextOffset),
      },
    };
  },
  getClinic: async (c) => {
    const p = await publicClinic(c, c.params['clinic'] as string);
    return {
      status: 200,
      body: {
        id: p.id,
        slug: p.slug,
        name: p.name,
        timeZone: p.time_zone,
        defaultLanguage: p.default_language,
        phone: p.phone,
        address: p.address,
        practitioners: p.practitioners.map((x) => ({ id: x.id, displayName: x.display_name })),
        booking: {
          bookingHorizonDays: p.booking.booking_horizon_days,
          minBookingNoticeMinutes: p.booking.min_booking_notice_minutes,
          minCancelNoticeMinutes: p.booking.min_cancel_notice_minutes,
        },
      },
    };
  },
  getClinicHours: async (c) => {
    const p = await publicClinic(c, c.params['clinicId'] as string);
    return {
      status: 200,
      body: {
        data: p.working_hours.map((w) => ({ weekday: w.weekday, start: w.starts_at, end: w.ends_at })),
      },
    };
  },
  listVisitTypes: async (c) => {
    const p = await publicClinic(c, c.params['clinicId'] as string);
    return {
      status: 200,
      body: {
        data: p.appointment_types.map((t) => ({
          id: t.id,
          name: t.name,
          durationMinutes: t.duration_minutes,
          bookingMode: t.booking_mode,
          practitionerIds: t.practitioner_ids,
        })),
      },
    };
  },
  listFreeSlots: async (c) => {
    const q = c.query as z.output<typeof S.SlotsQuerySchema>;
    const offset = decodeCursor(q.cursor);
    if (offset === null) fail('VALIDATION.FAILED', 'invalid cursor');
    const slots = unwrap(
      await c.services.booking.freeSlots({
        clinicId: c.params['clinicId'] as string,
        from: q.from,
        to: q.to ?? null,
        appointmentTypeId: q.visitTypeId ?? null,
        practitionerId: q.practitionerId ?? null,
      }),
    );
    return { status: 200, body: paginate(slots, offset as number, q.limit) };
  },
  listFluidDays: async (c) => {
    const q = c.query as z.output<typeof S.FluidDaysQuerySchema>;
    const days = unwrap(
      await c.services.booking.fluidDays({
        clinicId: c.params['clinicId'] as string,
        from: q.from,
        to: q.to ?? null,
        appointmentTypeId: q.visitTypeId ?? null,
        // F7 (issue 17): one doctor's days, as /slots — the database refuses a doctor who does not offer the type
        // (422 BOOKING.PRACTITIONER_NOT_OFFERED) or is no doctor of this clinic (404 NOT_FOUND)
        practitionerId: q.practitionerId ?? null,
      }),
    );
    return { status: 200, body: { data: days } };
  },
  createBooking: async (c) => {
    const b = c.body as z.output<typeof S.BookingCreateSchema>;
    if (c.principal.kind === 'key' && b.clinicId !== c.principal.clinicId)
      fail('AUTH.FORBIDDEN', "the API key's clinic is another one");
    if (c.principal.kind === 'key' && !b.patientId)
      fail('VALIDATION.FAILED', 'an API key books for a patient: patientId is required');
    const who = {
      clinicId: b.clinicId,
      appointmentTypeId: b.appointmentTypeId ?? null,
      practitionerId: b.practitionerId ?? null,
    };
    // a fluid visit type takes a place in the day's line (issue 17); the database refuses the wrong path
    // (BOOKING.MODE_MISMATCH), so a client that sends a slot for a fluid type, or a day for a slotted one, learns it
    const booked = unwrap<{ slotStart: string | null } & Omit<BookingWithLink, 'slotStart' | 'slotEnd'>>(
      b.day !== undefined
        ? b.patientId
          ? await c.services.booking.staffBookFluid({ ...who, patientId: b.patientId, day: b.day })
          : await c.services.booking.bookFluid({ ...b, day: b.day })
        : b.patientId
          ? await c.services.booking.staffBook({
              ...who,
              patientId: b.patientId,
              slotStart: b.slotStart ?? '',
            })
          : await c.services.booking.book({ ...b, slotStart: b.slotStart ?? '' }),
    );
    return {
      status: 201,
      headers: { location: `/v1/bookings/${booked.entryId}` },
      body: {
        id: booked.entryId,
        clinicId: booked.clinicId,
        patientId: booked.patientId,
        ticket: booked.ticket,
        status: booked.status,
        kind: 'booked',
        slotStart: booked.slotStart,
        day: booked.day,
        trackingToken: booked.trackingToken,
        trackingUrl: booked.trackingUrl,
      },
    };
  },
  getBooking: async (c) => {
    let q = c.services.db
      .from('queue_entries')
      .select('id, clinic_id, queue_id, patient_id, ticket_number, status, kind, slot_start')
      .eq('id', c.params['bookingId'] as string);
    if (c.principal.kind === 'key') q = q.eq('clinic_id', c.principal.clinicId);
    const { data, error, status } = await q.maybeSingle();
    if (error) throw dbProblem(error, status);
    if (data === null) fail('NOT_FOUND', 'booking not found');
    const r = BookingRow.safeParse(data);
    if (!r.success) fail('INTERNAL');
    const row = (r as { data: z.output<typeof BookingRow> }).data;
    // The day and the clinic's ticket prefix (two small reads the caller's RLS allows: queues of the
    // visit's clinic are public, clinics are public).
    const [day, clinic] = await Promise.all([
      c.services.db.from('queues').select('day').eq('id', row.queue_id).maybeSingle(),
      c.services.db.from('clinics').select('ticket_prefix').eq('id', row.clinic_id).maybeSingle(),
    ]);
    const d = z.object({ day: z.string() }).safeParse(day.data);
    const p = z.object({ ticket_prefix: z.string() }).safeParse(clinic.data);
    if (!d.success || !p.success) fail('INTERNAL');
    return {
      status: 200,
      body: {
        id: row.id,
        clinicId: row.clinic_id,
        patientId: row.patient_id,
        ticket: renderTicket(
          { ticketNumber: row.ticket_number },
          (p as { data: { ticket_prefix: string } }).data.ticket_prefix,
        ),
        status: row.status,
        kind: row.kind,
        slotStart: iso(row.slot_start),
        day: (d as { data: { day: string } }).data.day,
      },
    };
  },
  cancelBooking: async (c) => {
    const id = c.params['bookingId'] as string;
    if (c.principal.kind === 'key') await OPERATIONS['getBooking']!(c); // 404 for another clinic's booking
    const b = c.body as z.output<typeof S.CancelBodySchema>;
    const r = unwrap(await c.services.booking.cancel(id, b.reason ?? null));
    return { status: 200, body: { id: r.entryId, status: r.status } };
  },
  rescheduleBooking: async (c) => {
    // Only the visit's own patient may move it (the database: staff of its clinic, hence a key, get 403,
    // anyone else 404); a refused move leaves the booking as it was.
    const b = c.body as z.output<typeof S.RescheduleBodySchema>;
    const moved = unwrap(
      await c.services.booking.reschedule({
        entryId: c.params['bookingId'] as string,
        slotStart: b.slotStart,
      }),
    );
    return {
      status: 201,
      headers: { location: `/v1/bookings/${moved.entryId}` },
      body: {
        id: moved.entryId,
        clinicId: moved.clinicId,
        patientId: moved.patientId,
        ticket: moved.ticket,
        status: moved.status,
        kind: 'booked',
        slotStart: moved.slotStart,
        day: moved.day,
        trackingToken: moved.trackingToken,
        trackingUrl: moved.trackingUrl,
        rescheduledFrom: moved.rescheduledFrom,
      },
    };
  },
  getVisitStatus: async (c) => {
    // get_visit_live: the status by the private link plus the estimate the server stored for this visit
    // (issue 16's one estimator, the same figures as the tracker page and SMS {eta}), in one RPC.
    const { data, error, status } = await c.services.db.rpc('get_visit_live', {
      p_tracking_token: c.params['token'] as string,
    });
    if (error) throw dbProblem(error, status);
    const p = LiveVisitRow.safeParse(data);
    if (!p.success) fail('INTERNAL');
    const v = (p as { data: z.output<typeof LiveVisitRow> }).data;
    const d = v.estimate?.display ?? null;
    return {
      status: 200,
      body: {
        id: v.entry_id,
        clinic: { id: v.clinic.id, name: v.clinic.name, slug: v.clinic.slug, timeZone: v.clinic.time_zone },
        day: v.day,
        ticket: v.ticket,
        status: v.status,
        slotStart: iso(v.slot_start),
        room: v.room,
        graceEndsAt: iso(v.grace_ends_at),
        late: v.late,
        position: v.position,
        estimate:
          v.estimate && d
            ? {
                kind: d.kind,
                minutes: d.kind === 'minutes' ? d.minutes : null,
                lowMinutes: d.kind === 'minutes' ? d.low : null,
                highMinutes: d.kind === 'minutes' ? d.high : null,
                computedAt: iso(v.estimate.computed_at),
                queueVersion: v.estimate.queue_version,
              }
            : null,
        accuracyMinutes: v.accuracy_minutes ?? null,
        doctorName: v.doctor_name ?? null,
        notifications: {
          channel: v.notifications?.channel ?? null,
          push: v.notifications?.push ?? false,
        },
      },
    };
  },
  getQueue: async (c) => {
    const q = c.query as z.output<typeof S.PageQuerySchema>;
    const offset = decodeCursor(q.cursor);
    if (offset === null) fail('VALIDATION.FAILED', 'invalid cursor');
    const view = unwrap(await c.services.queue(null).status(c.params['clinicId'] as string));
    if (q.cursor !== undefined && cursorVersion(q.cursor) !== view.queue.version)
      fail(ApiCodes.CURSOR_STALE, 'the queue changed since this cursor was issued; read from the start');
    const pageOf = paginate(view.entries, offset as number, q.limit, view.queue.version);
    return {
      status: 200,
      headers: { etag: etagOf(view.queue.version) },
      body: {
        id: view.queue.id,
        clinicId: view.queue.clinicId,
        day: view.queue.day,
        version: view.queue.version,
        status: view.queue.status,
        asOf: view.asOf,
        entries: pageOf.data.map(entryOut),
        nextCursor: pageOf.nextCursor,
      },
    };
  },
  callNext: async (c) => {
    const b = c.body as z.output<typeof S.CallNextBodySchema>;
    const id = await commandId(c);
    const r = await c.services
      .queue(c.ifMatch)
      .callNext(
        c.params['clinicId'] as string,
        { practitionerId: b.practitionerId ?? null, room: b.room ?? null },
        id ? { commandId: id } : {},
      );
    return stepAnswer(r, c.ifMatch, null);
  },
  addWalkIn: async (c) => {
    const clinicId = c.params['clinicId'] as string;
    const id = await commandId(c);
    const r = await c.services
      .queue(c.ifMatch)
      .addWalkIn(clinicId, c.body as z.output<typeof S.WalkInCreateSchema>, id ? { commandId: id } : {});
    const a = stepAnswer(r, c.ifMatch, null);
    const entry = (a.body as { entry: { id: string } | null }).entry;
    return {
      ...a,
      status: 201,
      headers: {
        ...a.headers,
        ...(entry ? { location: `/v1/clinics/${clinicId}/queue/entries/${entry.id}` } : {}),
      },
    };
  },
  getQueueEntry: async (c) => {
    const view = unwrap(await c.services.queue(null).status(c.params['clinicId'] as string));
    const entry = view.entries.find((e) => e.id === c.params['entryId']);
    if (!entry) fail('QUEUE.ENTRY_NOT_FOUND', "no such entry in today's queue");
    return {
      status: 200,
      headers: { etag: etagOf(view.queue.version) },
      body: { version: view.queue.version, entry: entryOut(entry as QueueView['entries'][number]) },
    };
  },
  returnFromAbsence: (c) => entryStep(c, (s, clinic, input, o) => s.returnFromAbsence(clinic, input, o)),
  transferEntry: (c) =>
    entryStep(c, (s, clinic, input, o) =>
      s.transfer(clinic, { ...input, ...(c.body as z.output<typeof S.TransferBodySchema>) }, o),
    ),
  setPriority: (c) =>
    entryStep(c, (s, clinic, input, o) =>
      s.setPriority(clinic, { ...input, ...(c.body as z.output<typeof S.PriorityBodySchema>) }, o),
    ),
  listTemplates: async (c) => {
    const own = unwrap(await c.services.messaging.templates(c.params['clinicId'] as string));
    const data = TEMPLATE_KINDS.flatMap((kind) =>
      (['ar', 'fr', 'en'] as const).map((language) => {
        const t = own.find((x) => x.kind === kind && x.language === language);
        return { kind, language, body: t?.body ?? defaultTemplateText(kind, language), custom: !!t };
      }),
    );
    return { status: 200, body: { data } };
  },
  updateTemplate: async (c) => {
    const kind = c.params['kind'] as z.output<typeof S.TemplateKindSchema>;
    const language = c.params['language'] as z.output<typeof S.TemplateLanguageSchema>;
    const { body } = c.body as z.output<typeof S.TemplateBodySchema>;
    unwrap(await c.services.messaging.saveTemplate(c.params['clinicId'] as string, { kind, language, body }));
    return { status: 200, body: { kind, language, body: body.trim(), custom: true } };
  },
  listMessages: async (c) => {
    const q = c.query as z.output<typeof S.PageQuerySchema>;
    const before = q.cursor === undefined ? null : decodeMessageCursor(q.cursor);
    if (before === undefined) fail('VALIDATION.FAILED', 'invalid cursor');
    // one more than asked: whether there is a next page
    const rows = unwrap(
      await c.services.messaging.messageLogPage(c.params['clinicId'] as string, {
        limit: Math.min(100, q.limit + 1),
        before: before ?? null,
      }),
    );
    const data = rows.slice(0, q.limit);
    const last = data[data.length - 1];
    return {
      status: 200,
      body: {
        data: data.map(messageView),
        nextCursor: rows.length > q.limit && last ? encodeMessageCursor(last) : null,
      },
    };
  },
  listWebhooks: async (c) => {
    const list = unwrap(await c.services.webhooks.listEndpoints(c.params['clinicId'] as string));
    return { status: 200, body: { data: list.map(webhookOut) } };
  },
  createWebhook: async (c) => {
    const clinicId = c.params['clinicId'] as string;
    const b = c.body as z.output<typeof S.WebhookCreateBodySchema>;
    const created = unwrap(await c.services.webhooks.create({ clinicId, ...b }));
    const list = unwrap(await c.services.webhooks.listEndpoints(clinicId));
    const w = list.find((x) => x.id === created.id);
    if (!w) fail('INTERNAL');
    return {
      status: 201,
      headers: { location: `/v1/clinics/${clinicId}/webhooks/${created.id}` },
      body: { ...webhookOut(w as WebhookEndpoint), secret: created.secret },
    };
  },
  deleteWebhook: async (c) => {
    const clinicId = c.params['clinicId'] as string;
    const id = c.params['webhookId'] as string;
    // the endpoint must belong to the path's clinic (an admin of two clinics cannot cross them by path)
    const list = unwrap(await c.services.webhooks.listEndpoints(clinicId));
    if (!list.some((w) => w.id === id)) fail('NOT_FOUND', 'no such webhook endpoint in this clinic');
    unwrap(await c.services.webhooks.remove(id));
    return { status: 204, body: null };
  },
  enableWebhook: async (c) => {
    const clinicId = c.params['clinicId'] as string;
    const id = c.params['webhookId'] as string;
    // the same service path as the admin screen's switch (WebhookService.setEnabled → the database decides)
    const before = unwrap(await c.services.webhooks.listEndpoints(clinicId));
    if (!before.some((w) => w.id === id)) fail('NOT_FOUND', 'no such webhook endpoint in this clinic');
    unwrap(await c.services.webhooks.setEnabled(id, true));
    const w = unwrap(await c.services.webhooks.listEndpoints(clinicId)).find((x) => x.id === id);
    if (!w) fail('NOT_FOUND', 'no such webhook endpoint in this clinic');
    return { status: 200, body: webhookOut(w as WebhookEndpoint) };
  },
  listWebhookDeliveries: async (c) => {
    const list = unwrap(await c.services.webhooks.listDeliveries(c.params['clinicId'] as string));
    return {
      status: 200,
      body: {
        data: list.map(({ endpointId, ...d }) => ({
          ...d,
          webhookId: endpointId,
          nextAttemptAt: iso(d.nextAttemptAt) ?? d.nextAttemptAt,
          deliveredAt: d.deliveredAt === null ? null : iso(d.deliveredAt),
          createdAt: iso(d.createdAt) ?? d.createdAt,
        })),
      },
    };
  },
  resendWebhookDelivery: async (c) => {
    const clinicId = c.params['clinicId'] as string;
    const id = c.params['deliveryId'] as string;
    const { data, error, status } = await c.services.db
      .from('webhook_deliveries')
      .select('id')
      .eq('id', id)
      .eq('clinic_id', clinicId)
      .maybeSingle();
    if (error) throw dbProblem(error, status);
    if (data === null) fail('NOT_FOUND', 'no such webhook delivery in this clinic');
    unwrap(await c.services.webhooks.resend(id));
    return { status: 200, body: { id, status: 'pending' } };
  },
  getVisitsReport: async (c) => {
    const q = c.query as z.output<typeof S.VisitsReportQuerySchema>;
    const r = unwrap(await c.services.reports.visits({ clinicId: c.params['clinicId'] as string, ...q }));
    return { status: 200, body: r };
  },
  getBusyHoursReport: async (c) => {
    const q = c.query as z.output<typeof S.ReportQuerySchema>;
    const r = unwrap(await c.services.reports.busyHours({ clinicId: c.params['clinicId'] as string, ...q }));
    return { status: 200, body: r };
  },
  startVisit: (c) => entryStep(c, (s, clinic, input, o) => s.start(clinic, input, o)),
  finishVisit: (c) => entryStep(c, (s, clinic, input, o) => s.finish(clinic, input, o)),
  markAbsent: (c) => entryStep(c, (s, clinic, input, o) => s.markAbsent(clinic, input, o)),
};

type QS = ReturnType<ApiServices['queue']>;
const entryStep = async (
  c: Ctx,
  run: (s: QS, clinicId: string, input: { entryId: string }, o: { commandId?: string }) => QueueCommandResult,
): Promise<Answer> => {
  const entryId = c.params['entryId'] as string;
  const id = await commandId(c);
  const r = await run(
    c.services.queue(c.ifMatch),
    c.params['clinicId'] as string,
    { entryId },
    id ? { commandId: id } : {},
  );
  return stepAnswer(r, c.ifMatch, entryId);
};

/** The message log's keyset cursor: the last message's stored created_at and id (opaque base64url). */
const encodeMessageCursor = (m: LoggedMessage): string =>
  btoa(JSON.stringify({ t: m.createdAt, i: m.id }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
/** undefined: not a cursor of this log. */
const decodeMessageCursor = (cursor: string): { createdAt: string; id: string } | undefined => {
  try {
    const v = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))) as unknown;
    const p = z.object({ t: z.string().min(1).max(64), i: z.uuid() }).safeParse(v);
    return p.success ? { createdAt: p.data.t, id: p.data.i } : undefined;
  } catch {
    return undefined;
  }
};

const principalId = (p: Principal): string =>
  p.kind === 'key' ? `key:${p.keyId}` : p.kind === 'user' ? `user:${p.sub ?? 'unknown'}` : 'anon';

// ── the pipeline ─────────────────────────────────────────────────────────────────────────────────
const route = createRouter(ROUTES);

const KeyAuthRow = z.object({
  key_id: z.string(),
  clinic_id: z.string(),
  user_id: z.string(),
  scopes: z.array(z.string()),
  limit: z.number().int(),
  used: z.number().int(),
  reset_seconds: z.number().int(),
});
/** GET /auth/v1/user: only the id is used. */
const VerifiedUserRow = z.object({ id: z.string().uuid() });
/** How long the auth server's word on a token is reused (never past the token's exp). */
const VERIFIED_TTL = 30;
const IdemRow = z.object({
  state: z.enum(['new', 'done', 'pending', 'mismatch']),
  status: z.number().int().optional(),
  headers: z.record(z.string(), z.string()).nullable().optional(),
  body: z.string().nullable().optional(),
});

// apiaddr18: the client this call is for, on every /rest/v1 call (one definition for every function: _shared/rest.ts)
export { CLIENT_ADDRESS_HEADER, forwardedClient };

export const createApiHandler = (rt: ApiRuntime) => {
  const url = (rt.env.get('SUPABASE_URL') ?? '').replace(/\/$/, '');
  const anonKey = rt.env.get('SUPABASE_ANON_KEY') ?? '';
  const serviceKey = rt.env.get('SUPABASE_SERVICE_ROLE_KEY') ?? '';
  const jwtSecret = rt.env.get('API_JWT_SECRET') ?? '';
  const siteUrl = rt.env.get('SITE_URL') || url;
  const forwardSecret = rt.env.get('QUEUEMED_FORWARD_SECRET') ?? '';
  const service: Rpc = makeRpc({ url, apiKey: serviceKey, token: serviceKey, fetch: rt.fetch });
  /** Minted key tokens, reused until a minute before they expire. */
  const minted = new Map<string, { token: string; exp: number }>();
  let openapiCache: { base: string; text: string } | null = null;

  const keyToken = async (k: { userId: string; keyId: string; clinicId: string }): Promise<string> => {
    const now = rt.nowSeconds();
    const hit = minted.get(k.keyId);
    if (hit && hit.exp - 60 > now) return hit.token;
    if (!jwtSecret) fail(ApiCodes.NOT_CONFIGURED, 'API keys need API_JWT_SECRET on the server');
    const ttl = 300;
    const token = await signJwt(jwtSecret, keyIdentityClaims(k), now, ttl);
    if (minted.size > 1000) minted.clear();
    minted.set(k.keyId, { token, exp: now + ttl });
    return token;
  };

  /** Tokens the auth server vouched for: sha256(token) → user id, kept at most VERIFIED_TTL seconds. */
  const verified = new Map<string, { sub: string; until: number }>();
  /**
   * Who a user JWT belongs to, asked of the auth server (GET /auth/v1/user checks the signature, the
   * expiry and the session, locally and on hosted Supabase, where this function may not hold the JWT
   * secret or the keys may be asymmetric). A token it refuses is 401 AUTH.INVALID_TOKEN; an auth server
   * that cannot answer is a 5xx (never cached as an idempotent answer).
   */
  const verifiedUser = async (token: string): Promise<string> => {
    const now = rt.nowSeconds();
    const h = await sha256Hex(token);
    const hit = verified.get(h);
    if (hit && hit.until > now) return hit.sub;
    const res = await rt.fetch(`${url}/auth/v1/user`, {
      headers: { apikey: anonKey, authorization: `Bearer ${token}` },
    });
    if (res.status === 401 || res.status === 403 || res.status === 400 || res.status === 404) {
      await res.body?.cancel();
      fail(ApiCodes.INVALID_TOKEN, 'the token is not valid (signature, expiry or session)', {
        'www-authenticate': 'Bearer',
      });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`auth server answered ${res.status}`);
    }
    const user = VerifiedUserRow.safeParse(await res.json().catch(() => null));
    if (!user.success)
      fail(ApiCodes.INVALID_TOKEN, 'the token names no user', { 'www-authenticate': 'Bearer' });
    const sub = (user as { data: { id: string } }).data.id;
    const exp = unverifiedClaims(token)?.['exp'];
    const until = Math.min(now + VERIFIED_TTL, typeof exp === 'number' ? exp : now);
    if (verified.size > 1000) verified.clear();
    if (until > now) verified.set(h, { sub, until });
    return sub;
  };

  const authenticate = async (
    req: Request,
  ): Promise<{ principal: Principal; rate: Record<string, string> }> => {
    const p = presented(req.headers);
    if (p.kind === 'none') return { principal: { kind: 'anon' }, rate: {} };
    if (p.kind === 'malformed')
      fail(ApiCodes.INVALID_TOKEN, 'malformed credentials', { 'www-authenticate': 'Bearer' });
    if (p.kind === 'jwt') {
      const claims = unverifiedClaims(p.token);
      if (!claims) fail(ApiCodes.INVALID_TOKEN, 'malformed token', { 'www-authenticate': 'Bearer' });
      // The anon key itself is a JWT: it is "no credentials" (its token is never forwarded).
      if (claims?.['role'] === 'anon') return { principal: { kind: 'anon' }, rate: {} };
      // Anything else is proven before it is used: the idempotency cache, the actor id and the
      // principal's identity all come from the auth server's answer, never from the token's own claims.
      const sub = await verifiedUser(p.token);
      return {
        principal: {
          kind: 'user',
          token: p.token,
          sub,
          role: typeof claims?.['role'] === 'string' ? (claims['role'] as string) : null,
        },
        rate: {},
      };
    }
    const hash = await sha256Hex((p as { key: string }).key);
    const found = await service<unknown>('api_key_authenticate', { p_key_hash: hash });
    if (found === null)
      fail(ApiCodes.INVALID_KEY, 'unknown, revoked or expired API key', {
        'www-authenticate': 'Bearer',
      });
    const k = KeyAuthRow.parse(found);
    const rate = {
      'ratelimit-limit': String(k.limit),
      'ratelimit-remaining': String(Math.max(0, k.limit - k.used)),
      'ratelimit-reset': String(k.reset_seconds),
    };
    if (k.used > k.limit)
      fail('RATE.LIMITED', `at most ${k.limit} requests a minute for this key`, {
        ...rate,
        'retry-after': String(k.reset_seconds),
      });
    const token = await keyToken({ userId: k.user_id, keyId: k.key_id, clinicId: k.clinic_id });
    return {
      principal: {
        kind: 'key',
        token,
        keyId: k.key_id,
        clinicId: k.clinic_id,
        userId: k.user_id,
        scopes: k.scopes,
      },
      rate,
    };
  };

  const respond = (a: Answer, extra: Record<string, string>): Response => {
    const isProblem = a.status >= 400;
    const headers: Record<string, string> = {
      'content-type': isProblem ? 'application/problem+json' : 'application/json',
      ...CORS,
      ...extra,
      ...(a.headers ?? {}),
    };
    if (a.status === 204) {
      // no content: no body and no content-type (RFC 9110 §15.3.5)
      delete headers['content-type'];
      return new Response(null, { status: 204, headers });
    }
    return new Response(JSON.stringify(a.body), { status: a.status, headers });
  };

  const problemAnswer = (e: ProblemError, instance: string): Answer => ({
    status: e.problem.status,
    body: problemBody(e.problem, instance),
    headers: e.headers,
  });

  return async (req: Request): Promise<Response> => {
    const u = new URL(req.url);
    const path = u.pathname.replace(/^(?:\/functions\/v1)?\/api(?=\/|$)/, '') || '/';
    const cleanPath = path.length > 1 ? path.replace(/\/+$/, '') : path;
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS });
    let rate: Record<string, string> = {};
    try {
      const m = route(req.method, cleanPath);
      if (m.kind === 'notFound') fail(ApiCodes.ROUTE_NOT_FOUND, `no route ${req.method} ${cleanPath}`);
      if (m.kind === 'methodNotAllowed')
        fail(ApiCodes.METHOD_NOT_ALLOWED, `use ${m.allow.join(', ')}`, { allow: m.allow.join(', ') });
      const { route: r, params: raw } = m as Extract<typeof m, { kind: 'found' }>;

      if (r.operationId === 'getOpenApi' || r.operationId === 'getReference') {
        const base = `${url}/functions/v1/api`;
        if (r.operationId === 'getReference')
          return new Response(referencePage(`${base}/v1/openapi.json`), {
            status: 200,
            headers: { 'content-type': 'text/html; charset=utf-8', ...CORS },
          });
        if (openapiCache?.base !== base) openapiCache = { base, text: JSON.stringify(buildOpenApi(base)) };
        return new Response(openapiCache.text, {
          status: 200,
          headers: { 'content-type': 'application/json', ...CORS },
        });
      }

      const auth = await authenticate(req);
      rate = auth.rate;
      const principal = auth.principal;
      if (r.access !== 'public' && principal.kind === 'anon')
        fail('AUTH.REQUIRED', 'send a user JWT or an API key', { 'www-authenticate': 'Bearer' });
      if (principal.kind === 'key') {
        if (!scopeAllows(principal.scopes, r.scope))
          fail(ApiCodes.SCOPE_MISSING, `this API key lacks the "${r.scope}" scope`);
      }
      const params = (r.params ? parseOr422(r.params, raw, 'path parameters') : {}) as Record<string, string>;
      if (principal.kind === 'key' && 'clinicId' in params && params['clinicId'] !== principal.clinicId)
        fail('AUTH.FORBIDDEN', "the API key's clinic is another one");
      const query = r.query ? parseOr422(r.query, Object.fromEntries(u.searchParams), 'query') : {};

      let body: unknown = undefined;
      let rawBody = '';
      if (req.method === 'POST' || req.method === 'PUT') {
        rawBody = await req.text();
        let json: unknown;
        try {
          json = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
        } catch {
          fail(ApiCodes.BAD_JSON, 'the body is not JSON');
        }
        body = r.body ? parseOr422(r.body, json, 'body') : json;
      }
      const ifm = r.etag && req.method === 'POST' ? parseIfMatch(req.headers.get('if-match')) : 'absent';
      if (ifm === null) fail(ApiCodes.PRECONDITION_FAILED, 'If-Match must be the queue ETag, e.g. "12"');
      const ifMatch = ifm === 'absent' ? null : (ifm as number);

      const services = createApiServices(
        { url, anonKey, siteUrl, fetch: rt.fetch, headers: forwardedClient(req, forwardSecret) },
        {
          token: principal.kind === 'anon' ? null : principal.token,
          actorId:
            principal.kind === 'key' ? principal.userId : principal.kind === 'user' ? principal.sub : null,
        },
      );

      // A user's JWT on a staff route of one clinic: an active member of THAT clinic, and an owner/admin for the
      // routes an `admin` key needs (review21 L5: another clinic's user read messages, webhooks, deliveries and
      // templates as 200 with an empty list or the defaults, where RLS hid the rows instead of refusing). The
      // database still decides every read and write; this only makes the answer the 403 docs/api.md promises.
      if (
        principal.kind === 'user' &&
        principal.role !== 'service_role' &&
        r.access === 'staff' &&
        params['clinicId']
      )
        await requireMember(services, params['clinicId'], principal.sub, r.scope === 'admin');

      // Idempotency-Key on every POST.
      let idem: { principal: string; key: string } | null = null;
      const idemKey = req.method === 'POST' ? (req.headers.get('idempotency-key')?.trim() ?? '') : null;
      if (idemKey !== null) {
        if (idemKey === '' || idemKey.length > 255)
          fail(ApiCodes.IDEMPOTENCY_KEY_REQUIRED, 'send an Idempotency-Key header (1–255 characters)');
        const pid = principalId(principal);
        const fingerprint = await sha256Hex(`${req.method} ${cleanPath}\n${JSON.stringify(body)}`);
        const begun = IdemRow.parse(
          await service('api_idempotency_begin', {
            p_principal: pid,
            p_key: idemKey,
            p_fingerprint: fingerprint,
          }),
        );
        if (begun.state === 'mismatch')
          fail(ApiCodes.IDEMPOTENCY_KEY_REUSED, 'this Idempotency-Key was used with another request');
        if (begun.state === 'pending')
          fail(
            ApiCodes.IDEMPOTENCY_IN_PROGRESS,
            'the first request with this Idempotency-Key is still running',
          );
        if (begun.state === 'done') {
          const h = begun.headers ?? {};
          const isProblem = (begun.status ?? 200) >= 400;
          return new Response(begun.body ?? '', {
            status: begun.status ?? 200,
            headers: {
              'content-type': isProblem ? 'application/problem+json' : 'application/json',
              ...CORS,
              ...rate,
              ...h,
              'idempotent-replayed': 'true',
            },
          });
        }
        idem = { principal: pid, key: idemKey };
      }

      const ctx: Ctx = {
        route: r,
        params,
        query,
        body,
        principal,
        services,
        ifMatch,
        idempotencyKey: idemKey,
      };
      let answer: Answer;
      try {
        answer = await OPERATIONS[r.operationId]!(ctx);
      } catch (e) {
        answer = e instanceof ProblemError ? problemAnswer(e, cleanPath) : { status: 500, body: null };
        if (!(e instanceof ProblemError)) {
          rt.log.error('operation failed', {
            op: r.operationId,
            err: e instanceof Error ? e.name : 'unknown',
          });
          answer = problemAnswer(new ProblemError(coded('INTERNAL')), cleanPath);
        }
      }
      if (idem) {
        // The first answer is kept (4xx included: the same request would be refused the same way);
        // a 5xx releases the key so that the client may retry, and so do 401/403: a refusal of who the
        // caller is (an expired or revoked token, a role taken away) must not be replayed to the same
        // principal once it may act, nor let anyone plant an answer under a key.
        if (answer.status >= 500 || answer.status === 401 || answer.status === 403)
          await service('api_idempotency_abort', { p_principal: idem.principal, p_key: idem.key });
        else
          await service('api_idempotency_finish', {
            p_principal: idem.principal,
            p_key: idem.key,
            p_status: answer.status,
            p_headers: answer.headers ?? {},
            p_body: JSON.stringify(answer.body),
          });
      }
      return respond(answer, rate);
    } catch (e) {
      if (e instanceof ProblemError) return respond(problemAnswer(e, cleanPath), rate);
      rt.log.error('request failed', {
        err: e instanceof RpcError ? `rpc ${e.status} ${e.code}` : e instanceof Error ? e.name : 'unknown',
      });
      return respond(problemAnswer(new ProblemError(coded('INTERNAL')), cleanPath), rate);
    }
  };
};
