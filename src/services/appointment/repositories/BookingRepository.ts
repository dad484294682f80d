/**
 * Booking port (patients and staff): free slots, book, cancel, check in, running late, my visits, and the
 * tracking-link status. The database functions check every rule (capacity under concurrency, notice,
 * horizon, closed dates); the fake applies the same rules with the appointment models. Both pass
 * test/fixtures/contracts/bookingRepositoryContract.ts.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';

export type Language = 'ar' | 'fr' | 'en';

export interface FreeSlot {
  /** ISO-8601 UTC. */
  readonly start: string;
  readonly end: string;
  readonly remaining: number;
}

export interface BookRequest {
  readonly clinicId: string;
  readonly slotStart: string;
  readonly appointmentTypeId?: string | null;
  readonly practitionerId?: string | null;
  /** The patient's name when they have no record in this clinic yet. */
  readonly fullName?: string | null;
  readonly language?: Language | null;
}

/** A place in a day's line for a fluid visit type (F1, models/BookingMode.ts): a day, no time. */
export interface BookFluidRequest {
  readonly clinicId: string;
  /** The clinic's local date `YYYY-MM-DD`. */
  readonly day: string;
  readonly appointmentTypeId?: string | null;
  readonly practitionerId?: string | null;
  readonly fullName?: string | null;
  readonly language?: Language | null;
}

/** A bookable day of a fluid visit type and the places left in its line (F2). */
export interface FluidDay {
  readonly day: string;
  readonly remaining: number;
}

export interface StaffBookRequest {
  readonly clinicId: string;
  readonly patientId: string;
  readonly slotStart: string;
  readonly appointmentTypeId?: string | null;
  readonly practitionerId?: string | null;
}

/**
 * The desk's caller on the phone (issue 17): the clinic's patient with this phone (E.164) and this name (case
 * and outer spaces ignored), or a new one (staff_find_or_create_patient).
 */
export interface StaffPatientRequest {
  readonly clinicId: string;
  readonly fullName: string;
  /** E.164. */
  readonly phone: string;
  readonly language?: 'ar' | 'fr' | 'en' | null;
}

export interface StaffPatient {
  readonly patientId: string;
  /** The record's own name (an existing patient keeps theirs). */
  readonly fullName: string;
  readonly created: boolean;
}

/**
 * The desk books for a caller named by phone and name (staff_desk_book): the caller's record is found or made
 * and the slot (slotted type) or the day's place (fluid type) booked in ONE transaction — a refused booking makes
 * no record. Exactly one of slotStart and day.
 */
export interface StaffDeskBookRequest extends StaffPatientRequest {
  readonly slotStart?: string | null;
  /** The clinic's local date `YYYY-MM-DD`. */
  readonly day?: string | null;
  readonly appointmentTypeId?: string | null;
  readonly practitionerId?: string | null;
}

/** A desk booking: the visit (slot times null for a fluid place) and whose record it went to. */
export type DeskBooked = (Booking | FluidBooking) & { readonly patient: StaffPatient };

/** Staff take a place in a fluid type's day line for a patient of their clinic (F1–F4; no notice/horizon). */
export interface StaffBookFluidRequest {
  readonly clinicId: string;
  readonly patientId: string;
  /** The clinic's local date `YYYY-MM-DD`. */
  readonly day: string;
  readonly appointmentTypeId?: string | null;
  readonly practitionerId?: string | null;
}

export interface Booking {
  readonly entryId: string;
  readonly queueId: string;
  readonly clinicId: string;
  readonly patientId: string;
  readonly day: string;
  readonly ticketNumber: number;
  readonly ticket: string;
  readonly slotStart: string;
  readonly slotEnd: string;
  readonly status: 'scheduled';
  /** Shown once (the private tracking link); only its hash is stored. */
  readonly trackingToken: string;
}

export interface MyVisit {
  readonly entryId: string;
  readonly clinicId: string;
  readonly status: string;
  readonly ticketNumber: number;
  /** As the clinic's board and SMS show it (`QM-014`: the clinic's prefix), rendered by the server. */
  readonly ticket: string;
  readonly slotStart: string | null;
  readonly kind: 'booked' | 'walk_in';
  /** The live link's token of a visit not yet over, from the server (issue 15.4); null when none. */
  readonly trackingToken: string | null;
  /** The visit's appointment type (a reschedule offers the free slots of that type); null when none. */
  readonly appointmentTypeId: string | null;
  /** The clinic's local date of the visit (`YYYY-MM-DD`): a fluid visit's only "when" (issue 17). */
  readonly day: string;
  /** The visit's doctor (a reschedule keeps it, so it offers that doctor's free times); null = any doctor. */
  readonly practitionerId: string | null;
}

/** A fluid booking (F1): a ticket and a place in the day's line, no slot. */
export type FluidBooking = Omit<Booking, 'slotStart' | 'slotEnd'> & {
  readonly slotStart: null;
  readonly slotEnd: null;
  readonly fluid: true;
};

/**
 * A visit moved to another slot (issue 17, models/Reschedule.ts): the NEW visit (its own ticket and tracking
 * link) and the cancelled one it replaced.
 */
export type Rescheduled = Booking & { readonly rescheduledFrom: string };
/** A fluid visit moved to another day's line: the NEW visit (no slot) and the cancelled one it replaced. */
export type RescheduledFluid = FluidBooking & { readonly rescheduledFrom: string };

/**
 * How the patient wants the clinic's messages (issue 20): a channel (null: no preference — SMS first) and an
 * optional email address. The SERVER routes every message by it (private.notification_route): the choice, then
 * SMS, then email — the first that reaches the patient.
 */
export interface NotificationPreferences {
  readonly channel: 'sms' | 'email' | 'whatsapp' | null;
  readonly email: string | null;
}

/** The signed-in patient's own preferences in a clinic; known false when they have no record there yet. */
export type MyNotificationPreferences = NotificationPreferences & {
  readonly known: boolean;
  /** The mail server refused the saved address for good: no email goes there until the patient changes it. */
  readonly emailBounced: boolean;
  /** The saved address is proved (email18: the account's own confirmed email); no email goes to it until it is. */
  readonly emailConfirmed: boolean;
};

/** The name the patient's record at a clinic now holds, after set_my_name (false `changed`: it already did). */
export interface MyName {
  readonly fullName: string;
  readonly changed: boolean;
}

/** The signed-in patient's own name for a booking page (issue 15.9). */
export interface MyPatientName {
  /** Their name in this clinic, else on their profile or in another clinic's record; null when none. */
  readonly fullName: string | null;
  /** True when this clinic already has their record (a booking then needs no name). */
  readonly known: boolean;
}

export interface VisitStatus {
  readonly entryId: string;
  readonly clinic: {
    readonly id: string;
    readonly name: string;
    readonly slug: string;
    readonly defaultLanguage: Language;
    readonly timeZone: string;
  };
  readonly day: string;
  readonly ticket: string;
  readonly status: string;
  readonly slotStart: string | null;
  readonly room: string | null;
  readonly graceEndsAt: string | null;
  readonly late: boolean;
  /** 1 = next; null when not waiting. */
  readonly position: number | null;
}

/**
 * A paired device of a clinic (kiosk_devices.kind): the entrance check-in `kiosk` (kiosk17), or a waiting-room
 * `board` screen, whose key makes the board show names where the clinic turns them on (board18).
 */
export type DeviceKind = 'kiosk' | 'board';

/** A kiosk's own view of itself (get_kiosk): which clinic it checks in for. */
export interface KioskDevice {
  readonly id: string;
  readonly label: string;
  readonly clinicId: string;
  readonly clinicName: string;
  /** Whether the clinic lets patients register themselves as walk-ins here (`kiosk_walk_ins`, board20). */
  readonly walkIns: boolean;
}

/** A new pairing: the device token is shown this once. */
export interface KioskPairing {
  readonly id: string;
  readonly label: string;
  readonly token: string;
}

/** A clinic's kiosk as staff see it. */
export interface PairedKiosk {
  readonly id: string;
  readonly label: string;
  readonly pairedAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  /** A board screen's rooms (board20; null: every room). Kiosks have none. */
  readonly rooms?: readonly string[] | null;
  /** Why it stopped (fix20): `pairer_left` when the member who paired it left; null/absent: unpaired by staff. */
  readonly revokedReason?: 'pairer_left' | null;
}

/** A kiosk pairing code (kiosk17f): typed on the tablet within 10 minutes, once. */
export interface KioskPairingCode {
  readonly code: string;
  readonly label: string;
  readonly expiresAt: string;
}

/** A pairing code exchanged on the tablet: its device token, or not a live code. */
export type KioskRedeemed =
  | { readonly paired: false }
  | { readonly paired: true; readonly id: string; readonly label: string; readonly token: string };

/** What a kiosk ticket prints (kiosk17f): the clinic, the ticket, its local time; the tracker for a walk-in. */
export interface KioskTicket {
  readonly entryId: string;
  readonly ticket: string;
  /** 1 = next; null when not waiting. */
  readonly position: number | null;
  /** The clinic's local 'YYYY-MM-DD HH:MM' by the server's clock. */
  readonly issuedAt: string;
  readonly clinicName: string;
  /** The visit's tracking link token (a walk-in registered at the kiosk); null for a check-in. */
  readonly trackingToken: string | null;
}

/** Kiosk check-in: only the one visit the code matched (never a list of patients or phones). */
export type KioskCheckIn =
  { readonly found: false } | ({ readonly found: true; readonly status: string } & KioskTicket);

export interface BookingRepository {
  /** With `practitionerId`: only that doctor's slots — none on their leave, only inside their own hours (H2, H4). */
  freeSlots(
    clinicId: string,
    from: string,
    to?: string | null,
    appointmentTypeId?: string | null,
    practitionerId?: string | null,
  ): Promise<Result<readonly FreeSlot[], AppError>>;
  book(request: BookRequest): Promise<Result<Booking, AppError>>;
  /**
   * The bookable days of a fluid visit type in [from, to] with the places left (full days left out); [] for a
   * slotted type (F1, F2). With a doctor (F7): the days they are on leave or do not work are left out too.
   */
  fluidDays(
    clinicId: string,
    from: string,
    to?: string | null,
    appointmentTypeId?: string | null,
    practitionerId?: string | null,
  ): Promise<Result<readonly FluidDay[], AppError>>;
  /** The signed-in patient takes a place in a day's line (F1–F2: BOOKING.DAY_FULL, BOOKING.MODE_MISMATCH). */
  bookFluid(request: BookFluidRequest): Promise<Result<FluidBooking, AppError>>;
  staffBook(request: StaffBookRequest): Promise<Result<Booking, AppError>>;
  /** Staff book a fluid place for a patient (staff_book_fluid_place): staffBook's caller rule, bookFluid's day rules. */
  staffBookFluid(request: StaffBookFluidRequest): Promise<Result<FluidBooking, AppError>>;
  /** Staff: the clinic's patient with this phone and name, or a new one (staff_find_or_create_patient). */
  staffPatient(request: StaffPatientRequest): Promise<Result<StaffPatient, AppError>>;
  /** Staff: find or make the caller's record and book, in one transaction (staff_desk_book). */
  staffDeskBook(request: StaffDeskBookRequest): Promise<Result<DeskBooked, AppError>>;
  cancel(
    entryId: string,
    reason?: string | null,
  ): Promise<Result<{ readonly entryId: string; readonly status: 'cancelled' }, AppError>>;
  checkIn(
    entryId: string,
  ): Promise<Result<{ readonly entryId: string; readonly status: 'waiting' }, AppError>>;
  runningLate(
    ref: { readonly entryId: string } | { readonly trackingToken: string },
  ): Promise<Result<{ readonly entryId: string }, AppError>>;
  /**
   * The signed-in patient moves their own booked visit to `slotStart` in one operation: the old visit is
   * cancelled only if the new slot is taken (RS1–RS4; a taken slot is BOOKING.SLOT_FULL, nothing changes).
   */
  reschedule(entryId: string, slotStart: string): Promise<Result<Rescheduled, AppError>>;
  /**
   * The signed-in patient moves their own fluid visit to `day`'s line in one operation (reschedule_fluid_place):
   * the old place is cancelled only if the new day's is taken (BOOKING.DAY_FULL etc.: nothing changes).
   */
  rescheduleFluid(entryId: string, day: string): Promise<Result<RescheduledFluid, AppError>>;
  myVisits(): Promise<Result<readonly MyVisit[], AppError>>;
  /** The signed-in caller's own name as the clinic knows it (AUTH.REQUIRED when signed out). */
  myPatientName(clinicId: string): Promise<Result<MyPatientName, AppError>>;
  /**
   * The signed-in patient corrects the name on their OWN record in this clinic (set_my_name, issue 12): white
   * space collapsed as the desk does; NOT_FOUND without a record there, VALIDATION.FAILED for an empty, too long
   * or control-character name, PATIENT.RENAME_LIMIT after 3 renames in the clinic's day — nothing written.
   */
  setMyName(clinicId: string, fullName: string): Promise<Result<MyName, AppError>>;
  /** The signed-in patient's own channel and address in this clinic. */
  myNotificationPreferences(clinicId: string): Promise<Result<MyNotificationPreferences, AppError>>;
  /**
   * Sets them on the caller's own record in this clinic (NOT_FOUND before their first booking there;
   * VALIDATION.FAILED for email without a valid address — nothing written).
   */
  /**
   * Proving the notification email (mail22: QueueMed's own code, request_notification_email_code): the database
   * makes a 6-digit code for the address saved on the caller's record in this clinic, keeps its hash and mails it
   * through the app's sender; asking again replaces it. RATE.LIMITED (5 an hour per account and per address),
   * EMAIL_PROOF.NO_ADDRESS, EMAIL_PROOF.ALREADY_PROVED, NOT_FOUND (no record here).
   */
  sendNotificationEmailCode(clinicId: string): Promise<Result<void, AppError>>;
  /**
   * Enters that code (confirm_notification_email): the address is proved and the clinic's mail flows. Refused with
   * EMAIL_PROOF.CODE_INVALID (wrong, used, another account's, address changed), EMAIL_PROOF.CODE_EXPIRED (15
   * minutes), EMAIL_PROOF.TOO_MANY_ATTEMPTS (5 wrong drop it).
   */
  confirmNotificationEmail(clinicId: string, code: string): Promise<Result<void, AppError>>;
  setMyNotificationPreferences(
    clinicId: string,
    prefs: NotificationPreferences,
  ): Promise<Result<NotificationPreferences, AppError>>;
  /**
   * The kiosk (its device token, no staff session): today's visit with this ticket number whose patient's phone
   * ends with `phoneLast4`, checked in if it was scheduled. Unknown ticket and wrong digits answer the same
   * `{found:false}`; too many wrong answers: KIOSK.TOO_MANY_ATTEMPTS; a revoked token: KIOSK.NOT_PAIRED.
   */
  kioskCheckIn(
    kioskToken: string,
    ticket: string,
    phoneLast4: string,
  ): Promise<Result<KioskCheckIn, AppError>>;
  /** The kiosk a device token opens (its clinic), or KIOSK.NOT_PAIRED. */
  kiosk(kioskToken: string): Promise<Result<KioskDevice, AppError>>;
  /**
   * Staff (owner, admin, receptionist): pairs a kiosk (or, `kind` 'board', a waiting-room screen: pair_board); the
   * token is returned once and stored only hashed.
   */
  pairKiosk(clinicId: string, label: string, kind?: DeviceKind): Promise<Result<KioskPairing, AppError>>;
  /** Staff: the clinic's paired kiosks, or board screens (never their tokens). */
  kiosks(clinicId: string, kind?: DeviceKind): Promise<Result<readonly PairedKiosk[], AppError>>;
  /**
   * Staff (owner, admin, receptionist): the rooms a paired board screen shows (board20; empty: every room) — rooms
   * of its clinic only (BOARD.ROOM_UNKNOWN), decided by the database.
   */
  setBoardRooms(
    deviceId: string,
    rooms: readonly string[],
  ): Promise<Result<readonly string[] | null, AppError>>;
  /** Staff (owner, admin, receptionist): the kiosk (or board screen: revoke_board) stops at once. */
  revokeKiosk(deviceId: string, kind?: DeviceKind): Promise<Result<{ readonly id: string }, AppError>>;
  /**
   * The kiosk (its device token): a walk-in takes a place in today's line (name + E.164 phone) under the clinic's
   * walk-in rules, at most 10 per kiosk in 10 minutes (RATE.LIMITED); the answer is what the ticket prints.
   */
  kioskRegisterWalkIn(
    kioskToken: string,
    fullName: string,
    phone: string,
    language: 'ar' | 'fr' | 'en' | null,
  ): Promise<Result<KioskTicket, AppError>>;
  /** Staff (owner, admin, receptionist): a short-lived single-use code that pairs a tablet typed on it. */
  createKioskPairingCode(clinicId: string, label: string): Promise<Result<KioskPairingCode, AppError>>;
  /** The unpaired tablet (no session): a staff member's code → its device token, once; {paired:false} otherwise. */
  redeemKioskPairingCode(code: string): Promise<Result<KioskRedeemed, AppError>>;
  visitStatus(trackingToken: string): Promise<Result<VisitStatus, AppError>>;
}
