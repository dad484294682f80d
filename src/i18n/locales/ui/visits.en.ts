/**
 * The patient's "My visits" strings (en), loaded with that page (src/i18n/pageStrings.ts), not with every
 * screen's language bundle.
 */
export const visitsEn = {
  title: 'My visits',
  upcoming: 'Upcoming',
  past: 'Past',
  none: 'You have no visits yet.',
  book: 'Book a visit',
  cancel: 'Cancel',
  cancelTitle: 'Cancel this visit?',
  cancelBody: 'Online cancellation is possible up to {{minutes}} minutes before the visit.',
  cancelled: 'Visit cancelled',
  reschedule: 'Reschedule',
  rescheduleTitle: 'Move this visit',
  rescheduleBody:
    'Choose a new time. Your visit stays where it is until the new time is confirmed. Online changes are possible up to {{minutes}} minutes before the visit.',
  rescheduleConfirm: 'Move my visit',
  rescheduled: 'Visit moved to {{time}} — ticket {{ticket}}',
  moveDay: 'Another day',
  moveDayBody:
    'You keep your place until the new day’s is taken. Up to {{minutes}} min before the day opens.',
  movedDay: 'Moved to {{day}} — ticket {{ticket}}',
  moveDayStale:
    'This visit changed meanwhile (moved, cancelled or checked in, perhaps in another tab): nothing was moved, and your visits now show it as it is.',
  checkIn: 'Check in',
  fluidDay: '{{day}} — a place in the line, no set time',
  checkedIn: 'Checked in — follow your place live.',
  track: 'Follow live',
  doctor: 'Doctor:',
  accessTitle: 'Who accessed my record',
  accessLead:
    'Every time clinic staff open your patient record, it is recorded. You can see who, from which clinic, and when.',
  accessShow: 'Show who accessed my record',
  accessNone: 'No staff member has opened your record yet.',
  accessRow: '{{who}} ({{role}}) — {{clinic}}',
  accessUnknown: 'A former staff member',
  // the booking form's channel choice (issue 20; src/pages/clinic/ContactChoice.tsx)
  contact: {
    title: 'Messages from {{clinic}}',
    save: 'Save',
    saved: 'Saved: the clinic will write to you this way.',
    legend: 'How should the clinic send you messages?',
    bySms: 'SMS',
    byWhatsapp: 'WhatsApp',
    byEmail: 'Email',
    email: 'Email address',
    emailOptional: 'Email address (optional)',
    emailRequired: 'Enter your email address to get messages by email.',
    emailInvalid: 'This email address is not valid.',
    emailBounced:
      "Emails to this address were refused by its mail server, so the clinic can't email you. Correct it or choose SMS.",
    emailToConfirm: 'Nothing is emailed to this address until you confirm it with a code sent to it.',
    emailConfirmed: 'Confirmed address',
  },
  // waitlist: an earlier time of the same day (issue 17; src/pages/visits/EarlierSlot.tsx)
  waitlist: {
    ask: 'Ask for an earlier time',
    asked: 'You are on the waitlist (no. {{position}}). We will send you an SMS if an earlier time frees up.',
    waiting: 'On the waitlist for an earlier time (no. {{position}})',
    leave: 'Leave the waitlist',
    left: 'You left the waitlist. Your visit has not changed.',
    offerTitle: 'Earlier time offered',
    offer: 'An earlier time is free: {{time}}. It is held for you until {{until}}.',
    accept: 'Take this time',
    accepted: 'Visit moved to {{time}} — ticket {{ticket}}',
    minutesLeft: '{{minutes}} min left to take it',
    offerEnded: 'This offer has ended.',
    decline: 'No thanks',
    declined: 'Offer declined. Your visit has not changed.',
  },
};
