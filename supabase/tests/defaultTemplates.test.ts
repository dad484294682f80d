/**
 * One set of default message texts (issue 16 / 15.3): the built-in templates the server sends from
 * (notification_templates with clinic_id null) are the app's defaults (DEFAULT_TEMPLATE_TEXTS, what the
 * admin's editor and preview show), word for word, for every queue message in every language. And the
 * server's renderer fills them into one clean sentence: `{room}` and `{eta}` are whole phrases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../functions/_shared/render';
import { DEFAULT_TEMPLATE_TEXTS } from '../../src/services/notification/models/DefaultTemplates';
import { openTestDb, type TestDb } from './helpers/testDb';

/**
 * Kinds whose built-in text is not this file's to hold: booking_confirmed and `{tracking_url}` are being
 * reworked separately (issue 15.3); staff_invitation's link is `{invitation_url}` in the app and the
 * invitation function fills it itself.
 */
const ELSEWHERE = new Set(['booking_confirmed', 'staff_invitation']);

describe('default message texts: the database and the app agree', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb('pglite');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('every built-in queue message is the app default, in ar, fr and en', async () => {
    const { rows } = await t.db.query<{ kind: string; language: 'ar' | 'fr' | 'en'; body: string }>(
      `select kind::text, language::text, body from public.notification_templates where clinic_id is null
        order by kind, language`,
    );
    const compared = rows.filter((r) => !ELSEWHERE.has(r.kind));
    // the seven queue messages, the appointment reminder, the fluid visit's reminder, the waitlist offer,
    // the remote-join confirmation and the owner's webhook-disabled notice × three languages are compared,
    // none silently skipped
    expect(compared).toHaveLength(36);
    for (const r of compared) {
      const app = DEFAULT_TEMPLATE_TEXTS[r.kind as keyof typeof DEFAULT_TEMPLATE_TEXTS];
      expect({ kind: r.kind, language: r.language, body: r.body }).toEqual({
        kind: r.kind,
        language: r.language,
        body: app?.[r.language],
      });
    }
  });

  it('rendered by the server, the room and the wait read as one phrase each', async () => {
    const { rows } = await t.db.query<{ kind: string; body: string }>(
      `select kind::text, body from public.notification_templates
        where clinic_id is null and language = 'fr' and kind in ('your_turn', 'almost_turn')`,
    );
    const body = (kind: string) => rows.find((r) => r.kind === kind)?.body ?? '';
    const values = {
      clinic_name: 'Cabinet Atlas',
      patient_name: 'Karim',
      ticket: 'A-001',
      position: '2',
      room: '2',
      eta: 'environ 25 min (20-35)',
    };
    expect(renderTemplate(body('your_turn'), values, 'fr')).toBe(
      "Cabinet Atlas : Karim, c'est votre tour ! Ticket A-001. Merci de vous présenter : Salle 2.",
    );
    expect(renderTemplate(body('almost_turn'), values, 'fr')).toBe(
      "Cabinet Atlas : Karim, votre tour approche. Position 2, attente environ 25 min (20-35). Merci de rester près de la salle d'attente.",
    );
  });
});
