/**
 * Issue 20 / 15.4 on the local stack: a patient books online through supabase-js (no send call from any
 * browser); the server's notification sweep (real Deno) sends exactly one confirmation through a fake
 * Twilio on 127.0.0.1, with the visit's tracking link and the cancel link; sweeping again, even twice at
 * once, sends nothing more. A visit cancelled before the sweep is never confirmed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesOf } from '../fixtures/fakeTwilio';
import { startNotificationStack, type NotificationStack } from '../fixtures/notificationStack';

let ns: NotificationStack;

describe('booking confirmation sent by the server (local stack, PGlite, fake Twilio)', () => {
  beforeAll(async () => {
    ns = await startNotificationStack();
  }, 600_000); // migrating PGlite on a busy machine
  afterAll(async () => {
    await ns?.stop();
  });

  it('one online booking → exactly one SMS with the tracking link and the cancel link, even if the sweep runs again or twice at once', async () => {
    const c = await ns.newClinic('confirm');
    const patient = await ns.signUp('patient', '+212612300001');
    const { data, error } = await patient.client.rpc('book_appointment', {
      p_clinic_id: c.clinicId,
      p_slot_start: c.slot,
      p_appointment_type_id: c.typeId,
      p_full_name: 'Salma Idrissi',
      p_language: 'en',
    });
    expect(error).toBeNull();
    const booked = data as { entry_id: string; tracking_token: string; ticket: string };
    const mine = () => messagesOf(ns.twilio).filter((m) => m.form.To === '+212612300001');
    expect(mine()).toHaveLength(0); // nothing sent by the booking call itself

    await ns.sweep();
    expect(mine()).toHaveLength(1);
    const body = mine()[0]!.form.Body!;
    expect(body).toMatch(
      new RegExp(
        `^Cabinet confirm: Salma Idrissi, your appointment on \\d{2}/\\d{2} 10:00 is confirmed\\. Ticket ${booked.ticket}\\.`,
      ),
    );
    expect(body).toContain(`Follow your turn here: ${ns.stack.url}/t/${booked.tracking_token}`);
    expect(body).toContain(`To cancel: ${ns.stack.url}/me`);

    // the message log records it once, as the confirmation of that visit
    const { rows } = await ns.db.query<{ kind: string; status: string; body: string }>(
      `select kind::text, status::text, body from public.notifications where entry_id = $1`,
      [booked.entry_id],
    );
    expect(rows).toEqual([{ kind: 'booking_confirmed', status: 'sent', body }]);

    await Promise.all([ns.sweep(), ns.sweep()]);
    await ns.sweep();
    expect(mine()).toHaveLength(1);
  });

  it('a booking cancelled before the sweep is not confirmed', async () => {
    const c = await ns.newClinic('cancelled');
    const patient = await ns.signUp('patient', '+212612300002');
    const { data, error } = await patient.client.rpc('book_appointment', {
      p_clinic_id: c.clinicId,
      p_slot_start: c.slot,
      p_appointment_type_id: c.typeId,
      p_full_name: 'Omar Alaoui',
    });
    expect(error).toBeNull();
    const { error: cancelError } = await patient.client.rpc('cancel_appointment', {
      p_entry_id: (data as { entry_id: string }).entry_id,
    });
    expect(cancelError).toBeNull();
    await ns.sweep();
    expect(messagesOf(ns.twilio).filter((m) => m.form.To === '+212612300002')).toHaveLength(0);
  });

  it('no phone number in any log line', () => {
    expect(ns.logLines.length).toBeGreaterThan(0);
    expect(ns.logLines.filter((l) => /\+?2126123000\d\d/.test(l))).toEqual([]);
  });
});
