import { describe, expect, it } from 'vitest';
import { normalizeInboundText, parseInboundSms } from './InboundSms';

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
