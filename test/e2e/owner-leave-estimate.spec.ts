/**
 * mend22: a clinic without practitioners whose owner — the one doctor — is on leave today has nobody serving, so
 * the wait of a patient in its queue is "not known yet", on the desk and on the patient's tracker, never "a few
 * minutes" and never "from 10:00, your appointment time" (a booked patient checked in before the slot read that
 * on the tracker: a time nobody keeps). A clinic of its own (open 08:00–18:00 every day); its day held at 09:00
 * (the database's clock pinned, the browsers' clock installed at the same instant) so the slot is ahead.
 */
import { expect, test } from '@playwright/test';
import { uiEn } from '../../src/i18n/locales/ui/en';
import {
  LIVE,
  PASSWORD,
  clinicInstant,
  newContext,
  newOwnerClinic,
  openEveryDay,
  pinDatabaseClock,
  randomMobile,
  row,
  serverDayOf,
  serviceRest,
  signIn,
} from './helpers';

test('an owner on leave in a clinic without practitioners: the desk and the tracker say the wait is not known', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  const { email, clinicId } = await newOwnerClinic(page, 'sololeave', 'Cabinet Solo');
  const today = await serverDayOf(page);
  const nine = await clinicInstant(page, today, '09:00');
  await pinDatabaseClock(page, nine);
  try {
    await openEveryDay(page, clinicId, '08:00', '18:00');
    const [type] = await serviceRest(page, 'POST', 'appointment_types', {
      clinic_id: clinicId,
      name: 'Consultation',
      duration_minutes: 15,
      booking_mode: 'slotted',
    });
    const [owner] = await serviceRest(
      page,
      'GET',
      `clinic_members?clinic_id=eq.${clinicId}&role=eq.owner&select=id`,
    );

    const slots = await serviceRest(page, 'POST', 'rpc/get_free_slots', {
      p_clinic_id: clinicId,
      p_from: today,
      p_to: today,
      p_appointment_type_id: type!.id,
    });
    const slotStart = String(slots[0]!.start);
    // the desk books a caller today's first free time (the owner still works), then the owner's leave for today
    const { supabaseAnonKey } = (await (await page.request.get('/config.json')).json()) as {
      supabaseAnonKey: string;
    };
    const session = await page.request.post('/auth/v1/token?grant_type=password', {
      headers: { apikey: supabaseAnonKey, 'content-type': 'application/json' },
      data: { email, password: PASSWORD },
    });
    expect(session.ok(), await session.text()).toBe(true);
    const { access_token: token } = (await session.json()) as { access_token: string };
    const asOwner = async (fn: string, data: Record<string, unknown>) => {
      const res = await page.request.post(`/rest/v1/rpc/${fn}`, {
        headers: { apikey: supabaseAnonKey, authorization: `Bearer ${token}` },
        data,
      });
      expect(res.ok(), `${fn}: ${await res.text()}`).toBe(true);
      return (await res.json()) as Record<string, unknown>;
    };
    const phone = `+212${randomMobile().slice(1)}`;
    const booked = await asOwner('staff_desk_book', {
      p_clinic_id: clinicId,
      p_full_name: 'Salma Solo',
      p_phone: phone,
      p_language: 'en',
      p_slot_start: slotStart,
      p_day: null,
      p_appointment_type_id: type!.id,
      p_practitioner_id: null,
    });
    await serviceRest(page, 'POST', 'practitioner_leave', {
      clinic_id: clinicId,
      practitioner_id: owner!.id,
      from_day: today,
      to_day: today,
    });
    // she arrives early and is checked in at the desk: waiting, her slot ahead, nobody to see her
    await asOwner('check_in', { p_entry_id: booked.entry_id });

    // the browsers read the clinic's 09:00 too (the tracker compares the slot with its own clock)
    await ctx.clock.install({ time: Date.parse(nine) });
    await signIn(page, email);
    await expect(row(page, String(booked.ticket))).toContainText(uiEn.tracker.etaUnknown, LIVE);

    const tracker = await ctx.newPage();
    await tracker.goto(`/t/${String(booked.tracking_token)}`);
    await expect(tracker.getByTestId('tracker-position')).toHaveText('1', LIVE);
    await expect(tracker.getByTestId('tracker-eta')).toHaveText(uiEn.tracker.etaUnknown, LIVE);
  } finally {
    await pinDatabaseClock(page, null);
    await ctx.close();
  }
});
