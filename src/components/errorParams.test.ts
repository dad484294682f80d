// Issue 17 (F5): a fluid visit has no appointment time — its self check-in opens with the clinic's day. The
// refusal's message must say so, not "… minutes before the appointment" (found by e2e fluid-journey.spec).
import { describe, expect, it } from 'vitest';
import { AppErrorException } from '../hooks/AppErrorException';
import { createI18n } from '../i18n/index';
import { translateError } from '../i18n/lazy';
import { ErrorCodes } from '../services/shared/AppError';
import { checkInTooEarlyParams } from './errorParams';

const tooEarly = (details: Record<string, unknown>) =>
  new AppErrorException({ code: ErrorCodes.QUEUE_CHECK_IN_TOO_EARLY, message: 'x', details });
const hhmm = (iso: string) => iso.slice(11, 16);

describe('check-in too early: what the message says', () => {
  it('a fluid visit (no slot): the "day" variant with the time the window opens', () => {
    const e = tooEarly({ opensAt: '2026-12-03T08:00:00.000Z', windowMinutes: 60 });
    expect(checkInTooEarlyParams(e, { slotStart: null, timeOf: hhmm })).toEqual({
      count: 60,
      time: '08:00',
      variant: 'day',
    });
  });

  it('a slotted visit keeps the "at" variant (before the appointment)', () => {
    const e = tooEarly({ opensAt: '2026-12-03T08:00:00.000Z', windowMinutes: 60 });
    expect(checkInTooEarlyParams(e, { slotStart: '2026-12-03T09:00:00.000Z', timeOf: hhmm })).toMatchObject({
      variant: 'at',
    });
    // a screen that does not know the visit (the desk) never calls it a fluid one
    expect(checkInTooEarlyParams(e, { timeOf: hhmm })).toMatchObject({ variant: 'at' });
  });

  it.each([
    ['en', /^Check-in for your place in the line opens at 08:00, shortly before the clinic opens\./],
    ['fr', /^L’enregistrement de votre place dans la file ouvre à 08:00, peu avant l’ouverture/],
    ['ar', /^يبدأ تسجيل الوصول لمكانك في الطابور في 08:00/],
  ] as const)('%s: the fluid message names no appointment', async (lang, text) => {
    const i18n = await createI18n(lang);
    const msg = translateError(i18n, 'QUEUE.CHECK_IN_TOO_EARLY', {
      count: 60,
      time: '08:00',
      variant: 'day',
    });
    expect(msg).toMatch(text);
    expect(msg).not.toMatch(/appointment|rendez-vous|الموعد/);
  });
});
