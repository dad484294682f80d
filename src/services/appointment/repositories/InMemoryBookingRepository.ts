/**
 * The in-memory fake of `BookingRepository`, bound to one signed-in user (`world.as(userId)`). It applies
 * the booking rules the database functions apply — the slot grid of the working hours (each interval from
 * its start, every duration + buffer_minutes, slots ending inside it) in the clinic's zone, closed dates,
 * notice, horizon, capacity, one open visit per patient and day, cancel notice for patients — and passes
 * the same contract suite as the Supabase adapter.
 */
import { DateTime } from 'luxon';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import type { Clock } from '../../shared/Clock';
import { runtimeZoneRules, type ZoneRules } from '../../shared/ZoneRules';
import { rescheduleDecision, rescheduleFluidDecision } from '../models/Reschedule';
import { sameDayVisitDecision } from '../models/OneVisitPerDay';
import {
  bookingModeDecision,
  effectiveBookingMode,
  fluidDayDecision,
  fluidPlaceDecision,
  fluidPlacesLeft,
  type BookingMode,
} from '../models/BookingMode';
import { err, ok, type Result } from '../../shared/Result';
import { phoneCountryNotAllowed, smsCountryAllowed } from '../../shared/smsCountries';
import { DEFAULT_CLINIC_SETTINGS, type ClinicSettings } from '../../clinic/api';
import { DEFAULT_TICKET_PREFIX, renderTicket } from '../../queue/api';
import type {
  Booking,
  BookingRepository,
  BookFluidRequest,
  BookRequest,
  DeviceKind,
  FluidBooking,
  FluidDay,
  FreeSlot,
  KioskCheckIn,
  KioskDevice,
  KioskPairing,
  KioskPairingCode,
  KioskRedeemed,
  KioskTicket,
  PairedKiosk,
  MyNotificationPreferences,
  MyName,
  MyPatientName,
  NotificationPreferences,
  MyVisit,
  Rescheduled,
  RescheduledFluid,
  StaffBookFluidRequest,
  StaffBookRequest,
  StaffPatient,
  StaffPatientRequest,
  StaffDeskBookRequest,
  DeskBooked,
  VisitStatus,
} from './BookingRepository';
import type {
  RemoteJoined,
  RemoteJoinRepository,
  RemoteJoinRequest,
  RemoteJoinSettings,
  RemoteJoinState,
} from './RemoteJoinRepository';

export interface FakeBookingClinic {
  readonly id: string;
  readonly slug?: string;
  readonly name?: string;
  readonly timeZone?: string;
  readonly settings?: Partial<ClinicSettings>;
  /** Weekday 0 = Sunday … 6 = Saturday (as the database) → intervals `HH:mm`. */
  readonly hours: Readonly<Record<number, readonly { start: string; end: string }[]>>;
  readonly closedDates?: readonly string[];
  readonly appointmentTypes?: readonly {
    id: string;
    durationMinutes: number;
    /** The type's own mode (F4); null/absent = the clinic's `booking_mode`. */
    bookingMode?: BookingMode | null;
    /** appointment_types.practitioner_ids (types19): the doctors (member ids) who offer it; absent = any. */
    practitionerIds?: readonly string[];
  }[];
  readonly staffUserIds?: readonly string[];
  /** The staff among them who are owners/admins (private.require_admin): clinic settings are theirs. */
  readonly adminUserIds?: readonly string[];
  /** clinics.ticket_prefix (default `A`): every ticket of the clinic renders with it, as the database's. */
  readonly ticketPrefix?: string;
  /** clinics.remote_join_cap: remote joins a day (issue 17); null/absent = not offered. */
  readonly remoteJoinCap?: number | null;
  /** clinics.remote_arrival_minutes: minutes a remote joiner has to reach the clinic; null = no window. */
  readonly remoteArrivalMinutes?: number | null;
}

interface Visit {
  entryId: string;
  clinicId: string;
  patientId: string;
  userId: string | null;
  day: string;
  ticketNumber: number;
  slotStart: string;
  slotEnd: string;
  status: string;
  token: string;
  late: boolean;
  typeId: string | null;
  /** The visit's doctor (null = any doctor); a reschedule keeps it (private.book). */
  practitionerId?: string | null;
  rescheduledFrom: string | null;
  /** Joined today's queue from the phone (a waiting walk-in without a slot: slotStart is the join time). */
  remote?: boolean;
  /** A place in the day's line (F1): no slot; slotStart is the booking time (its order until check-in). */
  fluid?: boolean;
}

/** The patient a booking is for; `name` set: a new record, written with the visit. */
interface NewPatient {
  readonly id: string;
  readonly userId: string | null;
  readonly name: string | null;
}

const fail = (code: AppError['code'], message: string): Result<never, AppError> =>
  err(appError(code, message));
const MIN = 60_000;

export class InMemoryBookingWorld {
  readonly clinics = new Map<string, Required<FakeBookingClinic>>();
  readonly visits: Visit[] = [];
  readonly patients = new Map<
    string,
    {
      clinicId: string;
      userId: string | null;
      fullName: string;
      phone?: string | null;
      channel?: 'sms' | 'email' | 'whatsapp' | null;
      email?: string | null;
      /** The mail server refused `email` for good (cleared when the patient saves another address). */
      emailBounced?: boolean;
    }
  >();
  /** The notification addresses each account proved with QueueMed's own code (mail22), by user id. */
  readonly provedEmails = new Map<string | null, Set<string>>();
  /** The live code per account (as confirm_notification_email keeps it: address, clinic, expiry, wrong entries). */
  readonly emailCodes = new Map<
    string,
    { clinicId: string; email: string; code: string; wrong: number; expiresAt: number }
  >();
  /** Codes asked for per account (times, ms): 5 an hour, as the database limits them. */
  readonly emailCodeAsks = new Map<string, number[]>();
  /** The last code "sent" to each address (tests read it like the dev outbox). */
  readonly emailOutbox = new Map<string, string>();
  readonly nextTicket = new Map<string, number>();
  /** Paired kiosks by token (the database keeps only the token's hash; kiosk17). */
  readonly kiosks = new Map<string, PairedKiosk & { clinicId: string; kind?: DeviceKind }>();
  /** board20: each clinic's rooms (its members' rooms), for a board screen's rooms */
  clinicRooms?: Map<string, readonly string[]>;
  /** Wrong kiosk answers (private.kiosk_attempts) and locks (private.kiosk_locks; ticket null: the clinic). */
  readonly kioskAttempts: { clinicId: string; ticket: number; at: number }[] = [];
  readonly kioskLocks: { clinicId: string; ticket: number | null; until: number }[] = [];
  /** Walk-ins registered per kiosk (private.kiosk_walk_ins), pairing codes and wrong codes (kiosk17f). */
  readonly kioskWalkIns: { deviceId: string; at: number }[] = [];
  readonly kioskCodes = new Map<
    string,
    { clinicId: string; label: string; expires: number; used: boolean; by: string | null }
  >();
  readonly kioskCodeFailures: number[] = [];
  /** A patient's own renames per clinic day (`patientId|day`), as private.patient_self_renames counts them. */
  readonly selfRenames = new Map<string, number>();
  /** A doctor's leave (hours19, H2), as practitioner_leave: member id and days inclusive. */
  readonly leave: { practitionerId: string; fromDay: string; toDay: string }[] = [];
  onLeave(practitionerId: string | null | undefined, day: string): boolean {
    return this.leave.some((l) => l.practitionerId === practitionerId && l.fromDay <= day && day <= l.toDay);
  }

  constructor(
    readonly clock: Clock,
    readonly zones: ZoneRules = runtimeZoneRules,
  ) {}

  addClinic(c: FakeBookingClinic): void {
    this.clinics.set(c.id, {
      slug: c.id,
      name: 'Clinic',
      timeZone: 'Africa/Casablanca',
      settings: {},
      closedDates: [],
      appointmentTypes: [],
      staffUserIds: [],
      adminUserIds: [],
      ticketPrefix: DEFAULT_TICKET_PREFIX,
      remoteJoinCap: null,
      remoteArrivalMinutes: null,
      ...c,
    });
  }

  addPatient(
    clinicId: string,
    patientId: string,
    fullName: string,
    userId: string | null = null,
    phone: string | null = null,
  ): void {
    this.patients.set(patientId, { clinicId, userId, fullName, phone });
  }

  as(userId: string | null): BookingRepository {
    return new InMemoryBookingRepository(this, userId);
  }

  /** The remote-join port on the same world (issue 17): joins are visits of this world. */
  remoteAs(userId: string | null): RemoteJoinRepository {
    return new InMemoryBookingRepository(this, userId);
  }
}

class InMemoryBookingRepository implements BookingRepository, RemoteJoinRepository {
  constructor(
    private readonly w: InMemoryBookingWorld,
    private readonly userId: string | null,
  ) {}

  private settings(c: Required<FakeBookingClinic>): ClinicSettings {
    return { ...DEFAULT_CLINIC_SETTINGS, ...c.settings };
  }

  private duration(
    c: Required<FakeBookingClinic>,
    typeId: string | null | undefined,
  ): Result<number, AppError> {
    if (!typeId)
      return ok(
        c.appointmentTypes.length ? Math.min(...c.appointmentTypes.map((t) => t.durationMinutes)) : 15,
      );
    const t = c.appointmentTypes.find((x) => x.id === typeId);
    return t ? ok(t.durationMinutes) : fail(ErrorCodes.NOT_FOUND, 'appointment type not found');
  }

  private daySlots(
    c: Required<FakeBookingClinic>,
    day: string,
    duration: number,
  ): { start: number; end: number }[] {
    if (c.closedDates.includes(day)) return [];
    const date = DateTime.fromISO(day, { zone: this.w.zones(c.timeZone) });
    const step = duration + this.settings(c).buffer_minutes;
    const out: { start: number; end: number }[] = [];
    for (const iv of c.hours[date.weekday % 7] ?? []) {
      const [sh = 0, sm = 0] = iv.start.split(':').map(Number);
      const [eh = 0, em = 0] = iv.end.split(':').map(Number);
      const from = sh * 60 + sm;
      const to = eh * 60 + em;
      for (let m = from; m + duration <= to; m += step) {
        const start = date.set({ hour: 0, minute: 0, second: 0, millisecond: 0 }).plus({ minutes: m });
        out.push({ start: start.toMillis(), end: start.plus({ minutes: duration }).toMillis() });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  }

  private booked(clinicId: string, start: number, end: number): number {
    return this.w.visits.filter(
      (v) =>
        v.clinicId === clinicId &&
        !['cancelled', 'no_show'].includes(v.status) &&
        !v.fluid &&
        Date.parse(v.slotStart) < end &&
        Date.parse(v.slotEnd) > start,
    ).length;
  }

  /**
   * A day with a fluid place whose held minutes (fluid places + slotted visits) leave none for `duration` more:
   * its slots are full (the database's private.fluid_day_taken, migration 20261212700002). Days without a fluid
   * place are decided by slot overlap alone.
   */
  private fluidDayTaken(c: Required<FakeBookingClinic>, day: string, duration: number): boolean {
    const hasFluid = this.w.visits.some(
      (v) => v.clinicId === c.id && v.day === day && v.fluid && !['cancelled', 'no_show'].includes(v.status),
    );
    return (
      hasFluid &&
      fluidPlacesLeft({
        ...this.fluidDayFacts(c, day),
        slotCapacity: this.settings(c).slot_capacity,
        durationMinutes: duration,
      }) < 1
    );
  }

  /** Rules V1–V3 (models/OneVisitPerDay): may the patient get another visit that day? */
  private sameDayVisit(clinicId: string, day: string, patientId: string): Result<void, AppError> {
    return sameDayVisitDecision(
      this.w.visits
        .filter((v) => v.clinicId === clinicId && v.day === day && v.patientId === patientId)
        .map((v) => v.status),
    );
  }

  private today(c: Required<FakeBookingClinic>): string {
    return DateTime.fromJSDate(this.w.clock.now(), { zone: this.w.zones(c.timeZone) }).toISODate() ?? '';
  }

  private isStaff(clinicId: string): boolean {
    return (
      this.userId !== null && (this.w.clinics.get(clinicId)?.staffUserIds.includes(this.userId) ?? false)
    );
  }

  async freeSlots(
    clinicId: string,
    from: string,
    to?: string | null,
    typeId?: string | null,
    practitionerId?: string | null,
  ): Promise<Result<readonly FreeSlot[], AppError>> {
    const c = this.w.clinics.get(clinicId);
    if (!c) return fail(ErrorCodes.NOT_FOUND, 'clinic not found');
    const until = to ?? from;
    const span = DateTime.fromISO(until).diff(DateTime.fromISO(from), 'days').days;
    if (!(span >= 0 && span <= 31))
      return fail(ErrorCodes.VALIDATION_FAILED, 'p_from..p_to must span 0-31 days');
    const d = this.duration(c, typeId);
    if (!d.ok) return d;
    if (this.mode(c, typeId) === 'fluid') return ok([]); // F1: no times for a fluid type
    const s = this.settings(c);
    const today = this.today(c);
    const now = this.w.clock.now().getTime();
    const horizon = DateTime.fromISO(today).plus({ days: s.booking_horizon_days }).toISODate() ?? today;
    const out: FreeSlot[] = [];
    for (
      let day = from < today ? today : from;
      day <= until && day <= horizon;
      day = DateTime.fromISO(day).plus({ days: 1 }).toISODate() ?? until
    ) {
      if (this.fluidDayTaken(c, day, d.value)) continue; // fluid places fill the day: no slot offered
      if (practitionerId && this.w.onLeave(practitionerId, day)) continue; // H2: none of a doctor on leave
      if (!this.anyDoctorWorks(c, day, typeId, practitionerId)) continue; // H6: nobody to take "any doctor"
      for (const slot of this.daySlots(c, day, d.value)) {
        const taken = this.booked(clinicId, slot.start, slot.end);
        if (slot.start >= now + s.min_booking_notice_minutes * MIN && taken < s.slot_capacity) {
          out.push({
            start: new Date(slot.start).toISOString(),
            end: new Date(slot.end).toISOString(),
            remaining: s.slot_capacity - taken,
          });
        }
      }
    }
    return ok(out);
  }

  /** F4: the type's own mode, else the clinic's. */
  private mode(c: Required<FakeBookingClinic>, typeId: string | null | undefined): BookingMode {
    return effectiveBookingMode(
      c.appointmentTypes.find((t) => t.id === typeId)?.bookingMode,
      this.settings(c).booking_mode,
    );
  }

  /** F2: the day's opening minutes, the end of its last interval, and the minutes its bookings hold. */
  private fluidDayFacts(c: Required<FakeBookingClinic>, day: string) {
    const date = DateTime.fromISO(day, { zone: this.w.zones(c.timeZone) });
    const hours = c.hours[date.weekday % 7] ?? [];
    const minutesOf = (hhmm: string) => {
      const [h = 0, m = 0] = hhmm.split(':').map(Number);
      return h * 60 + m;
    };
    const openMinutes = c.closedDates.includes(day)
      ? 0
      : hours.reduce((n, iv) => n + minutesOf(iv.end) - minutesOf(iv.start), 0);
    const lastEnd = hours.length ? Math.max(...hours.map((iv) => minutesOf(iv.end))) : null;
    const heldMinutes = this.w.visits
      .filter(
        (v) =>
          v.clinicId === c.id && v.day === day && !v.remote && !['cancelled', 'no_show'].includes(v.status),
      )
      .reduce((n, v) => {
        if (!v.fluid) return n + (Date.parse(v.slotEnd) - Date.parse(v.slotStart)) / MIN;
        const d = this.duration(c, v.typeId);
        return n + (d.ok ? d.value : 0);
      }, 0);
    return {
      closed: c.closedDates.includes(day),
      openMinutes,
      heldMinutes,
      lastCloseMs:
        lastEnd === null
          ? null
          : date.set({ hour: 0, minute: 0, second: 0, millisecond: 0 }).plus({ minutes: lastEnd }).toMillis(),
    };
  }

  private fluidDayCheck(c: Required<FakeBookingClinic>, day: string, enforceNotice: boolean) {
    const s = this.settings(c);
    const today = this.today(c);
    const f = this.fluidDayFacts(c, day);
    return {
      facts: f,
      decision: fluidDayDecision({
        day,
        today,
        horizonDay: DateTime.fromISO(today).plus({ days: s.booking_horizon_days }).toISODate() ?? today,
        closed: f.closed,
        lastCloseMs: f.lastCloseMs,
        nowMs: this.w.clock.now().getTime(),
        noticeMinutes: s.min_booking_notice_minutes,
        enforceNotice,
      }),
    };
  }

  async fluidDays(
    clinicId: string,
    from: string,
    to?: string | null,
    typeId?: string | null,
    practitionerId?: string | null,
  ): Promise<Result<readonly FluidDay[], AppError>> {
    const c = this.w.clinics.get(clinicId);
    if (!c) return fail(ErrorCodes.NOT_FOUND, 'clinic not found');
    const until = to ?? from;
    const span = DateTime.fromISO(until).diff(DateTime.fromISO(from), 'days').days;
    if (!(span >= 0 && span <= 31))
      return fail(ErrorCodes.VALIDATION_FAILED, 'p_from..p_to must span 0-31 days');
    const d = this.duration(c, typeId);
    if (!d.ok) return d;
    if (this.mode(c, typeId) !== 'fluid') return ok([]);
    const s = this.settings(c);
    const out: FluidDay[] = [];
    for (let day = from; day <= until; day = DateTime.fromISO(day).plus({ days: 1 }).toISODate() ?? until) {
      const { facts, decision } = this.fluidDayCheck(c, day, true);
      if (!decision.ok) continue;
      if (practitionerId && this.w.onLeave(practitionerId, day)) continue; // F7 (H2): not a day of the doctor's leave
      if (!this.anyDoctorWorks(c, day, typeId, practitionerId)) continue; // F8: nobody serves "any doctor"
      const remaining = fluidPlacesLeft({
        ...facts,
        slotCapacity: s.slot_capacity,
        durationMinutes: d.value,
      });
      if (remaining > 0) out.push({ day, remaining });
    }
    return ok(out);
  }

  /**
   * The patient a booking is for: the signed-in caller's record in c (made with `fullName` when they have none
   * — written only with the visit, as the database's transaction does), or a patient of c chosen by staff.
   */
  private patientFor(
    c: Required<FakeBookingClinic>,
    who: { readonly fullName?: string | null } | { readonly patientId: string },
  ): Result<NewPatient, AppError> {
    if ('patientId' in who) {
      if (!this.isStaff(c.id))
        return fail(
          this.userId ? ErrorCodes.AUTH_FORBIDDEN : ErrorCodes.AUTH_REQUIRED,
          'not a member of this clinic',
        );
      const p = this.w.patients.get(who.patientId);
      if (p?.clinicId !== c.id) return fail(ErrorCodes.NOT_FOUND, 'patient not found in this clinic');
      return ok({ id: who.patientId, userId: p.userId, name: null });
    }
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const own = [...this.w.patients.entries()].find(
      ([, p]) => p.clinicId === c.id && p.userId === this.userId,
    );
    if (own) return ok({ id: own[0], userId: this.userId, name: null });
    const name = who.fullName?.trim();
    if (!name || name.length > 200)
      return fail(ErrorCodes.VALIDATION_FAILED, 'a name (1-200 characters) is required');
    return ok({ id: globalThis.crypto.randomUUID(), userId: this.userId, name });
  }

  /** Writes a booked visit (and its new patient) once every rule passed: the day's next ticket, a token. */
  private writeVisit(
    c: Required<FakeBookingClinic>,
    patient: NewPatient,
    day: string,
    at: { start: string; end: string; fluid: boolean },
    typeId: string | null | undefined,
    practitionerId: string | null = null,
  ): Visit {
    if (patient.name !== null) this.w.addPatient(c.id, patient.id, patient.name, patient.userId);
    const key = `${c.id}/${day}`;
    const ticketNumber = this.w.nextTicket.get(key) ?? 1;
    this.w.nextTicket.set(key, ticketNumber + 1);
    const visit: Visit = {
      entryId: globalThis.crypto.randomUUID(),
      clinicId: c.id,
      patientId: patient.id,
      userId: patient.userId,
      day,
      ticketNumber,
      slotStart: at.start,
      slotEnd: at.end,
      status: 'scheduled',
      token:
        globalThis.crypto.randomUUID().replace(/-/g, '') + globalThis.crypto.randomUUID().replace(/-/g, ''),
      late: false,
      typeId: typeId ?? null,
      practitionerId,
      rescheduledFrom: null,
      ...(at.fluid ? { fluid: true } : {}),
    };
    this.w.visits.push(visit);
    return visit;
  }

  private answer(c: Required<FakeBookingClinic>, v: Visit) {
    return {
      entryId: v.entryId,
      queueId: `${c.id}/${v.day}`,
      clinicId: c.id,
      patientId: v.patientId,
      day: v.day,
      ticketNumber: v.ticketNumber,
      ticket: renderTicket({ ticketNumber: v.ticketNumber }, c.ticketPrefix),
      status: 'scheduled' as const,
      trackingToken: v.token,
    };
  }

  /** F1–F2: a place in r.day's line for the patient (staff: no notice or horizon). */
  private doBookFluid(
    c: Required<FakeBookingClinic>,
    patient: NewPatient,
    r: {
      readonly day: string;
      readonly appointmentTypeId?: string | null;
      readonly practitionerId?: string | null;
    },
    enforceNotice: boolean,
  ): Result<FluidBooking, AppError> {
    const d = this.duration(c, r.appointmentTypeId);
    if (!d.ok) return d;
    const mode = bookingModeDecision(this.mode(c, r.appointmentTypeId), 'day');
    if (!mode.ok) return mode;
    // F7: a place with a doctor is in that doctor's line — not on a day of their leave (H2, the database's trigger)
    if (r.practitionerId && this.w.onLeave(r.practitionerId, r.day))
      return fail(ErrorCodes.PRACTITIONER_ON_LEAVE, 'this doctor is on leave that day');
    if (!this.anyDoctorWorks(c, r.day, r.appointmentTypeId, r.practitionerId))
      return fail(ErrorCodes.BOOKING_DAY_UNAVAILABLE, 'no doctor of this visit type works that day'); // F8
    const { facts, decision } = this.fluidDayCheck(c, r.day, enforceNotice);
    if (!decision.ok) return decision;
    const places = fluidPlaceDecision(
      fluidPlacesLeft({ ...facts, slotCapacity: this.settings(c).slot_capacity, durationMinutes: d.value }),
    );
    if (!places.ok) return places;
    const sameDay = this.sameDayVisit(c.id, r.day, patient.id);
    if (!sameDay.ok) return sameDay;
    const bookedAt = this.w.clock.now().toISOString();
    const v = this.writeVisit(
      c,
      patient,
      r.day,
      { start: bookedAt, end: bookedAt, fluid: true },
      r.appointmentTypeId,
      r.practitionerId ?? null,
    );
    return ok({ ...this.answer(c, v), slotStart: null, slotEnd: null, fluid: true });
  }

  private doBook(
    c: Required<FakeBookingClinic>,
    patient: NewPatient,
    slotStart: string,
    typeId: string | null | undefined,
    enforceNotice: boolean,
    practitionerId: string | null = null,
  ): Result<Booking, AppError> {
    const s = this.settings(c);
    const d = this.duration(c, typeId);
    if (!d.ok) return d;
    const mode = bookingModeDecision(this.mode(c, typeId), 'slot');
    if (!mode.ok) return mode;
    const start = Date.parse(slotStart);
    if (Number.isNaN(start)) return fail(ErrorCodes.VALIDATION_FAILED, 'p_slot_start is required');
    const now = this.w.clock.now().getTime();
    const day = DateTime.fromMillis(start, { zone: this.w.zones(c.timeZone) }).toISODate() ?? '';
    if (start <= now || (enforceNotice && start < now + s.min_booking_notice_minutes * MIN))
      return fail(ErrorCodes.BOOKING_TOO_SOON, 'the slot starts too soon to book');
    if (
      enforceNotice &&
      day > (DateTime.fromISO(this.today(c)).plus({ days: s.booking_horizon_days }).toISODate() ?? '')
    ) {
      return fail(ErrorCodes.BOOKING_BEYOND_HORIZON, 'the slot is beyond the booking horizon');
    }
    if (c.closedDates.includes(day))
      return fail(ErrorCodes.BOOKING_CLINIC_CLOSED, 'the clinic is closed that day');
    const slot = this.daySlots(c, day, d.value).find((x) => x.start === start);
    if (!slot) return fail(ErrorCodes.BOOKING_SLOT_UNAVAILABLE, 'not a bookable slot');
    if (!this.anyDoctorWorks(c, day, typeId, practitionerId))
      return fail(ErrorCodes.BOOKING_SLOT_UNAVAILABLE, 'no doctor of this visit type can take it'); // H6
    if (this.booked(c.id, slot.start, slot.end) >= s.slot_capacity || this.fluidDayTaken(c, day, d.value))
      return fail(ErrorCodes.BOOKING_SLOT_FULL, 'the slot is full');
    const sameDay = this.sameDayVisit(c.id, day, patient.id);
    if (!sameDay.ok) return sameDay;
    const at = {
      start: new Date(slot.start).toISOString(),
      end: new Date(slot.end).toISOString(),
      fluid: false,
    };
    const v = this.writeVisit(c, patient, day, at, typeId, practitionerId);
    return ok({ ...this.answer(c, v), slotStart: v.slotStart, slotEnd: v.slotEnd });
  }

  /** Runs a booking for clinic r.clinicId and the patient `who` names (the caller's own, or staff's choice). */
  private bookFor<T>(
    r: { readonly clinicId: string },
    who: { readonly fullName?: string | null } | { readonly patientId: string },
    then: (c: Required<FakeBookingClinic>, p: NewPatient) => Result<T, AppError>,
  ): Result<T, AppError> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const c = this.w.clinics.get(r.clinicId);
    if (!c)
      return 'patientId' in who
        ? fail(ErrorCodes.AUTH_FORBIDDEN, 'not a member of this clinic')
        : fail(ErrorCodes.NOT_FOUND, 'clinic not found');
    const p = this.patientFor(c, who);
    return p.ok ? then(c, p.value) : p;
  }

  /**
   * V1 (private.check_patient_visit_cap): a patient's own booking is refused once they hold the clinic's
   * `max_active_visits_per_patient` visits scheduled / waiting / called today or later; staff bookings are not.
   */
  private withinVisitCap(c: Required<FakeBookingClinic>, p: NewPatient): Result<void, AppError> {
    const today = this.today(c);
    const active = this.w.visits.filter(
      (v) =>
        v.clinicId === c.id &&
        v.patientId === p.id &&
        (v.status === 'scheduled' || v.status === 'waiting' || v.status === 'called') &&
        v.day >= today,
    ).length;
    const cap = this.settings(c).max_active_visits_per_patient;
    return active >= cap
      ? fail(ErrorCodes.BOOKING_TOO_MANY_VISITS, `a patient may hold ${cap} upcoming visits at this clinic`)
      : ok(undefined);
  }

  async bookFluid(r: BookFluidRequest): Promise<Result<FluidBooking, AppError>> {
    return this.bookFor(r, r, (c, p) => {
      const cap = this.withinVisitCap(c, p);
      return cap.ok ? this.doBookFluid(c, p, r, true) : cap;
    });
  }

  async book(r: BookRequest): Promise<Result<Booking, AppError>> {
    return this.bookFor(r, r, (c, p) => {
      const cap = this.withinVisitCap(c, p);
      if (!cap.ok) return cap;
      const leave = this.notOnLeave(c, r.slotStart, r.practitionerId);
      return leave.ok
        ? this.doBook(c, p, r.slotStart, r.appointmentTypeId, true, r.practitionerId ?? null)
        : leave;
    });
  }

  async staffBook(r: StaffBookRequest): Promise<Result<Booking, AppError>> {
    return this.bookFor(r, r, (c, p) => {
      const leave = this.notOnLeave(c, r.slotStart, r.practitionerId);
      return leave.ok
        ? this.doBook(c, p, r.slotStart, r.appointmentTypeId, false, r.practitionerId ?? null)
        : leave;
    });
  }

  /**
   * H6 (slots) and F8 (fluid days), private.slot_has_doctor / day_has_doctor: with no doctor named, a visit type whose
   * doctors are listed needs one of them not on leave that day (H2). The fake knows no doctor's own hours (H4) and
   * no clinic's doctor list, so a type without a list passes here; supabase/tests cover those on the database.
   */
  private anyDoctorWorks(
    c: Required<FakeBookingClinic>,
    day: string,
    typeId: string | null | undefined,
    practitionerId: string | null | undefined,
  ): boolean {
    if (practitionerId) return true;
    const doctors = c.appointmentTypes.find((t) => t.id === typeId)?.practitionerIds;
    return !doctors?.length || doctors.some((id) => !this.w.onLeave(id, day));
  }

  /** H2 (the database's queue_entries trigger): a doctor on leave that day takes no visit. */
  private notOnLeave(
    c: Required<FakeBookingClinic>,
    slotStart: string,
    practitionerId: string | null | undefined,
  ): Result<void, AppError> {
    const day =
      DateTime.fromMillis(Date.parse(slotStart), { zone: this.w.zones(c.timeZone) }).toISODate() ?? '';
    return practitionerId && this.w.onLeave(practitionerId, day)
      ? fail(ErrorCodes.PRACTITIONER_ON_LEAVE, 'this doctor is on leave that day')
      : ok(undefined);
  }

  async staffBookFluid(r: StaffBookFluidRequest): Promise<Result<FluidBooking, AppError>> {
    return this.bookFor(r, r, (c, p) => this.doBookFluid(c, p, r, false));
  }

  /** staff_find_or_create_patient: same phone AND name (case, outer spaces ignored) in c, else a new one. */
  async staffPatient(r: StaffPatientRequest): Promise<Result<StaffPatient, AppError>> {
    if (!this.w.clinics.has(r.clinicId) || !this.isStaff(r.clinicId))
      return fail(
        this.userId ? ErrorCodes.AUTH_FORBIDDEN : ErrorCodes.AUTH_REQUIRED,
        'not a member of this clinic',
      );
    const name = r.fullName.trim();
    if (name.length < 1 || name.length > 200)
      return fail(ErrorCodes.VALIDATION_FAILED, 'a name (1-200 characters) is required');
    const phone = r.phone.trim();
    if (!/^\+[1-9][0-9]{6,14}$/.test(phone)) return fail(ErrorCodes.PHONE_INVALID, 'phone must be E.164');
    if (!smsCountryAllowed(phone)) return err(phoneCountryNotAllowed()); // patients_phone_country (sec22a)
    const same = [...this.w.patients.entries()].find(
      ([, p]) =>
        p.clinicId === r.clinicId &&
        p.phone === phone &&
        p.fullName.trim().toLowerCase() === name.toLowerCase(),
    );
    if (same) return ok({ patientId: same[0], fullName: same[1].fullName, created: false });
    const patientId = globalThis.crypto.randomUUID();
    this.w.addPatient(r.clinicId, patientId, name, null, phone);
    return ok({ patientId, fullName: name, created: true });
  }

  /** staff_desk_book: staffPatient then staffBook/staffBookFluid, all or nothing (a refusal keeps no new record). */
  async staffDeskBook(r: StaffDeskBookRequest): Promise<Result<DeskBooked, AppError>> {
    if (!r.slotStart === !r.day)
      return fail(ErrorCodes.VALIDATION_FAILED, 'exactly one of slotStart and day is required');
    const found = await this.staffPatient(r);
    if (!found.ok) return found;
    const patient = found.value;
    const target = { ...r, patientId: patient.patientId };
    const booked: Result<Booking | FluidBooking, AppError> = r.slotStart
      ? await this.staffBook({ ...target, slotStart: r.slotStart })
      : await this.staffBookFluid({ ...target, day: r.day ?? '' });
    if (!booked.ok && patient.created) this.w.patients.delete(patient.patientId);
    return booked.ok ? ok({ ...booked.value, patient }) : booked;
  }

  private visitFor(entryId: string): Result<{ v: Visit; staff: boolean }, AppError> {
    const v = this.w.visits.find((x) => x.entryId === entryId);
    const staff = v !== undefined && this.isStaff(v.clinicId);
    if (!v || !(staff || (this.userId !== null && v.userId === this.userId)))
      return fail(ErrorCodes.NOT_FOUND, 'visit not found');
    return ok({ v, staff });
  }

  async cancel(entryId: string, _reason?: string | null) {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const found = this.visitFor(entryId);
    if (!found.ok) return found;
    const { v, staff } = found.value;
    if (['completed', 'cancelled', 'no_show'].includes(v.status))
      return fail(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'the visit is already final');
    const c = this.w.clinics.get(v.clinicId);
    const notice = c ? this.settings(c).min_cancel_notice_minutes : 0;
    if (!staff && !v.fluid && Date.parse(v.slotStart) < this.w.clock.now().getTime() + notice * MIN)
      return fail(ErrorCodes.BOOKING_CANCEL_TOO_LATE, 'too late to cancel');
    v.status = 'cancelled';
    return ok({ entryId, status: 'cancelled' as const });
  }

  /** The signed-in patient's own visit and its clinic, for a move (slot or fluid day): who may move it. */
  private ownVisitToMove(entryId: string) {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const found = this.visitFor(entryId);
    if (!found.ok) return found;
    const { v } = found.value;
    if (v.userId !== this.userId)
      return fail(ErrorCodes.AUTH_FORBIDDEN, 'only the patient can reschedule their visit');
    const c = this.w.clinics.get(v.clinicId);
    if (!c) return fail(ErrorCodes.NOT_FOUND, 'visit not found');
    return ok({ v, c });
  }

  async reschedule(entryId: string, slotStart: string): Promise<Result<Rescheduled, AppError>> {
    const own = this.ownVisitToMove(entryId);
    if (!own.ok) return own;
    const { v, c } = own.value;
    const s = this.settings(c);
    const decided = rescheduleDecision(
      { status: v.status, kind: 'booked', slotStart: v.slotStart },
      slotStart,
      {
        minCancelNoticeMinutes: s.min_cancel_notice_minutes,
        minBookingNoticeMinutes: s.min_booking_notice_minutes,
      },
      this.w.clock.now(),
    );
    if (!decided.ok) return decided;
    // the moved visit keeps its doctor (private.book), whose leave refuses it (the queue_entries trigger)
    const leave = this.notOnLeave(c, slotStart, v.practitionerId);
    if (!leave.ok) return leave;
    // one operation: release the old slot, take the new one, put the old one back if that fails
    v.status = 'cancelled';
    const booked = this.doBook(
      c,
      { id: v.patientId, userId: v.userId, name: null },
      slotStart,
      v.typeId,
      true,
      v.practitionerId ?? null,
    );
    if (!booked.ok) {
      v.status = 'scheduled';
      return booked;
    }
    const moved = this.w.visits.find((x) => x.entryId === booked.value.entryId);
    if (moved) moved.rescheduledFrom = v.entryId;
    return ok({ ...booked.value, rescheduledFrom: v.entryId });
  }

  async rescheduleFluid(entryId: string, day: string): Promise<Result<RescheduledFluid, AppError>> {
    const own = this.ownVisitToMove(entryId);
    if (!own.ok) return own;
    const { v, c } = own.value;
    const date = DateTime.fromISO(v.day, { zone: this.w.zones(c.timeZone) });
    const firstOpen = (c.hours[date.weekday % 7] ?? []).map((iv) => iv.start).sort()[0];
    const [h = 0, m = 0] = (firstOpen ?? '00:00').split(':').map(Number);
    const decided = rescheduleFluidDecision(
      {
        status: v.status,
        kind: 'booked',
        fluid: v.fluid === true,
        day: v.day,
        dayOpensAt:
          date
            .set({ hour: 0, minute: 0, second: 0, millisecond: 0 })
            .plus({ minutes: h * 60 + m })
            .toISO() ?? '',
      },
      day,
      { minCancelNoticeMinutes: this.settings(c).min_cancel_notice_minutes },
      this.w.clock.now(),
    );
    if (!decided.ok) return decided;
    // one operation: release the old place, take the new one, put the old one back if that fails
    v.status = 'cancelled';
    const booked = this.doBookFluid(
      c,
      { id: v.patientId, userId: v.userId, name: null },
      { day, appointmentTypeId: v.typeId },
      true,
    );
    if (!booked.ok) {
      v.status = 'scheduled';
      return booked;
    }
    const moved = this.w.visits.find((x) => x.entryId === booked.value.entryId);
    if (moved) moved.rescheduledFrom = v.entryId;
    return ok({ ...booked.value, rescheduledFrom: v.entryId });
  }

  async checkIn(entryId: string) {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const found = this.visitFor(entryId);
    if (!found.ok) return found;
    const { v } = found.value;
    const c = this.w.clinics.get(v.clinicId);
    if (!c || v.day !== this.today(c))
      return fail(ErrorCodes.QUEUE_NOT_TODAY, 'check-in opens on the day of the visit');
    if (v.status !== 'scheduled')
      return fail(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'only a scheduled visit can check in');
    v.status = 'waiting';
    return ok({ entryId, status: 'waiting' as const });
  }

  private kioskOf(token: string): Result<PairedKiosk & { clinicId: string }, AppError> {
    const k = this.w.kiosks.get(token);
    return k && k.revokedAt === null && (k.kind ?? 'kiosk') === 'kiosk'
      ? ok(k)
      : fail(ErrorCodes.KIOSK_NOT_PAIRED, 'not paired');
  }

  /** As public.kiosk_check_in (20261216200001_kiosk_devices.sql): ticket AND last 4 digits; attempt limits. */
  async kioskCheckIn(
    kioskToken: string,
    ticket: string,
    phoneLast4: string,
  ): Promise<Result<KioskCheckIn, AppError>> {
    const k = this.kioskOf(kioskToken);
    if (!k.ok) return k;
    const c = this.w.clinics.get(k.value.clinicId);
    if (!c) return fail(ErrorCodes.KIOSK_NOT_PAIRED, 'not paired');
    const m = /^(?:([A-Z]{1,3})-?)?0*([0-9]{1,6})$/.exec(ticket.replace(/\s/g, '').toUpperCase());
    if (!m || (m[1] !== undefined && m[1] !== c.ticketPrefix) || !/^[0-9]{4}$/.test(phoneLast4))
      return fail(ErrorCodes.VALIDATION_FAILED, 'a ticket code and the last 4 phone digits are required');
    const n = Number(m[2]);
    const now = this.w.clock.now().getTime();
    if (
      this.w.kioskLocks.some(
        (l) => l.clinicId === c.id && l.until > now && (l.ticket === null || l.ticket === n),
      )
    )
      return fail(ErrorCodes.KIOSK_TOO_MANY_ATTEMPTS, 'too many wrong answers');
    const today = this.visitsOf(c.id, this.today(c));
    const v = today.find(
      (x) => x.ticketNumber === n && ['scheduled', 'waiting', 'called'].includes(x.status),
    );
    const phone = v ? this.w.patients.get(v.patientId)?.phone?.replace(/\D/g, '') : undefined;
    if (!v || !phone || phone.slice(-4) !== phoneLast4) {
      this.w.kioskAttempts.push({ clinicId: c.id, ticket: n, at: now });
      const recent = this.w.kioskAttempts.filter((a) => a.clinicId === c.id && a.at > now - 10 * MIN);
      if (recent.filter((a) => a.ticket === n).length >= 5)
        this.w.kioskLocks.push({ clinicId: c.id, ticket: n, until: now + 10 * MIN });
      if (recent.length >= 20)
        this.w.kioskLocks.push({ clinicId: c.id, ticket: null, until: now + 10 * MIN });
      return ok({ found: false as const });
    }
    if (v.status === 'scheduled') v.status = 'waiting';
    const position =
      v.status === 'waiting'
        ? today.filter((x) => x.status === 'waiting' && x.ticketNumber < v.ticketNumber).length + 1
        : null;
    return ok({
      found: true as const,
      entryId: v.entryId,
      ticket: renderTicket(v, c.ticketPrefix),
      status: v.status,
      position,
      issuedAt: this.localNow(c),
      clinicName: c.name,
      trackingToken: null,
    });
  }

  /** The clinic's local 'YYYY-MM-DD HH:MM' now (as the kiosk RPCs' issued_at). */
  private localNow(c: Required<FakeBookingClinic>): string {
    return DateTime.fromJSDate(this.w.clock.now(), { zone: this.w.zones(c.timeZone) }).toFormat(
      'yyyy-MM-dd HH:mm',
    );
  }

  /** As public.kiosk_register_walk_in (20261217500001): the clinic's walk-in rules, 10 per kiosk in 10 min. */
  /**
   * A walk-in takes today's next ticket, waiting from now — the fake's private.admit_walk_in, shared by the
   * kiosk's registration and the remote join as the database shares it.
   */
  private admitWalkIn(
    clinicId: string,
    day: string,
    patientId: string,
    userId: string | null,
    remote: boolean,
  ): Visit {
    const key = `${clinicId}/${day}`;
    const ticketNumber = this.w.nextTicket.get(key) ?? 1;
    this.w.nextTicket.set(key, ticketNumber + 1);
    const at = this.w.clock.now().toISOString();
    const visit: Visit = {
      entryId: globalThis.crypto.randomUUID(),
      clinicId,
      patientId,
      userId,
      day,
      ticketNumber,
      slotStart: at,
      slotEnd: at,
      status: 'waiting',
      token:
        globalThis.crypto.randomUUID().replace(/-/g, '') + globalThis.crypto.randomUUID().replace(/-/g, ''),
      late: false,
      typeId: null,
      rescheduledFrom: null,
      ...(remote ? { remote: true } : {}),
    };
    this.w.visits.push(visit);
    return visit;
  }

  async kioskRegisterWalkIn(
    kioskToken: string,
    fullName: string,
    phone: string,
    language: 'ar' | 'fr' | 'en' | null,
  ): Promise<Result<KioskTicket, AppError>> {
    void language;
    const k = this.kioskOf(kioskToken);
    if (!k.ok) return k;
    const c = this.w.clinics.get(k.value.clinicId);
    if (!c) return fail(ErrorCodes.KIOSK_NOT_PAIRED, 'not paired');
    if (!this.settings(c).kiosk_walk_ins)
      return fail(ErrorCodes.KIOSK_WALK_INS_OFF, 'the clinic registers walk-ins at the desk');
    const now = this.w.clock.now().getTime();
    if (this.w.kioskWalkIns.filter((w) => w.deviceId === k.value.id && w.at > now - 10 * MIN).length >= 10)
      return fail(ErrorCodes.RATE_LIMITED, 'this kiosk registered many walk-ins just now');
    const day = this.today(c);
    if (c.closedDates.includes(day))
      return fail(ErrorCodes.BOOKING_CLINIC_CLOSED, 'the clinic is closed today');
    if (!this.openNow(c)) return fail(ErrorCodes.KIOSK_OUTSIDE_HOURS, 'outside opening hours');
    const name = fullName.trim().replace(/\s+/g, ' ');
    if (!name || name.length > 200)
      return fail(ErrorCodes.VALIDATION_FAILED, 'a name (1-200 characters) is required');
    if (!/^\+[1-9][0-9]{7,14}$/.test(phone)) return fail(ErrorCodes.PHONE_INVALID, 'phone must be E.164');
    if (!smsCountryAllowed(phone)) return err(phoneCountryNotAllowed()); // patients_phone_country (sec22a)
    let patientId = [...this.w.patients.entries()].find(
      ([, p]) => p.clinicId === c.id && p.phone === phone && p.fullName.toLowerCase() === name.toLowerCase(),
    )?.[0];
    // sec20: the kiosk never says that this person has a visit today (or missed one): one neutral answer
    const sameDay = patientId ? this.sameDayVisit(c.id, day, patientId) : ok(undefined);
    if (!sameDay.ok)
      return fail(ErrorCodes.KIOSK_SEE_DESK, 'the kiosk cannot give a ticket: please ask at the desk');
    if (!patientId) {
      patientId = globalThis.crypto.randomUUID();
      this.w.addPatient(c.id, patientId, name, null, phone);
    }
    const visit = this.admitWalkIn(c.id, day, patientId, null, false);
    this.w.kioskWalkIns.push({ deviceId: k.value.id, at: now });
    return ok({
      entryId: visit.entryId,
      ticket: renderTicket(visit, c.ticketPrefix),
      position: this.visitsOf(c.id, day).filter((x) => x.status === 'waiting').length,
      issuedAt: this.localNow(c),
      clinicName: c.name,
      trackingToken: visit.token,
    });
  }

  /** As public.create_kiosk_pairing_code: 8 letters/digits without look-alikes, 10 minutes, 5 live a clinic. */
  async createKioskPairingCode(clinicId: string, label: string): Promise<Result<KioskPairingCode, AppError>> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    if (!this.isStaff(clinicId)) return fail(ErrorCodes.AUTH_FORBIDDEN, 'not a member of this clinic');
    const name = label.trim() || 'Kiosk';
    if (name.length > 80) return fail(ErrorCodes.VALIDATION_FAILED, 'a kiosk name is 1-80 characters');
    const now = this.w.clock.now().getTime();
    if (
      [...this.w.kioskCodes.values()].filter((x) => x.clinicId === clinicId && !x.used && x.expires > now)
        .length >= 5
    )
      return fail(ErrorCodes.RATE_LIMITED, 'at most 5 pairing codes at a time');
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
    const code = [...bytes].map((b) => alphabet[b & 31]).join('');
    this.w.kioskCodes.set(code, {
      clinicId,
      label: name,
      expires: now + 10 * MIN,
      used: false,
      by: this.userId,
    });
    return ok({
      code: `${code.slice(0, 4)}-${code.slice(4)}`,
      label: name,
      expiresAt: new Date(now + 10 * MIN).toISOString(),
    });
  }

  /** As public.redeem_kiosk_pairing_code: once, before it expires; 100 wrong codes in 10 minutes lock it. */
  async redeemKioskPairingCode(code: string): Promise<Result<KioskRedeemed, AppError>> {
    const norm = code.slice(0, 40).replace(/[\s-]/g, '').toUpperCase();
    if (!/^[A-HJ-NP-Z2-9]{8}$/.test(norm))
      return fail(ErrorCodes.VALIDATION_FAILED, 'a pairing code is 8 letters and digits');
    const now = this.w.clock.now().getTime();
    if (this.w.kioskCodeFailures.filter((at) => at > now - 10 * MIN).length >= 100)
      return fail(ErrorCodes.KIOSK_TOO_MANY_ATTEMPTS, 'too many wrong pairing codes');
    const live = this.w.kioskCodes.get(norm);
    if (!live || live.used || live.expires <= now) {
      this.w.kioskCodeFailures.push(now);
      return ok({ paired: false as const });
    }
    this.w.kioskCodes.set(norm, { ...live, used: true });
    const token =
      globalThis.crypto.randomUUID().replace(/-/g, '') + globalThis.crypto.randomUUID().replace(/-/g, '');
    const id = globalThis.crypto.randomUUID();
    this.w.kiosks.set(token, {
      id,
      clinicId: live.clinicId,
      label: live.label,
      pairedAt: new Date(now).toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    });
    return ok({ paired: true as const, id, label: live.label, token });
  }

  async kiosk(kioskToken: string): Promise<Result<KioskDevice, AppError>> {
    const k = this.kioskOf(kioskToken);
    if (!k.ok) return k;
    const c = this.w.clinics.get(k.value.clinicId);
    return ok({
      id: k.value.id,
      label: k.value.label,
      clinicId: k.value.clinicId,
      clinicName: c?.name ?? '',
      walkIns: c ? this.settings(c).kiosk_walk_ins : true,
    });
  }

  async pairKiosk(
    clinicId: string,
    label: string,
    kind: DeviceKind = 'kiosk',
  ): Promise<Result<KioskPairing, AppError>> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    if (!this.isStaff(clinicId)) return fail(ErrorCodes.AUTH_FORBIDDEN, 'not a member of this clinic');
    const name = label.trim() || (kind === 'board' ? 'Board' : 'Kiosk');
    if (name.length > 80) return fail(ErrorCodes.VALIDATION_FAILED, 'a kiosk name is 1-80 characters');
    const token =
      globalThis.crypto.randomUUID().replace(/-/g, '') + globalThis.crypto.randomUUID().replace(/-/g, '');
    const id = globalThis.crypto.randomUUID();
    const pairedAt = this.w.clock.now().toISOString();
    this.w.kiosks.set(token, {
      id,
      clinicId,
      kind,
      label: name,
      pairedAt,
      lastUsedAt: null,
      revokedAt: null,
    });
    return ok({ id, label: name, token });
  }

  async kiosks(
    clinicId: string,
    kind: DeviceKind = 'kiosk',
  ): Promise<Result<readonly PairedKiosk[], AppError>> {
    if (!this.isStaff(clinicId)) return ok([]);
    return ok(
      [...this.w.kiosks.values()]
        .filter((k) => k.clinicId === clinicId && (k.kind ?? 'kiosk') === kind)
        .map(({ clinicId: _c, kind: _k, ...k }) => k)
        .reverse(),
    );
  }

  async setBoardRooms(
    deviceId: string,
    rooms: readonly string[],
  ): Promise<Result<readonly string[] | null, AppError>> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    for (const [token, k] of this.w.kiosks)
      if (k.id === deviceId && k.kind === 'board' && k.revokedAt === null && this.isStaff(k.clinicId)) {
        const mine = [...(this.w.clinicRooms?.get(k.clinicId) ?? [])];
        const set = [...new Set(rooms.map((r) => r.trim()))].sort();
        if (set.some((r) => !mine.includes(r))) return fail(ErrorCodes.BOARD_ROOM_UNKNOWN, 'no such room');
        const value = set.length ? set : null;
        this.w.kiosks.set(token, { ...k, rooms: value });
        return ok(value);
      }
    return fail(ErrorCodes.NOT_FOUND, 'board not found');
  }

  async revokeKiosk(
    deviceId: string,
    kind: DeviceKind = 'kiosk',
  ): Promise<Result<{ readonly id: string }, AppError>> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    for (const [token, k] of this.w.kiosks)
      if (k.id === deviceId && (k.kind ?? 'kiosk') === kind && this.isStaff(k.clinicId)) {
        if (k.revokedAt === null)
          this.w.kiosks.set(token, { ...k, revokedAt: this.w.clock.now().toISOString() });
        return ok({ id: k.id });
      }
    return fail(ErrorCodes.NOT_FOUND, 'kiosk not found');
  }

  private visitsOf(clinicId: string, day: string): Visit[] {
    return this.w.visits.filter((x) => x.clinicId === clinicId && x.day === day && x.status !== 'cancelled');
  }

  async runningLate(ref: { readonly entryId: string } | { readonly trackingToken: string }) {
    let v: Visit | undefined;
    if ('trackingToken' in ref) {
      v = this.w.visits.find((x) => x.token === ref.trackingToken);
      if (!v) return fail(ErrorCodes.NOT_FOUND, 'visit not found');
    } else {
      if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
      const found = this.visitFor(ref.entryId);
      if (!found.ok) return found;
      v = found.value.v;
    }
    if (!['scheduled', 'waiting', 'called'].includes(v.status))
      return fail(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'the visit can no longer be late');
    v.late = true;
    return ok({ entryId: v.entryId });
  }

  private remoteState(c: Required<FakeBookingClinic>): RemoteJoinState {
    const today = this.today(c);
    const used = this.w.visits.filter(
      (v) => v.clinicId === c.id && v.day === today && v.remote && v.status !== 'cancelled',
    ).length;
    const remaining = c.remoteJoinCap === null ? null : Math.max(c.remoteJoinCap - used, 0);
    const reason =
      c.remoteJoinCap === null
        ? 'off'
        : c.closedDates.includes(today)
          ? 'closed_day'
          : !this.openNow(c)
            ? 'outside_hours'
            : remaining === 0
              ? 'full'
              : null;
    return { open: reason === null, reason, remaining };
  }

  /** Open now by the clinic's working hours, in its zone (as private.clinic_open_now; `24:00` ends a day). */
  private openNow(c: Required<FakeBookingClinic>): boolean {
    const local = DateTime.fromJSDate(this.w.clock.now(), { zone: this.w.zones(c.timeZone) });
    const hhmm = local.toFormat('HH:mm');
    return (c.hours[local.weekday % 7] ?? []).some((i) => i.start <= hhmm && hhmm < i.end);
  }

  async remoteJoinSettings(clinicId: string): Promise<Result<RemoteJoinSettings, AppError>> {
    const c = this.w.clinics.get(clinicId);
    if (!c || !this.isStaff(clinicId)) return fail(ErrorCodes.AUTH_FORBIDDEN, 'staff only');
    return ok({ cap: c.remoteJoinCap, arrivalMinutes: c.remoteArrivalMinutes });
  }

  async setRemoteJoin(
    clinicId: string,
    settings: RemoteJoinSettings,
  ): Promise<Result<RemoteJoinSettings, AppError>> {
    const c = this.w.clinics.get(clinicId);
    if (!c || !this.isStaff(clinicId)) return fail(ErrorCodes.AUTH_FORBIDDEN, 'admins only');
    const { cap, arrivalMinutes } = settings;
    if (
      (cap !== null && (cap < 1 || cap > 500)) ||
      (arrivalMinutes !== null && (arrivalMinutes < 5 || arrivalMinutes > 240))
    )
      return fail(ErrorCodes.VALIDATION_FAILED, 'remote joins 1-500 a day, arrival 5-240 minutes, or none');
    this.w.clinics.set(clinicId, { ...c, remoteJoinCap: cap, remoteArrivalMinutes: arrivalMinutes });
    return ok({ cap, arrivalMinutes });
  }

  async remoteJoinState(clinicId: string): Promise<Result<RemoteJoinState, AppError>> {
    const c = this.w.clinics.get(clinicId);
    return c ? ok(this.remoteState(c)) : fail(ErrorCodes.NOT_FOUND, 'clinic not found');
  }

  async joinRemotely(r: RemoteJoinRequest): Promise<Result<RemoteJoined, AppError>> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const c = this.w.clinics.get(r.clinicId);
    if (!c) return fail(ErrorCodes.NOT_FOUND, 'clinic not found');
    if (c.remoteJoinCap === null)
      return fail(ErrorCodes.QUEUE_REMOTE_JOIN_OFF, 'the clinic does not take remote joins');
    if (!this.openNow(c))
      return fail(ErrorCodes.QUEUE_REMOTE_JOIN_OUTSIDE_HOURS, 'the clinic is not open now');
    let patientId = [...this.w.patients.entries()].find(
      ([, p]) => p.clinicId === c.id && p.userId === this.userId,
    )?.[0];
    if (!patientId) {
      const name = r.fullName?.trim();
      if (!name || name.length > 200)
        return fail(ErrorCodes.VALIDATION_FAILED, 'a name (1-200 characters) is required');
      patientId = globalThis.crypto.randomUUID();
      this.w.addPatient(c.id, patientId, name, this.userId);
    }
    const state = this.remoteState(c);
    if (state.reason === 'closed_day')
      return fail(ErrorCodes.BOOKING_CLINIC_CLOSED, 'the clinic is closed today');
    if (state.reason === 'full')
      return fail(ErrorCodes.QUEUE_REMOTE_JOIN_FULL, 'no remote places left today');
    const day = this.today(c);
    const sameDay = this.sameDayVisit(c.id, day, patientId);
    if (!sameDay.ok) return sameDay;
    const visit = this.admitWalkIn(c.id, day, patientId, this.userId, true);
    return ok({
      entryId: visit.entryId,
      queueId: `${c.id}/${day}`,
      clinicId: c.id,
      day,
      ticketNumber: visit.ticketNumber,
      ticket: renderTicket(visit, c.ticketPrefix),
      status: 'waiting',
      trackingToken: visit.token,
      arriveBy:
        c.remoteArrivalMinutes === null
          ? null
          : new Date(this.w.clock.now().getTime() + c.remoteArrivalMinutes * MIN).toISOString(),
    });
  }

  async myVisits(): Promise<Result<readonly MyVisit[], AppError>> {
    if (this.userId === null) return ok([]);
    return ok(
      this.w.visits
        .filter((v) => v.userId === this.userId)
        .sort((a, b) => a.slotStart.localeCompare(b.slotStart))
        .map((v) => ({
          entryId: v.entryId,
          clinicId: v.clinicId,
          status: v.status,
          ticketNumber: v.ticketNumber,
          ticket: renderTicket(v, this.w.clinics.get(v.clinicId)?.ticketPrefix),
          slotStart: v.remote || v.fluid ? null : v.slotStart,
          kind: v.remote ? ('walk_in' as const) : ('booked' as const),
          trackingToken: ['completed', 'cancelled', 'no_show'].includes(v.status) ? null : v.token,
          appointmentTypeId: v.typeId,
          day: v.day,
          practitionerId: v.practitionerId ?? null,
        })),
    );
  }

  async myPatientName(clinicId: string): Promise<Result<MyPatientName, AppError>> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    if (!this.w.clinics.has(clinicId)) return fail(ErrorCodes.NOT_FOUND, 'clinic not found');
    const mine = [...this.w.patients.values()].filter((p) => p.userId === this.userId);
    const here = mine.find((p) => p.clinicId === clinicId);
    return ok({ fullName: (here ?? mine.at(-1))?.fullName ?? null, known: here !== undefined });
  }

  /** set_my_name: the caller's own record here; the desk's normalisation; 3 own renames a clinic day. */
  async setMyName(clinicId: string, fullName: string): Promise<Result<MyName, AppError>> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const name = fullName.replace(/\s+/g, ' ').trim();
    if (name.length < 1 || name.length > 200)
      return fail(ErrorCodes.VALIDATION_FAILED, 'a name (1-200 characters) is required');
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    if (/[\u0000-\u001f\u007f-\u009f]/.test(name))
      return fail(ErrorCodes.VALIDATION_FAILED, 'a name cannot hold control characters');
    const entry = [...this.w.patients.entries()].find(
      ([, p]) => p.clinicId === clinicId && p.userId === this.userId,
    );
    const c = this.w.clinics.get(clinicId);
    if (!entry || !c) return fail(ErrorCodes.NOT_FOUND, 'you have no record at this clinic');
    const [patientId, p] = entry;
    if (p.fullName === name) return ok({ fullName: name, changed: false });
    if (!this.isStaff(clinicId)) {
      const key = `${patientId}|${this.today(c)}`;
      const used = this.w.selfRenames.get(key) ?? 0;
      if (used >= 3)
        return fail(ErrorCodes.PATIENT_RENAME_LIMIT, 'a patient may change their name 3 times a day');
      this.w.selfRenames.set(key, used + 1);
    }
    p.fullName = name;
    return ok({ fullName: name, changed: true });
  }

  private mine(clinicId: string) {
    return [...this.w.patients.values()].find((p) => p.clinicId === clinicId && p.userId === this.userId);
  }

  async myNotificationPreferences(clinicId: string): Promise<Result<MyNotificationPreferences, AppError>> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const p = this.mine(clinicId);
    return ok({
      known: p !== undefined,
      channel: p?.channel ?? null,
      email: p?.email ?? null,
      emailBounced: p?.email != null && p.emailBounced === true,
      emailConfirmed: p?.email != null && this.w.provedEmails.get(this.userId)?.has(p.email) === true,
    });
  }

  /** request_notification_email_code, as the database does it: one live code per account, 5 asks an hour. */
  async sendNotificationEmailCode(clinicId: string): Promise<Result<void, AppError>> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const p = this.mine(clinicId);
    if (!p) return fail(ErrorCodes.NOT_FOUND, 'no patient record of yours in this clinic');
    if (!p.email) return fail(ErrorCodes.EMAIL_PROOF_NO_ADDRESS, 'save a notification email first');
    const email = p.email.toLowerCase();
    if (this.w.provedEmails.get(this.userId)?.has(email))
      return fail(ErrorCodes.EMAIL_PROOF_ALREADY_PROVED, 'already confirmed');
    const now = this.w.clock.now().getTime();
    const asks = (this.w.emailCodeAsks.get(this.userId) ?? []).filter((t) => t > now - 3_600_000);
    if (asks.length >= 5) return fail(ErrorCodes.RATE_LIMITED, 'too many codes asked for');
    this.w.emailCodeAsks.set(this.userId, [...asks, now]);
    const code = String(100000 + asks.length + this.w.emailOutbox.size * 7);
    this.w.emailCodes.set(this.userId, { clinicId, email, code, wrong: 0, expiresAt: now + 15 * 60_000 });
    this.w.emailOutbox.set(email, code);
    return ok(undefined);
  }

  /** confirm_notification_email: bound to the account, clinic and the address still saved; 5 wrong drop it. */
  async confirmNotificationEmail(clinicId: string, code: string): Promise<Result<void, AppError>> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const p = this.mine(clinicId);
    if (!p) return fail(ErrorCodes.NOT_FOUND, 'no patient record of yours in this clinic');
    const pending = this.w.emailCodes.get(this.userId);
    if (!pending || pending.clinicId !== clinicId || pending.email !== p.email?.toLowerCase())
      return fail(ErrorCodes.EMAIL_PROOF_CODE_INVALID, 'no code for this address');
    if (pending.expiresAt <= this.w.clock.now().getTime())
      return fail(ErrorCodes.EMAIL_PROOF_CODE_EXPIRED, 'the code has expired');
    if (pending.code !== code) {
      if (++pending.wrong >= 5) {
        this.w.emailCodes.delete(this.userId);
        return fail(ErrorCodes.EMAIL_PROOF_TOO_MANY_ATTEMPTS, 'five wrong codes');
      }
      return fail(ErrorCodes.EMAIL_PROOF_CODE_INVALID, 'wrong code');
    }
    this.w.emailCodes.delete(this.userId);
    this.w.provedEmails.set(
      this.userId,
      new Set([...(this.w.provedEmails.get(this.userId) ?? []), pending.email]),
    );
    return ok(undefined);
  }

  /** The database's rules (set_my_notification_preferences): own record, email needs a valid address,
   *  WhatsApp the record's phone. */
  async setMyNotificationPreferences(
    clinicId: string,
    prefs: NotificationPreferences,
  ): Promise<Result<NotificationPreferences, AppError>> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const email = prefs.email?.trim().toLowerCase() || null;
    if (email !== null && (email.length > 254 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)))
      return fail(ErrorCodes.VALIDATION_FAILED, 'the email address is not valid');
    // private.email_domain_rules (fix25): no invisible character, an ASCII domain
    if (
      email !== null &&
      // eslint-disable-next-line no-control-regex -- refusing control characters is the point
      (/[\u0001-\u001f\u007f-\u00a0\u00ad\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/.test(
        email,
      ) ||
        /[^A-Za-z0-9.-]/.test(email.slice(email.lastIndexOf('@') + 1)))
    )
      return fail(ErrorCodes.EMAIL_DOMAIN_NOT_ASCII, 'the e-mail domain is not ASCII');
    if (prefs.channel === 'email' && email === null)
      return fail(ErrorCodes.VALIDATION_FAILED, 'an email address is required for email messages');
    const p = this.mine(clinicId);
    if (!p) return fail(ErrorCodes.NOT_FOUND, 'no patient record of yours in this clinic');
    if (prefs.channel === 'whatsapp' && !p.phone)
      return fail(ErrorCodes.VALIDATION_FAILED, 'a phone number is required for WhatsApp messages');
    p.channel = prefs.channel;
    if (p.email !== email) p.emailBounced = false; // another address: the bounce was the old one's
    p.email = email;
    return ok({ channel: prefs.channel, email });
  }

  async visitStatus(trackingToken: string): Promise<Result<VisitStatus, AppError>> {
    const v = this.w.visits.find((x) => x.token === trackingToken);
    const c = v ? this.w.clinics.get(v.clinicId) : undefined;
    if (!v || !c) return fail(ErrorCodes.NOT_FOUND, 'visit not found');
    return ok({
      entryId: v.entryId,
      clinic: { id: c.id, name: c.name, slug: c.slug, defaultLanguage: 'fr', timeZone: c.timeZone },
      day: v.day,
      ticket: renderTicket(v, c.ticketPrefix),
      status: v.status,
      slotStart: v.remote || v.fluid ? null : v.slotStart,
      room: null,
      graceEndsAt: null,
      late: v.late,
      position: null,
    });
  }
}
