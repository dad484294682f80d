/**
 * fix25 (review25 L2): the screens send an e-mail's international or look-alike domain as the URL parser writes it
 * (UTS46 / punycode); the database keeps domains ASCII (EMAIL.DOMAIN_NOT_ASCII).
 */
import { describe, expect, it } from 'vitest';
import { asciiEmail } from './notificationPreferences';
import { NotificationPreferencesSchema } from '../BookingService';

describe('asciiEmail (fix25)', () => {
  it.each([
    ['amine@ｇｍａｉｌ.com', 'amine@gmail.com'],
    ['amine@gm\u00adail.com', 'amine@gmail.com'],
    ['amine@gmail.com\u200b', 'amine@gmail.com'],
    ['amine@gm\ufeffail.com', 'amine@gmail.com'],
    ['amine@مثال.ma', 'amine@xn--mgbh0fb.ma'],
    ['amine@gmail.com', 'amine@gmail.com'],
    ['أمين@gmail.com', 'أمين@gmail.com'],
  ])('%j → %j', (typed, sent) => {
    expect(asciiEmail(typed)).toBe(sent);
  });

  it.each([
    'amine@evil.com/gmail.com',
    'x@gmail.com#a',
    'x@a.com\\b.com',
    'x@b.com:25',
    'x@b.com?q',
    'x@b.com\tc.ma',
    'x@ｇｍａｉｌ.com/evil.com',
    'x@ｅvil.com:25',
  ])(
    '%s: a domain with / \\ ? # : or whitespace goes as typed, never as another address (fix25b F5)',
    (typed) => {
      expect(asciiEmail(typed)).toBe(typed);
    },
  );

  it('a domain the parser refuses goes as typed (the database answers with the coded error)', () => {
    expect(asciiEmail('amine@gm ail.com')).toBe('amine@gm ail.com');
    expect(asciiEmail('no-at-sign')).toBe('no-at-sign');
  });

  it('the preferences the service saves carry the punycode domain, lower case, trimmed (NBSP too)', () => {
    expect(
      NotificationPreferencesSchema.parse({ channel: 'email', email: ' Amine@ＧＭＡＩＬ.com\u00a0' }).email,
    ).toBe('amine@gmail.com');
    expect(NotificationPreferencesSchema.parse({ channel: 'email', email: 'x@مثال.ma' }).email).toBe(
      'x@xn--mgbh0fb.ma',
    );
  });
});
