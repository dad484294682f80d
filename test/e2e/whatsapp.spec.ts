/**
 * Issue 20, WhatsApp as people reach it: a patient books at the seeded clinic and chooses WhatsApp in the booking
 * form (ContactChoice, saved on their record after the booking); the server's sweep sends the confirmation on
 * WhatsApp — in simulation mode, as `npm start` runs — with the clinic's approved template (no window is open:
 * the patient never wrote on WhatsApp), and the owner's message log shows it as a WhatsApp message. My visits
 * shows the choice again.
 * The clinic's templates are set on the server for the three languages (the admin screen for them is not built
 * yet); they only touch patients who chose WhatsApp, which no other spec does.
 */
import { expect, test } from '@playwright/test';
import { adminEn } from '../../src/i18n/locales/ui/admin.en';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { visitsEn } from '../../src/i18n/locales/ui/visits.en';
import { LIVE, LOGINS, newContext, serviceRest, signIn, signInByPhone, sweepUntilLogged } from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

const PHONE = '0600000285';
const E164 = `+212${PHONE.slice(1)}`;
const SID = `HX${'e2e0'.repeat(8)}`;

test('a patient chooses WhatsApp when booking; the confirmation goes on WhatsApp (template) and the message log says so', async ({
  browser,
}) => {
  const ui = { ...uiEn, admin: adminEn, booking: bookingEn };
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  const template = { sid: SID, variables: ['patient_name', 'appointment_time'] };
  await serviceRest(page, 'PATCH', 'clinics?slug=eq.cabinet-anfa', {
    whatsapp_templates: { booking_confirmed: { ar: template, fr: template, en: template } },
  });

  await signInByPhone(page, PHONE, '/c/cabinet-anfa');
  await page.getByRole('button', { name: /Échographie/ }).click();
  const days = page.getByRole('group', { name: `2 · ${ui.booking.step2}` }).getByRole('button');
  await expect(days.first()).toBeVisible();
  // a day the other booking specs leave alone (they take the fortnight's last seven)
  await days.nth(Math.max(0, (await days.count()) - 8)).click();
  await page.getByTestId('slots').getByRole('button').nth(3).click();
  await page.getByLabel(ui.booking.yourName).fill('Hamza Berrada');
  await page.getByRole('radio', { name: visitsEn.contact.byWhatsapp }).check();
  await page.getByRole('button', { name: new RegExp(ui.booking.confirm) }).click();
  await expect(page.getByRole('heading', { name: ui.booking.success })).toBeVisible();
  const ticket = (await page
    .getByText(/A-\d{3}/)
    .first()
    .textContent())!.match(/A-\d{3}/)![0];
  const record = async () =>
    (
      await serviceRest(page, 'GET', `patients?phone=eq.${encodeURIComponent(E164)}&select=preferred_channel`)
    )[0];
  await expect.poll(record, LIVE).toEqual({ preferred_channel: 'whatsapp' });

  // the owner's message log: the confirmation, once the server's sweep has run, is a WhatsApp message
  const ownerCtx = await newContext(browser, { lang: 'en' });
  const owner = await ownerCtx.newPage();
  await signIn(owner, LOGINS.owner, '/admin');
  const confirmation = owner
    .getByRole('listitem')
    .filter({ hasText: ui.admin.kinds.booking_confirmed })
    .filter({ hasText: ticket })
    .filter({ hasText: 'Hamza Berrada' });
  await sweepUntilLogged(owner, ui.admin.tabs.budget, confirmation);
  await expect(confirmation).toContainText(ui.admin.channels.whatsapp);
  await expect(confirmation).toContainText('simulated');
  const [row] = await serviceRest(
    owner,
    'GET',
    `notifications?kind=eq.booking_confirmed&recipient=eq.${encodeURIComponent(E164)}&select=channel,content_sid,status&order=created_at.desc&limit=1`,
  );
  expect(row).toEqual({ channel: 'whatsapp', content_sid: SID, status: 'simulated' });

  // My visits shows the choice again (read back from the server)
  await page.goto('/me');
  const card = page.getByRole('region', {
    name: new RegExp(`^${visitsEn.contact.title.replace('{{clinic}}', '.*Anfa')}$`),
  });
  await expect(card.getByRole('radio', { name: visitsEn.contact.byWhatsapp })).toBeChecked(LIVE);
  await ownerCtx.close();
  await ctx.close();
});
