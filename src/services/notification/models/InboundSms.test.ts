import { describe, expect, it } from 'vitest';
import { normalizeInboundText, parseInboundSms, parseOfferReply } from './InboundSms';

describe('Patients can answer by SMS: a "late" keyword (RETARD / LATE / متأخر), a "cancel" keyword (ANNULER / CANCEL / إلغاء), and STOP to opt out', () => {
  it.each([
    ['RETARD', 'late'],
    ['retard', 'late'],
    ['  Rétard 10 min', 'late'],
    ['en retard, désolé', 'late'],
    ['LATE!', 'late'],
    ['متأخر', 'late'],
    ['متاخر', 'late'],
    ['مُتَأَخِّر', 'late'],
    ['متأخرة شوية', 'late'],
    ['ANNULER', 'cancel'],
    ['annulé', 'cancel'],
    ['Cancel please', 'cancel'],
    ['إلغاء', 'cancel'],
    ['الغاء', 'cancel'],
    ['STOP', 'stop'],
    ['stop.', 'stop'],
    ['Arrêt', 'stop'],
  ])('%j → %s', (text, intent) => {
    expect(parseInboundSms(text)).toBe(intent);
  });

  it.each([
    [''],
    ['   '],
    ['merci'],
    ['je suis là'],
    ['RETARDATAIRE'],
    ['not late'],
    ['STOPPER'],
    ['شكرا'],
    ['EN'],
    ['😀'],
  ])('%j is not a command', (text) => {
    expect(parseInboundSms(text)).toBeNull();
  });

  it('normalizes case, accents, Arabic diacritics, tatweel and alef forms', () => {
    expect(normalizeInboundText(' Rétard\n10  min ')).toBe('RETARD 10 MIN');
    expect(normalizeInboundText('إلـغـاء')).toBe('الغاء');
    expect(normalizeInboundText('آسف')).toBe('اسف');
  });
});

describe('W6 waitlist: an offer is answered by SMS reply — 1 / OUI / YES / نعم takes it, 2 / NON / NO / لا declines', () => {
  it.each([
    ['1', 'accept'],
    [' 1.', 'accept'],
    ['١', 'accept'],
    ['oui', 'accept'],
    ['Oui merci', 'accept'],
    ['YES!', 'accept'],
    ['نعم', 'accept'],
    ['نَعَمْ', 'accept'],
    ['2', 'decline'],
    ['٢', 'decline'],
    ['۲', 'decline'],
    ['Non', 'decline'],
    ['no thanks', 'decline'],
    ['لا', 'decline'],
    ['لا شكرا', 'decline'],
  ])('%j → %s', (text, answer) => {
    expect(parseOfferReply(text)).toBe(answer);
  });

  it.each([[''], ['12'], ['10 min'], ['3'], ['ouiii'], ['NOPE'], ['RETARD'], ['STOP'], ['لاحقا']])(
    '%j is no answer',
    (text) => {
      expect(parseOfferReply(text)).toBeNull();
    },
  );

  it('an answer is never a keyword (RETARD / ANNULER / STOP keep their meaning)', () => {
    for (const t of ['1', 'OUI', 'YES', 'نعم', '2', 'NON', 'NO', 'لا']) expect(parseInboundSms(t)).toBeNull();
  });
});
