// check_in's "too early" refusal carries its figures as data (issue 12 / issue 15): the database raises
// QUEUE.CHECK_IN_TOO_EARLY with a JSON DETAIL {opens_at, window_minutes, slot_start}; supabase-js over the
// local stack delivers it, the PostgREST error mapper turns it into the AppError's details, and the screens'
// message is built from those figures in ar/fr/en — no English text is parsed anywhere on the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInTooEarlyParams } from '../../src/components/errorParams';
import { createI18n } from '../../src/i18n';
import { translateError } from '../../src/i18n/lazy';
import { SupabaseBookingRepository } from '../../src/services/appointment/repositories/SupabaseBookingRepository';
import { ErrorCodes } from '../../src/services/shared/AppError';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { parityClinic } from './queueStackKit';

const KINDS: Kind[] = ['pglite', 'postgres'];

describe.each(KINDS)('check-in too early on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind);
  }, 240_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('answers with opens_at and window_minutes as data, shown in the patient’s language', async () => {
    const c = await parityClinic(app, `early-${kind}`, 'CE');
    // a window no other default has, so the figure can only come from the clinic's setting via the error
    await app.db.query(
      `update public.clinics set settings = settings || '{"check_in_window_minutes": 37}' where id = $1`,
      [c.clinicId],
    );
    // the clinic's clock is about noon (middayZone): a slot the database's clock puts 3 h ahead is today
    const { rows } = await app.db.query<{ slot: string }>(
      `select to_char((private.now() + interval '3 hours') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as slot`,
    );
    const slot = new Date(rows[0]?.slot ?? '');
    const entryId = await c.book('Early Patient', slot);

    const r = await new SupabaseBookingRepository(c.client).checkIn(entryId);
    if (r.ok) throw new Error('check-in three hours early was accepted');
    expect(r.error.code).toBe(ErrorCodes.QUEUE_CHECK_IN_TOO_EARLY);
    const opensAt = new Date(slot.getTime() - 37 * 60_000).toISOString();
    expect(r.error.details).toMatchObject({ windowMinutes: 37, opensAt, slotStart: slot.toISOString() });
    // nothing changed: the visit is still scheduled
    const { rows: after } = await app.db.query<{ status: string }>(
      'select status from public.queue_entries where id = $1',
      [entryId],
    );
    expect(after[0]?.status).toBe('scheduled');

    // the screen's message: the figures from the error, the time in a fixed formatter (the clinic's clock)
    const params = checkInTooEarlyParams(r.error, { timeOf: (iso) => iso.slice(11, 16) });
    expect(params).toEqual({ count: 37, time: opensAt.slice(11, 16), variant: 'at' });
    const time = opensAt.slice(11, 16);
    expect(translateError(await createI18n('en'), r.error.code, params)).toBe(
      `Check-in opens at ${time}, 37 minutes before the appointment. Please check in from then.`,
    );
    expect(translateError(await createI18n('fr'), r.error.code, params)).toBe(
      `L’enregistrement ouvre à ${time}, 37 minutes avant le rendez-vous. Merci de vous enregistrer à partir de cette heure.`,
    );
    expect(translateError(await createI18n('ar'), r.error.code, params)).toContain('بـ37 دقيقة');
  }, 180_000);
});
