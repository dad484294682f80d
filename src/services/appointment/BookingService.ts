/**
 * BookingService — patients and staff book, cancel, check in, say "I'm running late", list their visits
 * and follow one visit through its private tracking link. Validates input (zod), calls the repository (the
 * database functions check the rules atomically, capacity included), publishes booking events on the bus
 * after success (the confirmation SMS listens), returns a Result with a stable code.
 */
import { z } from '../shared/zod';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { systemClock, type Clock } from '../shared/Clock';
import type { EventBus } from '../shared/EventBus';
import type { Logger } from '../shared/Logger';
import { err, ok, type Result } from '../shared/Result';
import type { BookingBusEvents } from './api/events';
import { asciiEmail, notificationPreferencesProblem } from './api/notificationPreferences';
import type {
  Booking,
  BookingRepository,
  DeviceKind,
  FluidBooking,
  FluidDay,
  FreeSlot,
  MyNotificationPreferences,
  MyName,
  MyPatientName,
  MyVisit,
  NotificationPreferences,
  VisitStatus,
} from './repositories/BookingRepository';
import type { DeskBookInput, DeskBooking } from './deskBook';
import type { PublicClinic, PublicClinicRepository } from './repositories/PublicClinicRepository';

const localDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const instant = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'Invalid timestamp'));
const id = z.string().check(z.minLength(1), z.maxLength(200));

export const FreeSlotsInputSchema = z.object({
  clinicId: id,
  from: localDate,
  to: z.optional(z.nullable(localDate)),
  appointmentTypeId: z.optional(z.nullable(id)),
  practitionerId: z.optional(z.nullable(id)),
});
export const BookInputSchema = z.object({
  clinicId: id,
  slotStart: instant,
  appointmentTypeId: z.optional(z.nullable(id)),
  practitionerId: z.optional(z.nullable(id)),
  fullName: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(200)))),
  language: z.optional(z.nullable(z.enum(['ar', 'fr', 'en']))),
});
/** A place in a day's line for a fluid visit type (issue 17, F1). */
export const BookFluidInputSchema = z.object({
  clinicId: id,
  day: localDate,
  appointmentTypeId: z.optional(z.nullable(id)),
  practitionerId: z.optional(z.nullable(id)),
  fullName: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(200)))),
  language: z.optional(z.nullable(z.enum(['ar', 'fr', 'en']))),
});
/** How the patient wants messages (issue 20): email needs a valid address; '' = no address. */
export const NotificationPreferencesSchema = z
  .object({
    channel: z.nullable(z.enum(['sms', 'email', 'whatsapp'])),
    email: z.nullable(
      z.pipe(
        z.string().check(z.trim(), z.maxLength(254)),
        // an international or look-alike domain goes as punycode (fix25: the database keeps domains ASCII)
        z.transform((v) => (v === '' ? null : asciiEmail(v.toLowerCase()))),
      ),
    ),
  })
  .check(
    z.superRefine((p, ctx) => {
      const problem = notificationPreferencesProblem(p);
      if (problem) ctx.addIssue({ code: 'custom', path: ['email'], message: problem });
    }),
  );
export type NotificationPreferencesInput = z.input<typeof NotificationPreferencesSchema>;
export const StaffBookInputSchema = z.object({
  clinicId: id,
  patientId: id,
  slotStart: instant,
  appointmentTypeId: z.optional(z.nullable(id)),
  practitionerId: z.optional(z.nullable(id)),
});
/** Staff take a place in a fluid type's day line for a patient of their clinic (issue 17, F1–F4). */
export const StaffBookFluidInputSchema = z.object({
  clinicId: id,
  patientId: id,
  day: localDate,
  appointmentTypeId: z.optional(z.nullable(id)),
  practitionerId: z.optional(z.nullable(id)),
});
export const TrackingTokenSchema = z.string().check(z.minLength(16), z.maxLength(200));
export const RescheduleInputSchema = z.object({ entryId: id, slotStart: instant });
/** A fluid visit to another day's line (issue 17). */
export const RescheduleFluidInputSchema = z.object({ entryId: id, day: localDate });

export type FreeSlotsInput = z.input<typeof FreeSlotsInputSchema>;
export type BookInput = z.input<typeof BookInputSchema>;
export type StaffBookInput = z.input<typeof StaffBookInputSchema>;
export type StaffBookFluidInput = z.input<typeof StaffBookFluidInputSchema>;
export type { DeskBookInput, DeskBooking } from './deskBook';
export type BookingWithLink = Booking & { readonly trackingUrl: string };
export type BookFluidInput = z.input<typeof BookFluidInputSchema>;
export type FluidBookingWithLink = FluidBooking & { readonly trackingUrl: string };
export type RescheduleInput = z.input<typeof RescheduleInputSchema>;
export type RescheduledWithLink = BookingWithLink & { readonly rescheduledFrom: string };
export type RescheduleFluidInput = z.input<typeof RescheduleFluidInputSchema>;
export type RescheduledFluidWithLink = FluidBookingWithLink & { readonly rescheduledFrom: string };

export interface BookingServiceDeps {
  readonly repo: BookingRepository;
  readonly bus: Pick<EventBus<BookingBusEvents>, 'publish'>;
  readonly clock?: Clock;
  readonly actor?: () => string | null;
  /** Builds the private tracking link from a token (default `/t/<token>`, the app's tracking route). */
  readonly trackingUrl?: (token: string) => string;
  readonly logger?: Logger;
  /** The public clinic pages (booking page): optional, the queue-only runtimes do not need it. */
  readonly publicClinics?: PublicClinicRepository;
}

const invalid = (e: z.core.$ZodError): AppError =>
  appError(ErrorCodes.VALIDATION_FAILED, 'Invalid input', {
    issues: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });

/** A reschedule answered CONCURRENCY.RETRY (nothing written) is tried at most this many times in all. */
const RESCHEDULE_ATTEMPTS = 3;

export class BookingService {
  private readonly clock: Clock;
  private readonly actor: () => string | null;
  private readonly link: (token: string) => string;

  constructor(private readonly deps: BookingServiceDeps) {
    this.clock = deps.clock ?? systemClock;
    this.actor = deps.actor ?? (() => null);
    this.link = deps.trackingUrl ?? ((t) => `/t/${t}`);
  }

  async freeSlots(input: FreeSlotsInput): Promise<Result<readonly FreeSlot[], AppError>> {
    const p = FreeSlotsInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    return this.deps.repo.freeSlots(
      p.data.clinicId,
      p.data.from,
      p.data.to ?? null,
      p.data.appointmentTypeId ?? null,
      p.data.practitionerId ?? null,
    );
  }

  /** The signed-in patient books a slot: ticket + private tracking link; AppointmentBooked is published. */
  async book(input: BookInput): Promise<Result<BookingWithLink, AppError>> {
    const p = BookInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    const r = await this.deps.repo.book({ ...p.data, slotStart: new Date(p.data.slotStart).toISOString() });
    return this.booked(r);
  }

  /** The days of a fluid visit type with places left (F1, F2); [] for a slotted type. */
  async fluidDays(input: FreeSlotsInput): Promise<Result<readonly FluidDay[], AppError>> {
    const p = FreeSlotsInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    return this.deps.repo.fluidDays(
      p.data.clinicId,
      p.data.from,
      p.data.to ?? null,
      p.data.appointmentTypeId ?? null,
      p.data.practitionerId ?? null,
    );
  }

  /** The signed-in patient takes a place in a day's line (fluid type): ticket + tracking link, no time. */
  async bookFluid(input: BookFluidInput): Promise<Result<FluidBookingWithLink, AppError>> {
    const p = BookFluidInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    return this.booked(await this.deps.repo.bookFluid(p.data));
  }

  /** Staff book on a patient's behalf (notice and horizon do not apply; capacity and hours do). */
  async staffBook(input: StaffBookInput): Promise<Result<BookingWithLink, AppError>> {
    const p = StaffBookInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    const r = await this.deps.repo.staffBook({
      ...p.data,
      slotStart: new Date(p.data.slotStart).toISOString(),
    });
    return this.booked(r);
  }

  /** Staff take a place in a day's line for a patient (fluid type; notice and horizon do not apply). */
  async staffBookFluid(input: StaffBookFluidInput): Promise<Result<FluidBookingWithLink, AppError>> {
    const p = StaffBookFluidInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    return this.booked(await this.deps.repo.staffBookFluid(p.data));
  }

  /**
   * "Book a visit" at the desk (issue 17): find or create the caller's patient record by phone and name, then
   * book the slot or the day's place with the staff rules (./deskBook.ts, loaded on first use: the desk's
   * first render and the patient screens do not carry it).
   */
  async deskBook(input: DeskBookInput): Promise<Result<DeskBooking, AppError>> {
    return (await import('./deskBook')).deskBook(this.deps.repo, this, input);
  }

  async cancel(
    entryId: string,
    reason: string | null = null,
  ): Promise<Result<{ entryId: string; status: 'cancelled' }, AppError>> {
    const p = id.safeParse(entryId);
    if (!p.success) return err(invalid(p.error));
    const r = await this.deps.repo.cancel(entryId, reason);
    if (r.ok) {
      this.deps.bus.publish('AppointmentCancelled', {
        type: 'AppointmentCancelled',
        entryId,
        reason,
        occurredAt: this.clock.now().toISOString(),
        actorId: this.actor(),
      });
    }
    return r.ok ? ok({ ...r.value }) : r;
  }

  /**
   * The signed-in patient moves their booked visit to another slot (models/Reschedule.ts): one operation
   * in the database — the old visit is cancelled only if the new slot is taken. The new visit has its own
   * ticket and tracking link; AppointmentBooked is published for it (its confirmation, the same key as the
   * server's), nothing for the replaced one (the patient moved it themselves: no "cancelled" message).
   */
  async reschedule(input: RescheduleInput): Promise<Result<RescheduledWithLink, AppError>> {
    const p = RescheduleInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    const slot = new Date(p.data.slotStart).toISOString();
    // CONCURRENCY.RETRY: the database met a deadlock/serialization failure and wrote nothing — try again
    // (bounded); every other refusal is final
    return this.moved(() => this.deps.repo.reschedule(p.data.entryId, slot));
  }

  /**
   * The signed-in patient moves their fluid visit to another day's line (models/Reschedule.ts, RS fluid): one
   * operation in the database, as `reschedule`; the new visit's AppointmentBooked is published.
   */
  async rescheduleFluid(input: RescheduleFluidInput): Promise<Result<RescheduledFluidWithLink, AppError>> {
    const p = RescheduleFluidInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    return this.moved(() => this.deps.repo.rescheduleFluid(p.data.entryId, p.data.day));
  }

  /** A move: CONCURRENCY.RETRY (the database wrote nothing) is tried again, bounded; every other refusal is final. */
  private async moved<B extends Booking | FluidBooking>(
    move: () => Promise<Result<B & { readonly rescheduledFrom: string }, AppError>>,
  ): Promise<Result<B & { readonly trackingUrl: string; readonly rescheduledFrom: string }, AppError>> {
    let r = await move();
    for (let i = 1; i < RESCHEDULE_ATTEMPTS && !r.ok && r.error.code === ErrorCodes.CONCURRENCY_RETRY; i++)
      r = await move();
    if (!r.ok) {
      this.deps.logger?.info({ code: r.error.code }, 'reschedule refused');
      return r;
    }
    const booked = this.booked(r);
    return booked.ok ? ok({ ...booked.value, rescheduledFrom: r.value.rescheduledFrom }) : booked;
  }

  async checkIn(entryId: string) {
    const p = id.safeParse(entryId);
    if (!p.success) return err(invalid(p.error));
    return this.deps.repo.checkIn(entryId);
  }

  /**
   * The kiosk (its paired device token, no staff session; kiosk17): today's visit with this ticket whose
   * patient's phone ends with these 4 digits, checked in (./kiosk.ts, loaded on first use: only the kiosk's
   * screens carry it). Arabic-Indic digits are read as digits.
   */
  async kioskCheckIn(kioskToken: string, ticket: string, phoneLast4: string) {
    return (await import('./kiosk')).kioskCheckIn(this.deps.repo, kioskToken, ticket, phoneLast4);
  }

  /** The clinic a kiosk token opens, or KIOSK.NOT_PAIRED (revoked, unknown). */
  async kiosk(kioskToken: string) {
    return (await import('./kiosk')).kiosk(this.deps.repo, kioskToken);
  }

  /** Staff (owner, admin, receptionist): pairs this device as the clinic's kiosk; the token is shown once. */
  async pairKiosk(clinicId: string, label: string, kind?: DeviceKind) {
    return (await import('./kiosk')).pairKiosk(this.deps.repo, clinicId, label, kind);
  }

  /** Staff: the clinic's kiosks (never their tokens). */
  async kiosks(clinicId: string, kind?: DeviceKind) {
    return (await import('./kiosk')).kiosks(this.deps.repo, clinicId, kind);
  }

  /** Staff: the rooms a paired board screen shows (board20; [] = every room). */
  async setBoardRooms(deviceId: string, rooms: readonly string[]) {
    return (await import('./kiosk')).setBoardRooms(this.deps.repo, deviceId, rooms);
  }

  /** Staff: the kiosk stops at once. */
  async revokeKiosk(deviceId: string, kind?: DeviceKind) {
    return (await import('./kiosk')).revokeKiosk(this.deps.repo, deviceId, kind);
  }

  /**
   * The kiosk (kiosk17f): a walk-in without a booking takes a place in today's line — a name and a phone (any
   * form PhoneNumber accepts, handed on in E.164); the database applies the clinic's walk-in rules. The ticket
   * carries its tracking link as every booking's does (the deployment's public address, else the page's origin).
   */
  async kioskRegisterWalkIn(
    kioskToken: string,
    input: { fullName: string; phone: string; language: 'ar' | 'fr' | 'en' | null },
  ) {
    return (await import('./kiosk')).kioskRegisterWalkIn(this.deps.repo, kioskToken, input, this.link);
  }

  /** Staff (owner, admin, receptionist): a pairing code to type on the tablet (10 minutes, once). */
  async createKioskPairingCode(clinicId: string, label: string) {
    return (await import('./kiosk')).createKioskPairingCode(this.deps.repo, clinicId, label);
  }

  /** The unpaired tablet: a staff member's pairing code for the kiosk's device token. */
  async redeemKioskPairingCode(code: string) {
    return (await import('./kiosk')).redeemKioskPairingCode(this.deps.repo, code);
  }

  /** "I'm running late": by the signed-in patient (entryId) or anyone holding the tracking token. */
  async runningLate(ref: { entryId: string } | { trackingToken: string }) {
    if ('trackingToken' in ref && !TrackingTokenSchema.safeParse(ref.trackingToken).success) {
      return err(appError(ErrorCodes.NOT_FOUND, 'visit not found'));
    }
    return this.deps.repo.runningLate(ref);
  }

  /** A clinic's public page by slug or id (visit types, weekly hours, doctors, booking rules). */
  async publicClinic(slugOrId: string): Promise<Result<PublicClinic, AppError>> {
    const p = id.safeParse(slugOrId);
    if (!p.success) return err(invalid(p.error));
    if (!this.deps.publicClinics) return err(appError(ErrorCodes.NOT_FOUND, 'no public clinic directory'));
    return this.deps.publicClinics.publicClinic(p.data);
  }

  myVisits(): Promise<Result<readonly MyVisit[], AppError>> {
    return this.deps.repo.myVisits();
  }

  /** The signed-in patient's own name for this clinic's booking form (a returning patient's is filled). */
  async myPatientName(clinicId: string): Promise<Result<MyPatientName, AppError>> {
    const p = id.safeParse(clinicId);
    if (!p.success) return err(invalid(p.error));
    return this.deps.repo.myPatientName(p.data);
  }

  /**
   * The signed-in patient corrects their own name at a clinic (issue 12: the "Your name at {clinic}" card on My
   * visits). The database normalises and limits it (3 own renames a clinic day: PATIENT.RENAME_LIMIT).
   */
  async setMyName(clinicId: string, fullName: string): Promise<Result<MyName, AppError>> {
    const p = id.safeParse(clinicId);
    if (!p.success) return err(invalid(p.error));
    return this.deps.repo.setMyName(p.data, fullName); // the database normalises and refuses (VALIDATION.FAILED)
  }

  /** What is wrong with a channel choice, checked as the database checks it (the form says it first). */
  notificationPreferencesProblem(
    prefs: NotificationPreferencesInput,
  ): 'email_required' | 'email_invalid' | null {
    return notificationPreferencesProblem(prefs);
  }

  /** The signed-in patient's own channel and address in this clinic (the booking form starts from it). */
  async myNotificationPreferences(clinicId: string): Promise<Result<MyNotificationPreferences, AppError>> {
    const p = id.safeParse(clinicId);
    if (!p.success) return err(invalid(p.error));
    return this.deps.repo.myNotificationPreferences(p.data);
  }

  /**
   * Mails QueueMed's own code to the address saved on the patient's record in this clinic (mail22: the clinic's
   * mail goes only to an address proved with it).
   */
  async sendNotificationEmailCode(clinicId: string): Promise<Result<void, AppError>> {
    const p = id.safeParse(clinicId);
    if (!p.success) return err(invalid(p.error));
    return this.deps.repo.sendNotificationEmailCode(p.data);
  }

  /** Enters the 6-digit code sent to the address: it is proved, and the clinic's email goes there. */
  async confirmNotificationEmail(clinicId: string, code: string): Promise<Result<void, AppError>> {
    const p = id.safeParse(clinicId);
    if (!p.success) return err(invalid(p.error));
    const c = code.trim();
    return /^\d{6}$/.test(c)
      ? this.deps.repo.confirmNotificationEmail(p.data, c)
      : err(appError(ErrorCodes.VALIDATION_FAILED, 'code'));
  }

  /**
   * Sets how the clinic's messages reach the patient (issue 20). The server routes every message by it; the
   * browser never picks a channel per message.
   */
  async setMyNotificationPreferences(
    clinicId: string,
    prefs: NotificationPreferencesInput,
  ): Promise<Result<NotificationPreferences, AppError>> {
    const c = id.safeParse(clinicId);
    if (!c.success) return err(invalid(c.error));
    const p = NotificationPreferencesSchema.safeParse(prefs);
    if (!p.success) return err(invalid(p.error));
    return this.deps.repo.setMyNotificationPreferences(c.data, p.data);
  }

  async visitStatus(trackingToken: string): Promise<Result<VisitStatus, AppError>> {
    if (!TrackingTokenSchema.safeParse(trackingToken).success)
      return err(appError(ErrorCodes.NOT_FOUND, 'visit not found'));
    return this.deps.repo.visitStatus(trackingToken);
  }

  /** @internal the answer of a booking: its tracking link, AppointmentBooked, a log line (deskBook.ts too). */
  booked<B extends Booking | FluidBooking>(
    r: Result<B, AppError>,
  ): Result<B & { readonly trackingUrl: string }, AppError> {
    if (!r.ok) {
      this.deps.logger?.info({ code: r.error.code }, 'booking refused');
      return r;
    }
    const b = r.value;
    const trackingUrl = this.link(b.trackingToken);
    this.deps.bus.publish('AppointmentBooked', {
      type: 'AppointmentBooked',
      clinicId: b.clinicId,
      entryId: b.entryId,
      patientId: b.patientId,
      ticket: b.ticket,
      slotStart: b.slotStart,
      trackingUrl,
      occurredAt: this.clock.now().toISOString(),
      actorId: this.actor(),
    });
    this.deps.logger?.info({ clinicId: b.clinicId, entryId: b.entryId }, 'appointment booked');
    return ok({ ...b, trackingUrl });
  }
}
