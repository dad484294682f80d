/**
 * Which channel a message goes through (issue 20): the patient's preference, then the clinic's default, then
 * the fallback order — the first that is wired (an adapter exists) and reaches this patient (a phone not
 * opted out for SMS, an address not unsubscribed for email). None → the message is not sent, and the reason
 * says why (opted out of every channel it could use, or no way to reach the patient at all). Pure.
 */
export const CHANNEL_NAMES = ['sms', 'email', 'whatsapp'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** After the preference and the clinic default: SMS first, then email. WhatsApp is used only when chosen (by the
 *  patient or as the clinic default): the server may send it by SMS instead (no template outside the window). */
export const DEFAULT_FALLBACK_ORDER: readonly ChannelName[] = ['sms', 'email'];

/** How a channel stands for one patient. */
export type Reach = 'ok' | 'opted_out' | 'no_address';

export type ChannelChoice =
  { readonly channel: ChannelName } | { readonly channel: null; readonly reason: 'opted_out' | 'no_address' };

export const chooseChannel = (input: {
  readonly preference: ChannelName | null;
  readonly clinicDefault: ChannelName | null;
  readonly fallbackOrder?: readonly ChannelName[];
  /** Channels with an adapter wired in this runtime. */
  readonly wired: readonly ChannelName[];
  readonly reach: (channel: ChannelName) => Reach;
}): ChannelChoice => {
  const order = [
    input.preference,
    input.clinicDefault,
    ...(input.fallbackOrder ?? DEFAULT_FALLBACK_ORDER),
  ].filter((c, i, all): c is ChannelName => c !== null && all.indexOf(c) === i && input.wired.includes(c));
  let optedOut = false;
  for (const c of order) {
    const r = input.reach(c);
    if (r === 'ok') return { channel: c };
    if (r === 'opted_out') optedOut = true;
  }
  return { channel: null, reason: optedOut ? 'opted_out' : 'no_address' };
};
