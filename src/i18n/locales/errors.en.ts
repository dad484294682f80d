/**
 * Messages of the coded errors (AppError codes) and the hints that say what to do, in English (the reference:
 * fr and ar must have every key). Loaded on demand, not with the core locale every screen loads first
 * (src/i18n/README.md): add a new error code's message HERE, in errors.ar.ts, errors.fr.ts and errors.en.ts.
 */
export const errorsEn = {
  errors: {
    'QUEUE.NO_PATIENT_PRESENT': 'No patient is waiting right now.',
    'QUEUE.ILLEGAL_TRANSITION': 'This action is not possible for this patient in their current status.',
    'QUEUE.SKIP_CAP_REACHED':
      'A patient has already been passed over too many times and must be called first.',
    'QUEUE.ENTRY_NOT_FOUND': 'This visit could not be found. It may have been removed.',
    'QUEUE.REASON_REQUIRED': 'Please give a reason.',
    'QUEUE.GRACE_EXPIRED': 'The grace period is over; the patient was marked as no-show.',
    'QUEUE.CLOSED': "Today's queue is closed.",
    'QUEUE.DUPLICATE_ENTRY': 'This patient is already in the queue.',
    'QUEUE.WALK_IN_LIMIT_REACHED': "Today's walk-in limit has been reached.",
    'QUEUE.NOT_TODAY': 'This visit is not for today.',
    'QUEUE.INVALID_POSITION': 'That position is not valid.',
    'QUEUE.VERSION_CONFLICT': 'Someone else changed the queue at the same moment. Please try again.',
    'QUEUE.PRACTITIONER_BUSY': 'This practitioner is already with a patient.',
    'QUEUE.CALLED_NOT_STARTED':
      'The patient called has not come in yet: start the visit or mark them absent first.',
    'QUEUE.COMMAND_ALREADY_APPLIED': 'The queue was already updated by this action.',
    'QUEUE.EVENT_MISMATCH': 'This change does not match the queue. Please reload and try again.',
    'QUEUE.DESK_PAUSED': 'Calling is paused for this doctor. Resume calling first.',
    'QUEUE.INTAKE_CLOSED': 'The queue takes no new patients today. Reopen it to add one.',
    'QUEUE.REMOTE_JOIN_OFF': 'The clinic does not take online queue joins.',
    'QUEUE.REMOTE_JOIN_FULL': 'No more places to join the queue online today. Please come to the clinic.',
    'QUEUE.REMOTE_JOIN_OUTSIDE_HOURS': 'The clinic takes online queue joins during its opening hours only.',
    'QUEUE.GRACE_MISMATCH':
      'The grace period does not match the clinic’s clock or settings. Please reload and try again.',
    'QUEUE.EVENT_PAYLOAD_INVALID': 'This change is incomplete. Please reload and try again.',
    'QUEUE.UNDO_EXPIRED': 'Too late to undo: only the last 10 seconds can be undone.',
    'QUEUE.UNDO_ENTRY_CHANGED': 'Cannot undo: the queue has moved on for this patient since.',
    'QUEUE.UNDO_DESK_BUSY': 'Cannot undo: the desk has another patient now.',
    'QUEUE.UNDO_NOT_UNDOABLE': 'This step cannot be undone.',
    'QUEUE.UNDO_REFUSED': 'This step was already undone, or was not yours.',
    'QUEUE.CHECK_IN_TOO_EARLY': 'It is too early to check in for this appointment.',
    'PHONE.COUNTRY_NOT_ALLOWED':
      'SMS can only be sent to numbers in the countries this service covers. Please enter a local number.',
    'PHONE.NOT_MOBILE': 'This is a landline: SMS cannot reach it. Enter a mobile number (06… or 07…).',
    'BOOKING.PHONE_NOT_CONFIRMED':
      'To book, confirm your phone number first: sign in with the code we send you by SMS.',
    'EMAIL.DOMAIN_NOT_ASCII':
      'This e-mail address holds hidden or look-alike characters after the @. Type it again with plain letters.',
    'CLINIC.NAME_NOT_ALLOWED': 'A clinic name cannot contain a web address or a phone number.',
    'APPOINTMENT_TYPE.NAME_NOT_ALLOWED':
      "A visit type's name cannot contain a phone number, a web address or an e-mail.",
    'PERSON.NAME_NOT_ALLOWED':
      'A name cannot contain a web address, an e-mail address or a phone number. Enter the person’s name only.',
    'BOOKING.TOO_MANY_VISITS':
      'You already have the most upcoming visits this clinic allows. Cancel one to book another.',
    'BOOKING.SLOT_FULL': 'This time slot has just been taken. Please choose another.',
    'BOOKING.SLOT_UNAVAILABLE': 'This time slot is not available.',
    'BOOKING.TOO_SOON': 'This slot is too soon to book. Please choose a later time.',
    'BOOKING.BEYOND_HORIZON': 'Bookings are not open that far ahead yet.',
    'BOOKING.CANCEL_TOO_LATE': 'It is too late to cancel online. Please call the clinic.',
    'BOOKING.RESCHEDULE_TOO_LATE': 'It is too late to change this visit online. Please call the clinic.',
    'BOOKING.RESCHEDULE_SAME_SLOT': 'Your visit is already at that time. Choose another slot.',
    'BOOKING.RESCHEDULE_SAME_DAY': 'Your place is already in that day’s line. Choose another day.',
    'CONCURRENCY.RETRY':
      'Someone else changed this at the same moment. Nothing was saved — please try again.',
    'BOOKING.CLINIC_CLOSED': 'The clinic is closed at that time.',
    'BOOKING.DAY_FULL': 'No place is left in the line that day. Please choose another day.',
    'BOOKING.DAY_UNAVAILABLE': 'No doctor for this visit works that day. Please choose another day.',
    'BOOKING.MODE_MISMATCH':
      'This visit type is booked differently now. Please reload the page and choose again.',
    'BOOKING.PRACTITIONER_NOT_OFFERED':
      'This doctor does not offer this visit type. Choose another doctor or “any doctor”.',
    'BOOKING.NO_SHOW_TODAY':
      'This patient missed a visit today. The reception desk can put them back in the queue instead of booking again.',
    'VALIDATION.FAILED': 'Some information is missing or not valid.',
    'TEMPLATE.UNKNOWN_VARIABLE': 'The message uses a variable that does not exist.',
    'TEMPLATE.EMPTY': 'The message cannot be empty.',
    'TEMPLATE.CLINIC_HELD': 'The built-in messages are used until QueueMed approves this clinic.',
    'INVITATION.TOO_MANY': 'Too many invitations. Revoke pending ones or try again tomorrow.',
    'MEMBER.LAST_OWNER': 'The clinic needs at least one active owner. Make someone else owner first.',
    'MEMBER.HAS_HISTORY':
      'This member has visits on record, so they cannot be removed. Deactivate them instead: their history keeps their name.',
    'PRACTITIONER.ON_LEAVE': 'This doctor is on leave that day. Choose another doctor or “any doctor”.',
    'PRACTITIONER.OFF_HOURS': 'This doctor does not work at that time. Choose another time or doctor.',
    'PRACTITIONER.UNAVAILABLE':
      'This doctor no longer takes bookings. Cancel this visit and book another doctor, or call the clinic.',
    'LEAVE.INVALID_RANGE':
      'Check the dates: the leave ends on or after its first day, is not in the past and lasts at most a year.',
    'LEAVE.OVERLAP': 'This doctor already has leave on some of these days.',
    'HOURS.INVALID': 'These opening hours are not valid.',
    'TIMEZONE.INVALID': 'This time zone is not valid.',
    'REMINDER.INVALID_MINUTES': 'A reminder is sent between 5 minutes and 2 days before the visit.',
    'WEBHOOK.URL_INVALID': 'Use an https:// address.',
    'WEBHOOK.URL_PRIVATE': 'Use a public https:// address, not a local one.',
    'EMAIL.UNSUBSCRIBE_INVALID': 'This unsubscribe link is not valid. Nothing was changed.',
    'VISIT.LINK_EXPIRED': 'This tracking link has expired.',
    'WAITLIST.OFFER_EXPIRED': 'This earlier time is no longer available. Your visit has not changed.',
    'AUTH.REQUIRED': 'Please sign in to continue.',
    'AUTH.FORBIDDEN': 'You do not have permission to do this.',
    NOT_FOUND: 'Not found.',
    'SMS.BUDGET_EXCEEDED': "The clinic's monthly SMS budget is used up.",
    'EMAIL_PROOF.NO_ADDRESS': 'Save an email address first.',
    'EMAIL_PROOF.ALREADY_PROVED': 'This email address is already confirmed.',
    'EMAIL_PROOF.CODE_INVALID': 'Wrong code. Check it, or ask for a new one.',
    'EMAIL_PROOF.CODE_EXPIRED': 'This code has expired. Ask for a new one.',
    'EMAIL_PROOF.TOO_MANY_ATTEMPTS': 'Too many wrong codes. Ask for a new one.',
    'KIOSK.TOO_MANY_ATTEMPTS': 'Too many wrong answers at this kiosk. Please check in at the reception desk.',
    'KIOSK.NOT_PAIRED': 'This tablet is no longer paired as a kiosk. A staff member can pair it again.',
    'KIOSK.OUTSIDE_HOURS':
      'The kiosk registers walk-ins during opening hours only. Please ask at the reception desk.',
    'KIOSK.SEE_DESK': 'The kiosk cannot give you a ticket. Please ask at the reception desk.',
    'KIOSK.WALK_INS_OFF': 'Please ask at the reception desk.',
    'BOARD.LOW_CONTRAST': 'These colours would make the board hard to read (contrast below 4.5:1).',
    'BOARD.LOGO_INVALID': 'The logo must be a PNG, JPEG or WebP of at most 64 KB.',
    'BOARD.ROOM_UNKNOWN': 'This clinic has no such room.',
    'RATE.LIMITED': 'Too many attempts. Please try again later.',
    'PATIENT.RENAME_LIMIT':
      'You have changed your name the most times allowed today. Please try again tomorrow or ask the clinic.',
    'PATIENT.OPT_OUT_PATIENT_ONLY':
      'This patient asked to receive no more text messages. Only the patient can turn them back on, by replying START to one of the clinic’s messages.',
    'SERVER.BUSY': 'The server is busy. Nothing was saved — please try again.',
    INTERNAL: 'Something went wrong on our side. Please try again.',
  },
  /**
   * Errors that say what to do, used when the error carries what they need (translateError): the allowed
   * range, whose patient it is, from when check-in opens. Keys: code, or code|reason.
   */
  errorHints: {
    'RATE.LIMITED|booking_address':
      'Too many bookings from this network in the last hour. Please try again later, or call the clinic to book.',
    'QUEUE.INVALID_POSITION':
      'Position {{toPosition}} is not possible for this patient: choose a position from {{min}} to {{max}}.',
    'QUEUE.ILLEGAL_TRANSITION|assigned_to_other_practitioner':
      'This is {{doctor}}’s patient. To call them, choose {{doctor}} under “Calling for”, or move the patient to your list first (⋯ → Move).',
    'QUEUE.CHECK_IN_TOO_EARLY|day':
      'Check-in for your place in the line opens at {{time}}, shortly before the clinic opens. Please check in from then.',
    'QUEUE.CHECK_IN_TOO_EARLY|at_one':
      'Check-in opens at {{time}}, {{count}} minute before the appointment. Please check in from then.',
    'QUEUE.CHECK_IN_TOO_EARLY|at_other':
      'Check-in opens at {{time}}, {{count}} minutes before the appointment. Please check in from then.',
    'QUEUE.CHECK_IN_TOO_EARLY_one':
      'Check-in opens {{count}} minute before the appointment time. Please check in from then.',
    'QUEUE.CHECK_IN_TOO_EARLY_other':
      'Check-in opens {{count}} minutes before the appointment time. Please check in from then.',
  } as Record<string, string>, // plural forms differ per language (Arabic has six)
};

export type ErrorResources = typeof errorsEn;
