/**
 * Stable, coded errors. Codes are part of the public contract: the UI maps each one to a translated
 * message, the database raises the same codes (as the `message`/`hint` of a PostgREST error), and tests
 * assert on them. Add new codes here; never rename one that has shipped.
 */
export const ErrorCodes = {
  // queue
  QUEUE_NO_PATIENT_PRESENT: 'QUEUE.NO_PATIENT_PRESENT',
  QUEUE_ILLEGAL_TRANSITION: 'QUEUE.ILLEGAL_TRANSITION',
  QUEUE_SKIP_CAP_REACHED: 'QUEUE.SKIP_CAP_REACHED',
  QUEUE_ENTRY_NOT_FOUND: 'QUEUE.ENTRY_NOT_FOUND',
  QUEUE_REASON_REQUIRED: 'QUEUE.REASON_REQUIRED',
  QUEUE_GRACE_EXPIRED: 'QUEUE.GRACE_EXPIRED',
  QUEUE_CLOSED: 'QUEUE.CLOSED',
  QUEUE_DUPLICATE_ENTRY: 'QUEUE.DUPLICATE_ENTRY',
  QUEUE_WALK_IN_LIMIT: 'QUEUE.WALK_IN_LIMIT_REACHED',
  QUEUE_NOT_TODAY: 'QUEUE.NOT_TODAY',
  QUEUE_INVALID_POSITION: 'QUEUE.INVALID_POSITION',
  QUEUE_VERSION_CONFLICT: 'QUEUE.VERSION_CONFLICT',
  QUEUE_PRACTITIONER_BUSY: 'QUEUE.PRACTITIONER_BUSY',
  /** Call next while the desk's own patient is called but not started (start them or mark them absent). */
  QUEUE_CALLED_NOT_STARTED: 'QUEUE.CALLED_NOT_STARTED',
  /** A command id the database already applied to this queue day (exactly-once commands). */
  QUEUE_COMMAND_ALREADY_APPLIED: 'QUEUE.COMMAND_ALREADY_APPLIED',
  /** A step's events do not match what it changes (the database records only what it changed). */
  QUEUE_EVENT_MISMATCH: 'QUEUE.EVENT_MISMATCH',
  /** Check-in earlier than `check_in_window_minutes` before the slot. */
  QUEUE_CHECK_IN_TOO_EARLY: 'QUEUE.CHECK_IN_TOO_EARLY',
  /** Calling is paused for this doctor (issue 17, pause / reopen). */
  QUEUE_DESK_PAUSED: 'QUEUE.DESK_PAUSED',
  /** The day's queue takes no new walk-ins or online joins (issue 17, pause / reopen). */
  QUEUE_INTAKE_CLOSED: 'QUEUE.INTAKE_CLOSED',
  /** A step's grace period does not follow the database: expired before private.now(), or not the clinic's length. */
  QUEUE_GRACE_MISMATCH: 'QUEUE.GRACE_MISMATCH',
  /** A step's event payload does not follow its type's schema (private.queue_event_payload_schema). */
  QUEUE_EVENT_PAYLOAD_INVALID: 'QUEUE.EVENT_PAYLOAD_INVALID',
  /** Undo (issue 17): the step is older than the undo window (judged by the database's clock). */
  QUEUE_UNDO_EXPIRED: 'QUEUE.UNDO_EXPIRED',
  /** Undo: an entry the step changed has changed since (started, called, moved …): undoing is unsafe. */
  QUEUE_UNDO_ENTRY_CHANGED: 'QUEUE.UNDO_ENTRY_CHANGED',
  /** Undo: the desk the patient would go back to has another patient now. */
  QUEUE_UNDO_DESK_BUSY: 'QUEUE.UNDO_DESK_BUSY',
  /** Undo: this kind of step (an arrival, the end of the day, an undo …) cannot be undone. */
  QUEUE_UNDO_NOT_UNDOABLE: 'QUEUE.UNDO_NOT_UNDOABLE',
  /** Undo: the step was already undone, or it was another staff member's step. */
  QUEUE_UNDO_REFUSED: 'QUEUE.UNDO_REFUSED',
  /** Remote join (issue 17): the clinic does not offer "join today's queue from my phone". */
  QUEUE_REMOTE_JOIN_OFF: 'QUEUE.REMOTE_JOIN_OFF',
  /** Remote join: today's remote places (clinics.remote_join_cap) are all taken. */
  QUEUE_REMOTE_JOIN_FULL: 'QUEUE.REMOTE_JOIN_FULL',
  /** Remote join: the clinic is not open now by its working hours (clinic time zone, split days). */
  QUEUE_REMOTE_JOIN_OUTSIDE_HOURS: 'QUEUE.REMOTE_JOIN_OUTSIDE_HOURS',
  // booking
  BOOKING_SLOT_FULL: 'BOOKING.SLOT_FULL',
  BOOKING_SLOT_UNAVAILABLE: 'BOOKING.SLOT_UNAVAILABLE',
  BOOKING_TOO_SOON: 'BOOKING.TOO_SOON',
  BOOKING_BEYOND_HORIZON: 'BOOKING.BEYOND_HORIZON',
  BOOKING_CANCEL_TOO_LATE: 'BOOKING.CANCEL_TOO_LATE',
  BOOKING_RESCHEDULE_TOO_LATE: 'BOOKING.RESCHEDULE_TOO_LATE',
  BOOKING_RESCHEDULE_SAME_SLOT: 'BOOKING.RESCHEDULE_SAME_SLOT',
  BOOKING_RESCHEDULE_SAME_DAY: 'BOOKING.RESCHEDULE_SAME_DAY',
  BOOKING_CLINIC_CLOSED: 'BOOKING.CLINIC_CLOSED',
  /** The patient missed (no-show) a visit that day: staff re-activate it rather than book again (V2). */
  BOOKING_NO_SHOW_TODAY: 'BOOKING.NO_SHOW_TODAY',
  /** A fluid visit type's day has no place left (F2, docs/fluid-queues.md). */
  BOOKING_DAY_FULL: 'BOOKING.DAY_FULL',
  /** No doctor of the visit type works that day (leave, own hours): an "any doctor" fluid place is refused (F8). */
  BOOKING_DAY_UNAVAILABLE: 'BOOKING.DAY_UNAVAILABLE',
  /** The patient already holds the clinic's most active upcoming visits (setting max_active_visits_per_patient). */
  BOOKING_TOO_MANY_VISITS: 'BOOKING.TOO_MANY_VISITS',
  /** A patient's own booking needs the account's confirmed phone (phone sign-in with a code). */
  BOOKING_PHONE_NOT_CONFIRMED: 'BOOKING.PHONE_NOT_CONFIRMED',
  /** A slot asked for a fluid visit type, or a day's place for a slotted one (F1). */
  BOOKING_MODE_MISMATCH: 'BOOKING.MODE_MISMATCH',
  /** The chosen doctor does not offer this visit type (types19: appointment_types.practitioner_ids). */
  BOOKING_PRACTITIONER_NOT_OFFERED: 'BOOKING.PRACTITIONER_NOT_OFFERED',
  // per-doctor hours and leave (hours19, docs/domain-rules.md H1–H5)
  /** The doctor named for a visit is on leave that day: another doctor or "any doctor" (H2). */
  PRACTITIONER_ON_LEAVE: 'PRACTITIONER.ON_LEAVE',
  /** The doctor named for a visit does not work at that time (their own weekly hours, H4). */
  PRACTITIONER_OFF_HOURS: 'PRACTITIONER.OFF_HOURS',
  /** The doctor named for a visit no longer takes bookings (deactivated, or not a doctor): L1 of review20. */
  PRACTITIONER_UNAVAILABLE: 'PRACTITIONER.UNAVAILABLE',
  /** A doctor's leave that ends before it starts, lies wholly in the past or spans over a year (H1). */
  LEAVE_INVALID_RANGE: 'LEAVE.INVALID_RANGE',
  /** A doctor's leave that overlaps one of their leaves already entered (H1). */
  LEAVE_OVERLAP: 'LEAVE.OVERLAP',
  // proving a notification email with QueueMed's own code (mail22)
  /** No notification address is saved on the patient's record: nothing to prove. */
  EMAIL_PROOF_NO_ADDRESS: 'EMAIL_PROOF.NO_ADDRESS',
  /** The saved address is already proved: no code is sent. */
  EMAIL_PROOF_ALREADY_PROVED: 'EMAIL_PROOF.ALREADY_PROVED',
  /** A wrong code, a used one, another account's, or one sent to an address changed since. */
  EMAIL_PROOF_CODE_INVALID: 'EMAIL_PROOF.CODE_INVALID',
  /** The code is older than 15 minutes: ask for a new one. */
  EMAIL_PROOF_CODE_EXPIRED: 'EMAIL_PROOF.CODE_EXPIRED',
  /** Five wrong codes dropped it: ask for a new one. */
  EMAIL_PROOF_TOO_MANY_ATTEMPTS: 'EMAIL_PROOF.TOO_MANY_ATTEMPTS',
  // the waiting-room kiosk (kiosk17)
  /** Too many wrong kiosk answers for this ticket or at this clinic: the patient checks in at the desk. */
  KIOSK_TOO_MANY_ATTEMPTS: 'KIOSK.TOO_MANY_ATTEMPTS',
  /** The tablet's kiosk token is unknown or was revoked: a staff member pairs it again. */
  KIOSK_NOT_PAIRED: 'KIOSK.NOT_PAIRED',
  /** The kiosk registers walk-ins during the clinic's opening hours only (kiosk17f). */
  KIOSK_OUTSIDE_HOURS: 'KIOSK.OUTSIDE_HOURS',
  /**
   * The kiosk cannot give this person a ticket (sec20: they already have a visit today, or missed one): the same
   * neutral answer whatever the reason, so a kiosk's token never tells whether someone is at the clinic today.
   */
  KIOSK_SEE_DESK: 'KIOSK.SEE_DESK',
  /** The clinic turned walk-in self-registration at its kiosks off (board20): the patient asks at the desk. */
  KIOSK_WALK_INS_OFF: 'KIOSK.WALK_INS_OFF',
  // the waiting-room board's branding and rooms (board20)
  /** Board colours whose text would fall below WCAG AA contrast (4.5:1) on the board. */
  BOARD_LOW_CONTRAST: 'BOARD.LOW_CONTRAST',
  /** A board logo that is not a PNG, JPEG or WebP image of at most 64 KiB. */
  BOARD_LOGO_INVALID: 'BOARD.LOGO_INVALID',
  /** A board screen set to a room its clinic does not have. */
  BOARD_ROOM_UNKNOWN: 'BOARD.ROOM_UNKNOWN',
  /**
   * An e-mail address with an invisible character, or a domain that is not ASCII (fix25, review25 L2: full-width
   * letters, soft hyphen, zero-width marks); the screens send an international domain as punycode.
   */
  EMAIL_DOMAIN_NOT_ASCII: 'EMAIL.DOMAIN_NOT_ASCII',
  // values and validation
  VALIDATION_FAILED: 'VALIDATION.FAILED',
  /** A clinic name with a web address or a phone number (names reach SMS bodies). */
  CLINIC_NAME_NOT_ALLOWED: 'CLINIC.NAME_NOT_ALLOWED',
  /** A person's name (patient, walk-in, kiosk, staff) with a web address, an e-mail address or a phone number. */
  PERSON_NAME_NOT_ALLOWED: 'PERSON.NAME_NOT_ALLOWED',
  /** A visit type's name (shown on the public booking page) with a web address, an e-mail or a phone number. */
  APPOINTMENT_TYPE_NAME_NOT_ALLOWED: 'APPOINTMENT_TYPE.NAME_NOT_ALLOWED',
  PHONE_INVALID: 'PHONE.INVALID',
  /** A number outside the deployment's SMS countries (sec22a: private.sms_countries, default Morocco +212). */
  PHONE_COUNTRY_NOT_ALLOWED: 'PHONE.COUNTRY_NOT_ALLOWED',
  /**
   * A landline (Moroccan +2125…) where a mobile is needed — an SMS code, a message (sec25: it is a local number,
   * so COUNTRY_NOT_ALLOWED's "enter a local number" misled).
   */
  PHONE_NOT_MOBILE: 'PHONE.NOT_MOBILE',
  TEMPLATE_UNKNOWN_VARIABLE: 'TEMPLATE.UNKNOWN_VARIABLE',
  TEMPLATE_EMPTY: 'TEMPLATE.EMPTY',
  /** A clinic the platform operator has not approved yet sends the built-in texts only (fix18). */
  TEMPLATE_CLINIC_HELD: 'TEMPLATE.CLINIC_HELD',
  /** 20 invitations pending, or 50 made in 24 hours, at one clinic (fix18). */
  INVITATION_TOO_MANY: 'INVITATION.TOO_MANY',
  /** The clinic's last active owner cannot be removed, demoted or deactivated (team19). */
  MEMBER_LAST_OWNER: 'MEMBER.LAST_OWNER',
  /** A member with visits or report rows on record is deactivated, not removed (team19). */
  MEMBER_HAS_HISTORY: 'MEMBER.HAS_HISTORY',
  HOURS_INVALID: 'HOURS.INVALID',
  TIMEZONE_INVALID: 'TIMEZONE.INVALID',
  REMINDER_INVALID_MINUTES: 'REMINDER.INVALID_MINUTES',
  /** A webhook URL that is not an https URL. */
  WEBHOOK_URL_INVALID: 'WEBHOOK.URL_INVALID',
  /** A webhook URL to a loopback, private, link-local or local-network address (refused in production). */
  WEBHOOK_URL_PRIVATE: 'WEBHOOK.URL_PRIVATE',
  /** An email's one-click unsubscribe link whose token is missing, malformed, forged or altered. */
  EMAIL_UNSUBSCRIBE_INVALID: 'EMAIL.UNSUBSCRIBE_INVALID',
  /** A visit's tracking link past its end (24 h after the visit ended, or its day passed unfinished): links17. */
  VISIT_LINK_EXPIRED: 'VISIT.LINK_EXPIRED',
  /** A waitlist offer that is no longer open: its time ran out, it was taken already or declined (issue 17). */
  WAITLIST_OFFER_EXPIRED: 'WAITLIST.OFFER_EXPIRED',
  // platform
  AUTH_REQUIRED: 'AUTH.REQUIRED',
  AUTH_FORBIDDEN: 'AUTH.FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BUDGET_EXCEEDED: 'SMS.BUDGET_EXCEEDED',
  RATE_LIMITED: 'RATE.LIMITED',
  /** A patient changed their own name the most times a day allows (each rename reloads every desk). */
  PATIENT_RENAME_LIMIT: 'PATIENT.RENAME_LIMIT',
  /** Someone other than the patient tried to take back the patient's SMS STOP (review26 M2: only the patient's
   * own setting or the service role turns texts back on; staff may only turn them off). */
  PATIENT_OPT_OUT_PATIENT_ONLY: 'PATIENT.OPT_OUT_PATIENT_ONLY',
  /** Another change to the same data happened at the same moment (a deadlock or serialization failure the
   * database reported, 409): nothing was written; the same call may simply be tried again. */
  CONCURRENCY_RETRY: 'CONCURRENCY.RETRY',
  /** The server cancelled a call that ran past its role's time limit (statement_timeout, SQLSTATE 57014; fix20):
   * nothing was written; try again in a moment. */
  SERVER_BUSY: 'SERVER.BUSY',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface AppError {
  readonly code: ErrorCode;
  /** Developer-facing English explanation. Never shown raw to users; the UI translates `code`. */
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export const appError = (
  code: ErrorCode,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): AppError => (details === undefined ? { code, message } : { code, message, details });

export const isAppError = (value: unknown): value is AppError =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { code?: unknown }).code === 'string' &&
  (Object.values(ErrorCodes) as string[]).includes((value as { code: string }).code);

/**
 * True when a request's outcome is unknown: the answer was lost on the way (no HTTP status, the connection
 * dropped, a timeout) or the server failed without a coded answer (5xx). A write may have committed even
 * so; a caller that needs exactly-once asks the server whether it was applied instead of reporting a
 * failure (issue 12). Set by the adapters (`details.outcomeUnknown`).
 */
export const isOutcomeUnknown = (e: AppError): boolean => e.details?.['outcomeUnknown'] === true;
