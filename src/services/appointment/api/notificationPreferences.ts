/**
 * How a patient wants the clinic's messages (issue 20), checked the way the database checks it
 * (set_my_notification_preferences): email needs an address, an address must look like one. Pure and tiny (no
 * zod): the booking form checks with it before booking, BookingService before saving.
 */
export const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** fix25 (review25 L2): the ASCII form of an address's domain — shared with the sign-up screen since sec26. */
export { asciiEmail } from '../../shared/models/email';

export const notificationPreferencesProblem = (prefs: {
  readonly channel: 'sms' | 'email' | 'whatsapp' | null;
  readonly email?: string | null | undefined;
}): 'email_required' | 'email_invalid' | null => {
  const email = (prefs.email ?? '').trim();
  if (email !== '' && (email.length > 254 || !EMAIL_SHAPE.test(email))) return 'email_invalid';
  if (prefs.channel === 'email' && email === '') return 'email_required';
  return null;
};
