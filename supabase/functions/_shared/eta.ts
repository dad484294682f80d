/**
 * SMS `{eta}`: the wait the dashboard showed for this visit — the latest estimate a staff client (or the
 * server job) stored for it (get_entry_estimate, 20261219100001_entry_estimate_kept.sql) — as a phrase in the
 * message's language ("environ 25 min (20-35)"). Never a second formula, and never an empty wait:
 * - the visit's latest stored estimate is used even when the queue has moved to a newer version since: a
 *   message owed while the patient waited (notification_prepare checks it) is often sent a moment after the
 *   line moved again (the desk called them, someone checked in), and that estimate is still what they were
 *   shown. Waiting for the current version's would leave such a message without a wait (issue 14's flake);
 * - unless it is older than ETA_MAX_AGE_SECONDS: its minutes count from when it was computed, and that long
 *   after (no screen and no server job refreshed it) they describe another moment. Recomputing here would be
 *   a second formula, so the patient reads the language's "not known yet" instead of a stale figure;
 * - no estimate was ever stored for the visit, or reading it failed: "not known yet" too, and the SMS goes.
 */
import { z } from 'npm:zod@^4.6.7';
import type { Log } from './log.ts';
import { etaPhrase } from './render.ts';
import type { SmsLanguage } from './render.ts';
import type { Rpc } from './rest.ts';

/** An estimate older than this (database clock) is not sent as a figure: 15 minutes. */
export const ETA_MAX_AGE_SECONDS = 15 * 60;

const Display = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('minutes'),
    minutes: z.number().int(),
    low: z.number().int(),
    high: z.number().int(),
  }),
  z.object({ kind: z.literal('soon') }),
  z.object({ kind: z.literal('unknown') }),
]);
const Answer = z.object({
  estimate: z
    .object({
      display: Display,
      // absent from a database older than 20261219100001: the age is not known, the estimate is used as before
      age_seconds: z.number().int().min(0).optional(),
      current: z.boolean().optional(),
    })
    .nullable(),
});

/** The `{eta}` phrase of a visit: its stored estimate, else "not known yet" in `language` (see the header). */
export const etaFor = async (
  rpc: Rpc,
  log: Log,
  clinicId: string,
  entryId: string,
  language: SmsLanguage,
): Promise<string> => {
  const unknown = etaPhrase({ kind: 'unknown' }, language);
  try {
    const { estimate } = Answer.parse(
      await rpc('get_entry_estimate', { p_clinic_id: clinicId, p_entry_id: entryId }),
    );
    if (estimate === null) {
      log.info('no stored estimate for {eta}: "not known yet"', { clinic_id: clinicId });
      return unknown;
    }
    if ((estimate.age_seconds ?? 0) > ETA_MAX_AGE_SECONDS) {
      log.info('stored estimate too old for {eta}: "not known yet"', {
        clinic_id: clinicId,
        age_seconds: estimate.age_seconds,
      });
      return unknown;
    }
    return etaPhrase(estimate.display, language);
  } catch (e) {
    log.warn('stored estimate not read for {eta}: "not known yet"', {
      clinic_id: clinicId,
      err: e instanceof Error ? e.message.slice(0, 200) : 'unknown',
    });
    return unknown;
  }
};

/** Only templates that use `{eta}` pay for the read. */
export const usesEta = (template: string): boolean => template.includes('{eta}');
