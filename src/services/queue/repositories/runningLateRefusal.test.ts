/**
 * Session 16 attack review, item 1: the database refuses a patient's running-late change within 30 s of the
 * visit's previous one with 429 RATE.LIMITED (20261214800001). The tracker's port must hand that code on — the
 * tracker's toast then shows the RATE.LIMITED message in the reader's language — and never a raw body.
 */
import { describe, expect, it } from 'vitest';
import { errorsAr } from '../../../i18n/locales/errors.ar';
import { errorsEn } from '../../../i18n/locales/errors.en';
import { errorsFr } from '../../../i18n/locales/errors.fr';
import { ErrorCodes } from '../../shared/AppError';
import { createFetchPublicScreensRepository } from './FetchPublicScreensRepository';

const refusing: typeof fetch = async () =>
  new Response(
    JSON.stringify({
      code: 'PT429',
      message: 'RATE.LIMITED',
      details: 'the running-late note of a visit may change once every 30 seconds',
      hint: null,
    }),
    { status: 429, headers: { 'content-type': 'application/json' } },
  );

describe('running late refused as too frequent', () => {
  it('reaches the tracker as RATE.LIMITED, with a message in ar, fr and en', async () => {
    const port = createFetchPublicScreensRepository({
      supabaseUrl: 'http://127.0.0.1:1',
      supabaseAnonKey: 'anon',
      fetch: refusing,
    });
    const r = await port.reportLate('link', 10);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(ErrorCodes.RATE_LIMITED);
    for (const e of [errorsAr, errorsFr, errorsEn]) {
      const text = (e as { errors: Record<string, string> }).errors['RATE.LIMITED'];
      expect(text).toBeTruthy();
      expect(text).not.toBe((e as { errors: Record<string, string> }).errors.unknown);
    }
  });
});
