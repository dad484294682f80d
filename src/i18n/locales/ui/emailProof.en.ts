/**
 * "Confirm your email" on My visits (email18; src/pages/visits/EmailProof.tsx), en — loaded with that lazy panel,
 * not with the page (My visits' first render is at its size budget).
 */
export const emailProofEn = {
  title: 'Confirm your email',
  explain:
    'The clinic sends nothing to {{email}} until you confirm it is yours. We will email you a 6-digit code.',
  send: 'Send the code',
  sent: 'We sent a code to {{email}}. It is valid for 15 minutes.',
  code: 'Code from the email',
  confirm: 'Confirm',
  resend: 'Send a new code',
  confirmed: 'Email confirmed: the clinic can write to you there.',
  sendFailed: 'We could not send a code to this address. Check it or use another one.',
  wrongCode: 'Wrong or expired code. Check it, or ask for a new one.',
  codeShape: 'Enter the 6 digits from the email.',
  note: 'This confirms the address for the clinic’s messages only: how you sign in does not change.',
};
