/**
 * The booking screens' strings (`booking.*`): a clinic's page, the desk's and My visits' booking dialogs and the
 * admin's hours tab load them with themselves (pageStrings.ts), not the tracker, the board or the desk's first
 * render (issue 14). English is the reference.
 */
export const bookingEn = {
  title: 'Book a visit',
  hours: 'Opening hours',
  closedDay: 'Closed',
  step1: 'Visit type',
  doctorLegend: 'Doctor',
  anyDoctor: 'Any doctor',
  // fix21d: a doctor whose name is not fit for the public page (it held an e-mail address)
  unnamedDoctor: 'Doctor {{n}}',
  withDoctor: 'With',
  step2: 'Day',
  step3: 'Time',
  step4: 'Confirm',
  fluidLegend: 'Day — a place in the line, no set time',
  fluidHint: 'Come any time during opening hours: patients are seen in order of arrival.',
  fluidPlaces: 'Places left: {{n}}',
  noFluidDays: 'No place left in the coming days.',
  takePlace: 'Take a place in the line for {{day}}',
  successFluid:
    'Ticket {{ticket}} for {{day}}. Come during opening hours and check in when you arrive. Keep this link to follow your place live:',
  noSlots: 'No free time on this day. Try another day.',
  yourName: 'Your name',
  nameRequired: 'Please enter your name: the clinic calls you by it.',
  confirm: 'Confirm booking',
  signInFirst: 'Sign in with your phone to book.',
  success: 'You are booked!',
  successBody: 'Ticket {{ticket}} on {{time}}. Keep this link to follow your place live:',
  openTracker: 'Open my live tracker',
  weekday: {
    '0': 'Sunday',
    '1': 'Monday',
    '2': 'Tuesday',
    '3': 'Wednesday',
    '4': 'Thursday',
    '5': 'Friday',
    '6': 'Saturday',
  },
  minutes: '{{m}} min',
  back: 'Back',
};
