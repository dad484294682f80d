/**
 * SMS `{eta}`: the wait the dashboard showed for this visit — the estimate its staff client stored for
 * the current queue version (get_entry_estimate, 20261201005001_wait_estimates.sql) — as a phrase in the
 * message's language ("environ 25 min (20-35)"). Never a second formula: no stored estimate, no phrase.
 */
import { z } from 'npm:zod@^4.6.7';
import type { Log } from './log.ts';
import { etaPhrase } from './render.ts';
import type { SmsLanguage } from './render.ts';
import type { Rpc } from './rest.ts';

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
const Answer = z.object({ estimate: z.object({ display: Display }).nullable() });

/** The `{eta}` phrase of a visit ('' when none is stored, or when reading it fails: the SMS still goes). */
export const etaFor = async (
  rpc: Rpc,
  log: Log,
  clinicId: string,
  entryId: string,
  language: SmsLanguage,
): Promise<string> => {
  try {
    const a = Answer.parse(await rpc('get_entry_estimate', { p_clinic_id: clinicId, p_entry_id: entryId }));
    return a.estimate === null ? '' : etaPhrase(a.estimate.display, language);
  } catch (e) {
    log.warn('no stored estimate for {eta}', {
      clinic_id: clinicId,
      err: e instanceof Error ? e.message.slice(0, 200) : 'unknown',
    });
    return '';
  }
};

/** Only templates that use `{eta}` pay for the read. */
export const usesEta = (template: string): boolean => template.includes('{eta}');
