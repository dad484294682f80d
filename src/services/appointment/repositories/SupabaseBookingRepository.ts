/** `BookingRepository` on supabase-js: the booking RPCs (zod-parsed) and a table read for "my visits" (RLS: own). */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import type {
  Booking,
  BookingRepository,
  BookFluidRequest,
  BookRequest,
  DeviceKind,
  FluidBooking,
  FluidDay,
  FreeSlot,
  MyNotificationPreferences,
  MyName,
  MyPatientName,
  NotificationPreferences,
  MyVisit,
  Rescheduled,
  RescheduledFluid,
  DeskBooked,
  StaffBookFluidRequest,
  StaffBookRequest,
  StaffDeskBookRequest,
  StaffPatient,
  StaffPatientRequest,
  VisitStatus,
} from './BookingRepository';

const instant = z.pipe(
  z.string(),
  z.transform((v, ctx) => {
    const d = new Date(/^\d{4}-\d\d-\d\d \d/.test(v) ? v.replace(' ', 'T') : v);
    if (Number.isNaN(d.getTime())) {
      ctx.issues.push({ code: 'custom', message: 'Invalid timestamp', input: v });
      return z.NEVER;
    }
    return d.toISOString();
  }),
);
const lang = z.enum(['ar', 'fr', 'en']);

const BookingRow = z.object({
  entry_id: z.string(),
  queue_id: z.string(),
  clinic_id: z.string(),
  patient_id: z.string(),
  day: z.string(),
  ticket_number: z.number().check(z.int()),
  ticket: z.string(),
  slot_start: instant,
  slot_end: instant,
  status: z.literal('scheduled'),
  tracking_token: z.string().check(z.minLength(16)),
});
const toBooking = (r: z.output<typeof BookingRow>): Booking => ({
  entryId: r.entry_id,
  queueId: r.queue_id,
  clinicId: r.clinic_id,
  patientId: r.patient_id,
  day: r.day,
  ticketNumber: r.ticket_number,
  ticket: r.ticket,
  slotStart: r.slot_start,
  slotEnd: r.slot_end,
  status: r.status,
  trackingToken: r.tracking_token,
});
const BookingSchema = z.pipe(BookingRow, z.transform(toBooking));

const FluidRow = z.extend(BookingRow, { slot_start: z.null(), slot_end: z.null(), fluid: z.literal(true) });
const toFluidBooking = (r: z.infer<typeof FluidRow>): FluidBooking => ({
  entryId: r.entry_id,
  queueId: r.queue_id,
  clinicId: r.clinic_id,
  patientId: r.patient_id,
  day: r.day,
  ticketNumber: r.ticket_number,
  ticket: r.ticket,
  slotStart: null,
  slotEnd: null,
  fluid: true,
  status: r.status,
  trackingToken: r.tracking_token,
});
const FluidBookingSchema = z.pipe(FluidRow, z.transform(toFluidBooking));
const RescheduledFluidSchema = z.pipe(
  z.extend(FluidRow, { rescheduled_from: z.string() }),
  z.transform((r): RescheduledFluid => ({ ...toFluidBooking(r), rescheduledFrom: r.rescheduled_from })),
);

const RescheduledSchema = z.pipe(
  z.extend(BookingRow, { rescheduled_from: z.string() }),
  z.transform((r): Rescheduled => ({
    ...toBooking(r),
    rescheduledFrom: r.rescheduled_from,
  })),
);

const VisitStatusSchema = z.pipe(
  z.object({
    entry_id: z.string(),
    clinic: z.object({
      id: z.string(),
      name: z.string(),
      slug: z.string(),
      default_language: lang,
      time_zone: z.string(),
    }),
    day: z.string(),
    ticket: z.string(),
    status: z.string(),
    slot_start: z.nullable(instant),
    room: z.nullable(z.string()),
    grace_ends_at: z.nullable(instant),
    late: z.boolean(),
    position: z.nullable(z.number().check(z.int())),
  }),
  z.transform((r): VisitStatus => ({
    entryId: r.entry_id,
    clinic: {
      id: r.clinic.id,
      name: r.clinic.name,
      slug: r.clinic.slug,
      defaultLanguage: r.clinic.default_language,
      timeZone: r.clinic.time_zone,
    },
    day: r.day,
    ticket: r.ticket,
    status: r.status,
    slotStart: r.slot_start,
    room: r.room,
    graceEndsAt: r.grace_ends_at,
    late: r.late,
    position: r.position,
  })),
);

/** The arguments every patient booking RPC shares (book_appointment, book_fluid_place). */
const patientBooks = (r: Omit<BookRequest, 'slotStart'>) => ({
  p_clinic_id: r.clinicId,
  p_appointment_type_id: r.appointmentTypeId ?? null,
  p_practitioner_id: r.practitionerId ?? null,
  p_full_name: r.fullName ?? null,
  p_language: r.language ?? null,
});

const StaffPatientRow = z.object({ patient_id: z.string(), full_name: z.string(), created: z.boolean() });
const toStaffPatient = (x: z.output<typeof StaffPatientRow>): StaffPatient => ({
  patientId: x.patient_id,
  fullName: x.full_name,
  created: x.created,
});

/** The arguments every staff booking RPC shares (staff_book_appointment, staff_book_fluid_place). */
const staffBooks = (r: Omit<StaffBookRequest, 'slotStart'>) => ({
  p_clinic_id: r.clinicId,
  p_patient_id: r.patientId,
  p_appointment_type_id: r.appointmentTypeId ?? null,
  p_practitioner_id: r.practitionerId ?? null,
});

const PrefsShape = {
  channel: z.nullable(z.enum(['sms', 'email', 'whatsapp'])),
  email: z.nullable(z.string().check(z.maxLength(254))),
};

/** A GoTrue answer of the email proof → ok, or a coded error (429 → RATE.LIMITED, any refusal → VALIDATION.FAILED;
 *  never GoTrue's text to the user). */
/** confirm_notification_email's answer (mail22). */
const ConfirmEmailShape = z.object({
  confirmed: z.boolean(),
  reason: z.optional(z.enum(['invalid', 'expired', 'too_many'])),
});
const CONFIRM_REFUSALS = {
  invalid: ErrorCodes.EMAIL_PROOF_CODE_INVALID,
  expired: ErrorCodes.EMAIL_PROOF_CODE_EXPIRED,
  too_many: ErrorCodes.EMAIL_PROOF_TOO_MANY_ATTEMPTS,
} as const;

export class SupabaseBookingRepository implements BookingRepository {
  constructor(private readonly client: SupabaseClient) {}

  freeSlots(
    clinicId: string,
    from: string,
    to?: string | null,
    appointmentTypeId?: string | null,
    practitionerId?: string | null,
  ): Promise<Result<readonly FreeSlot[], AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('get_free_slots', {
          p_clinic_id: clinicId,
          p_from: from,
          p_to: to ?? null,
          p_appointment_type_id: appointmentTypeId ?? null,
          ...(practitionerId ? { p_practitioner_id: practitionerId } : {}),
        }),
        z.array(z.object({ start: instant, end: instant, remaining: z.number().check(z.int()) })),
        'get_free_slots',
      ),
    );
  }

  /** One booking RPC (every way of booking answers the same row: slot times null for a fluid place). */
  private booking<S extends z.ZodMiniType>(
    fn: string,
    args: Record<string, unknown>,
    schema: S,
  ): Promise<Result<z.output<S>, AppError>> {
    return guard(async () => fromResponse(await this.client.rpc(fn, args), schema, fn));
  }

  book(r: BookRequest): Promise<Result<Booking, AppError>> {
    return this.booking('book_appointment', { ...patientBooks(r), p_slot_start: r.slotStart }, BookingSchema);
  }

  fluidDays(
    clinicId: string,
    from: string,
    to?: string | null,
    appointmentTypeId?: string | null,
    practitionerId?: string | null,
  ): Promise<Result<readonly FluidDay[], AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('get_fluid_days', {
          p_clinic_id: clinicId,
          p_from: from,
          p_to: to ?? null,
          p_appointment_type_id: appointmentTypeId ?? null,
          // F7: sent only with a doctor, so a server without the argument still answers "any doctor"
          ...(practitionerId ? { p_practitioner_id: practitionerId } : {}),
        }),
        z.array(
          z.object({
            day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
            remaining: z.number().check(z.int()),
          }),
        ),
        'get_fluid_days',
      ),
    );
  }

  bookFluid(r: BookFluidRequest): Promise<Result<FluidBooking, AppError>> {
    return this.booking('book_fluid_place', { ...patientBooks(r), p_day: r.day }, FluidBookingSchema);
  }

  staffBook(r: StaffBookRequest): Promise<Result<Booking, AppError>> {
    return this.booking(
      'staff_book_appointment',
      { ...staffBooks(r), p_slot_start: r.slotStart },
      BookingSchema,
    );
  }

  staffBookFluid(r: StaffBookFluidRequest): Promise<Result<FluidBooking, AppError>> {
    return this.booking('staff_book_fluid_place', { ...staffBooks(r), p_day: r.day }, FluidBookingSchema);
  }

  staffPatient(r: StaffPatientRequest): Promise<Result<StaffPatient, AppError>> {
    return this.booking(
      'staff_find_or_create_patient',
      {
        p_clinic_id: r.clinicId,
        p_full_name: r.fullName,
        p_phone: r.phone,
        p_language: r.language ?? null,
      },
      z.pipe(StaffPatientRow, z.transform(toStaffPatient)),
    );
  }

  staffDeskBook(r: StaffDeskBookRequest): Promise<Result<DeskBooked, AppError>> {
    return this.booking(
      'staff_desk_book',
      {
        p_clinic_id: r.clinicId,
        p_full_name: r.fullName,
        p_phone: r.phone,
        p_language: r.language ?? null,
        p_slot_start: r.slotStart ?? null,
        p_day: r.day ?? null,
        p_appointment_type_id: r.appointmentTypeId ?? null,
        p_practitioner_id: r.practitionerId ?? null,
      },
      z.union([
        z.pipe(
          z.extend(FluidRow, { patient: StaffPatientRow }),
          z.transform((x): DeskBooked => ({ ...toFluidBooking(x), patient: toStaffPatient(x.patient) })),
        ),
        z.pipe(
          z.extend(BookingRow, { patient: StaffPatientRow }),
          z.transform((x): DeskBooked => ({ ...toBooking(x), patient: toStaffPatient(x.patient) })),
        ),
      ]),
    );
  }

  cancel(entryId: string, reason?: string | null) {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('cancel_appointment', { p_entry_id: entryId, p_reason: reason ?? null }),
        z.object({ entry_id: z.string(), status: z.literal('cancelled') }),
        'cancel_appointment',
      );
      return r.ok ? ok({ entryId: r.value.entry_id, status: r.value.status }) : r;
    });
  }

  checkIn(entryId: string) {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('check_in', { p_entry_id: entryId }),
        z.object({ entry_id: z.string(), status: z.literal('waiting') }),
        'check_in',
      );
      return r.ok ? ok({ entryId: r.value.entry_id, status: r.value.status }) : r;
    });
  }

  // the kiosk's calls (kiosk17) load with the kiosk's screens only: ./supabaseKiosk.ts
  async kioskCheckIn(kioskToken: string, ticket: string, phoneLast4: string) {
    return (await import('./supabaseKiosk')).kioskCheckIn(this.client, kioskToken, ticket, phoneLast4);
  }

  async kiosk(kioskToken: string) {
    return (await import('./supabaseKiosk')).kiosk(this.client, kioskToken);
  }

  async pairKiosk(clinicId: string, label: string, kind?: DeviceKind) {
    return (await import('./supabaseKiosk')).pairKiosk(this.client, clinicId, label, kind);
  }

  async kiosks(clinicId: string, kind?: DeviceKind) {
    return (await import('./supabaseKiosk')).kiosks(this.client, clinicId, kind);
  }

  async setBoardRooms(deviceId: string, rooms: readonly string[]) {
    return (await import('./supabaseKiosk')).setBoardRooms(this.client, deviceId, rooms);
  }

  async revokeKiosk(deviceId: string, kind?: DeviceKind) {
    return (await import('./supabaseKiosk')).revokeKiosk(this.client, deviceId, kind);
  }

  async kioskRegisterWalkIn(
    kioskToken: string,
    fullName: string,
    phone: string,
    language: 'ar' | 'fr' | 'en' | null,
  ) {
    return (await import('./supabaseKiosk')).kioskRegisterWalkIn(
      this.client,
      kioskToken,
      fullName,
      phone,
      language,
    );
  }

  async createKioskPairingCode(clinicId: string, label: string) {
    return (await import('./supabaseKiosk')).createKioskPairingCode(this.client, clinicId, label);
  }

  async redeemKioskPairingCode(code: string) {
    return (await import('./supabaseKiosk')).redeemKioskPairingCode(this.client, code);
  }

  runningLate(ref: { readonly entryId: string } | { readonly trackingToken: string }) {
    return guard(async () => {
      const args =
        'trackingToken' in ref
          ? { p_entry_id: null, p_tracking_token: ref.trackingToken }
          : { p_entry_id: ref.entryId, p_tracking_token: null };
      const r = fromResponse(
        await this.client.rpc('report_running_late', args),
        z.object({ entry_id: z.string() }),
        'report_running_late',
      );
      return r.ok ? ok({ entryId: r.value.entry_id }) : r;
    });
  }

  reschedule(entryId: string, slotStart: string): Promise<Result<Rescheduled, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('reschedule_appointment', { p_entry_id: entryId, p_slot_start: slotStart }),
        RescheduledSchema,
        'reschedule_appointment',
      ),
    );
  }

  rescheduleFluid(entryId: string, day: string): Promise<Result<RescheduledFluid, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('reschedule_fluid_place', { p_entry_id: entryId, p_day: day }),
        RescheduledFluidSchema,
        'reschedule_fluid_place',
      ),
    );
  }

  myVisits(): Promise<Result<readonly MyVisit[], AppError>> {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('get_my_visits'),
        z.array(
          z.object({
            entry_id: z.string(),
            clinic_id: z.string(),
            status: z.string(),
            ticket_number: z.number().check(z.int()),
            ticket: z.string(),
            slot_start: z.nullable(instant),
            kind: z.enum(['booked', 'walk_in']),
            tracking_token: z.nullable(z.string()),
            appointment_type_id: z.optional(z.nullable(z.string())),
            day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
            practitioner_id: z.optional(z.nullable(z.string())),
          }),
        ),
        'get_my_visits',
      );
      return r.ok
        ? ok(
            r.value.map((v) => ({
              entryId: v.entry_id,
              clinicId: v.clinic_id,
              status: v.status,
              ticketNumber: v.ticket_number,
              ticket: v.ticket,
              slotStart: v.slot_start,
              kind: v.kind,
              trackingToken: v.tracking_token,
              appointmentTypeId: v.appointment_type_id ?? null,
              day: v.day,
              practitionerId: v.practitioner_id ?? null,
            })),
          )
        : r;
    });
  }

  myPatientName(clinicId: string): Promise<Result<MyPatientName, AppError>> {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('get_my_patient_name', { p_clinic_id: clinicId }),
        z.object({ full_name: z.nullable(z.string()), known: z.boolean() }),
        'get_my_patient_name',
      );
      return r.ok ? ok({ fullName: r.value.full_name, known: r.value.known }) : r;
    });
  }

  setMyName(clinicId: string, fullName: string): Promise<Result<MyName, AppError>> {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('set_my_name', { p_clinic_id: clinicId, p_full_name: fullName }),
        z.object({ full_name: z.string(), changed: z.boolean() }),
        'set_my_name',
      );
      return r.ok ? ok({ fullName: r.value.full_name, changed: r.value.changed }) : r;
    });
  }

  myNotificationPreferences(clinicId: string): Promise<Result<MyNotificationPreferences, AppError>> {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('get_my_notification_preferences', { p_clinic_id: clinicId }),
        z.object({
          known: z.boolean(),
          ...PrefsShape,
          email_bounced: z._default(z.boolean(), false),
          email_confirmed: z._default(z.boolean(), false),
        }),
        'get_my_notification_preferences',
      );
      return r.ok
        ? ok({
            known: r.value.known,
            channel: r.value.channel,
            email: r.value.email,
            emailBounced: r.value.email_bounced,
            emailConfirmed: r.value.email_confirmed,
          })
        : r;
    });
  }

  /** request_notification_email_code: the database makes the code, keeps its hash and mails it (mail22). */
  sendNotificationEmailCode(clinicId: string): Promise<Result<void, AppError>> {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('request_notification_email_code', { p_clinic_id: clinicId }),
        z.object({ email: z.string(), expires_at: z.string() }),
        'request_notification_email_code',
      );
      return r.ok ? ok(undefined) : r;
    });
  }

  /** confirm_notification_email: a refusal is a value there (so the wrong attempt is counted), a coded error here. */
  confirmNotificationEmail(clinicId: string, code: string): Promise<Result<void, AppError>> {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('confirm_notification_email', { p_clinic_id: clinicId, p_code: code }),
        ConfirmEmailShape,
        'confirm_notification_email',
      );
      if (!r.ok) return r;
      if (r.value.confirmed) return ok(undefined);
      return err(appError(CONFIRM_REFUSALS[r.value.reason ?? 'invalid'], 'the code was not accepted'));
    });
  }

  setMyNotificationPreferences(
    clinicId: string,
    prefs: NotificationPreferences,
  ): Promise<Result<NotificationPreferences, AppError>> {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('set_my_notification_preferences', {
          p_clinic_id: clinicId,
          p_channel: prefs.channel,
          p_email: prefs.email,
        }),
        z.object(PrefsShape),
        'set_my_notification_preferences',
      );
      return r.ok ? ok({ channel: r.value.channel, email: r.value.email }) : r;
    });
  }

  visitStatus(trackingToken: string): Promise<Result<VisitStatus, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('get_visit_status', { p_tracking_token: trackingToken }),
        VisitStatusSchema,
        'get_visit_status',
      ),
    );
  }
}
