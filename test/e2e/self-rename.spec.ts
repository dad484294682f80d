/**
 * Issue 12: a patient corrects their own name from My visits ("Votre nom chez {clinic}", MyNameCard →
 * set_my_name). Three corrections in the clinic's day go through and show on the card and on the record; the
 * fourth is refused in the patient's language (PATIENT.RENAME_LIMIT) and the name stays.
 * The count is per clinic day (the database's clock): the test starts on a clinic day with more than 10 minutes
 * left — under `npm run test:e2e:night` (clocks pinned at 23:30 and 00:30) and at any hour.
 * Phone …49 (this spec only); the booking takes the fortnight's 8th-last day, which no other spec books.
 */
import { expect, test } from '@playwright/test';
import { errorsFr } from '../../src/i18n/locales/errors.fr';
import { uiFr } from '../../src/i18n/locales/ui/fr';
import { myNameFr } from '../../src/i18n/locales/ui/myName.fr';
import { LIVE, clinicNow, newContext, serverDayOf, serviceRest, signInByPhone } from './helpers';
import { bookingFr } from '../../src/i18n/locales/ui/booking.fr';

const PHONE = '0600000249';
const E164 = `+212${PHONE.slice(1)}`;

test('a patient corrects their name three times from My visits; the fourth time is refused in French and the name stays', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'fr' });
  const page = await ctx.newPage();
  await signInByPhone(page, PHONE, '/c/cabinet-anfa', uiFr.auth);

  // a booking makes the patient's record at the clinic (the name the card corrects)
  await page.getByRole('button', { name: /Échographie/ }).click();
  const days = page.getByRole('group', { name: `2 · ${bookingFr.step2}` }).getByRole('button');
  await expect(days.first()).toBeVisible(LIVE);
  await days.nth(Math.max(0, (await days.count()) - 8)).click();
  await page.getByTestId('slots').getByRole('button').nth(2).click();
  await page.getByLabel(bookingFr.yourName).fill('Yassine Bennanni');
  await page.getByRole('button', { name: new RegExp(bookingFr.confirm) }).click();
  await expect(page.getByRole('heading', { name: bookingFr.success })).toBeVisible(LIVE);

  // the limit is per clinic day: never start the four renames in the clinic's last minutes (a midnight between
  // them would give the fourth a new day's count)
  const day = await serverDayOf(page);
  if ((await serverDayOf(page, clinicNow() + 10 * 60_000)) !== day) {
    test.info().setTimeout(test.info().timeout + 12 * 60_000); // the wait below is longer than a test's 300 s
    await expect.poll(() => serverDayOf(page), { timeout: 11 * 60_000 }).not.toBe(day);
  }
  const startDay = await serverDayOf(page);

  await page.goto('/me');
  const card = page.getByRole('region', {
    name: new RegExp(`^${myNameFr.title.replace('{{clinic}}', '.*Anfa')}$`),
  });
  await expect(card).toBeVisible(LIVE);
  await expect(card.getByTestId('my-name-current')).toHaveText('Yassine Bennanni');
  const record = async () =>
    (await serviceRest(page, 'GET', `patients?phone=eq.${encodeURIComponent(E164)}&select=full_name`)).map(
      (r) => r.full_name,
    );
  expect(await record()).toEqual(['Yassine Bennanni']);

  const rename = async (typed: string) => {
    await card.getByRole('button', { name: myNameFr.edit }).click();
    await card.getByRole('textbox', { name: myNameFr.label }).fill(typed);
    await card.getByRole('button', { name: myNameFr.save }).click();
  };
  // three corrections (white space collapsed as the desk does): each saved, confirmed, shown on the card
  for (const [typed, saved] of [
    ['Yassine  Bennani', 'Yassine Bennani'],
    ['Yassine El Bennani', 'Yassine El Bennani'],
    ['  Yassine   Bennani ', 'Yassine Bennani'],
  ] as const) {
    await rename(typed);
    await expect(page.getByRole('status')).toContainText(myNameFr.saved.replace('{{name}}', saved), LIVE);
    await expect(card.getByTestId('my-name-current')).toHaveText(saved, LIVE);
    expect(await record()).toEqual([saved]);
  }

  // the fourth: refused in French, said in the card, nothing changed
  await rename('Yassine B.');
  await expect(card.getByTestId('my-name-error')).toHaveText(errorsFr.errors['PATIENT.RENAME_LIMIT'], LIVE);
  expect(await record()).toEqual(['Yassine Bennani']);
  await page.reload();
  await expect(card.getByTestId('my-name-current')).toHaveText('Yassine Bennani', LIVE);
  // all four on one clinic day (else the count would have started again)
  expect(await serverDayOf(page)).toBe(startDay);
  await ctx.close();
});
