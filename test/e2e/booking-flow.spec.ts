/**
 * Issue 15.9: a patient who is not signed in picks a visit type, a day and a time, then signs in with their
 * phone — and finds the same choice waiting (type, day, slot). Confirming without a name shows the error under
 * the name field (no toast over the Confirm button on a phone). A returning patient's name is filled in.
 * English on a desktop, Arabic on a phone.
 */
import { expect, test, type Page } from '@playwright/test';
import { uiAr } from '../../src/i18n/locales/ui/ar';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { visitsAr } from '../../src/i18n/locales/ui/visits.ar';
import { visitsEn } from '../../src/i18n/locales/ui/visits.en';
import { lastOtp, newContext, otpMark } from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';
import { bookingAr } from '../../src/i18n/locales/ui/booking.ar';

const CASES = [
  {
    lang: 'en',
    ui: { ...uiEn, booking: bookingEn },
    visits: visitsEn,
    mobile: false,
    phone: '0600000211',
    name: 'Salma Idrissi',
  },
  {
    lang: 'ar',
    ui: { ...uiAr, booking: bookingAr },
    visits: visitsAr,
    mobile: true,
    phone: '0600000212',
    name: 'عبد الله التازي',
  },
] as const;

async function signInWithPhone(page: Page, ui: (typeof CASES)[number]['ui'], phone: string) {
  await page.getByLabel(ui.auth.phone).fill(phone);
  const sent = await otpMark(page, phone);
  await page.getByRole('button', { name: ui.auth.sendCode }).click();
  await page.getByLabel(ui.auth.code).fill(await lastOtp(page, phone, sent));
  await page.getByRole('button', { name: ui.auth.verify }).click();
}

for (const c of CASES) {
  test(`booking keeps its choice across sign-in, names a missing name on the field, fills a returning patient's name (${c.lang}, ${c.mobile ? 'phone' : 'desktop'})`, async ({
    browser,
  }, testInfo) => {
    const ctx = await newContext(browser, { lang: c.lang, mobile: c.mobile });
    const page = await ctx.newPage();
    await page.goto('/c/cabinet-anfa');
    const ui = c.ui;
    const visits = c.visits;
    const type = page.getByRole('button', { name: /Échographie/ });
    await type.click();
    await expect(type).toHaveAttribute('aria-pressed', 'true');
    const days = page.getByRole('group', { name: `2 · ${ui.booking.step2}` }).getByRole('button');
    await expect(days.first()).toBeVisible();
    // the days before the fortnight's last (patient.spec books the last one)
    const dayCount = await days.count();
    const day = days.nth(dayCount - 2);
    const dayText = (await day.textContent())!;
    await day.click();
    const slot = page.getByTestId('slots').getByRole('button').nth(1);
    await expect(slot).toBeVisible();
    const slotText = (await slot.textContent())!;
    await slot.click();

    await page.getByRole('link', { name: ui.booking.signInFirst }).click();
    await signInWithPhone(page, ui, c.phone);
    await page.waitForURL((u) => u.pathname === '/c/cabinet-anfa');

    // the same choice is waiting
    await expect(page.getByRole('button', { name: /Échographie/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(days.filter({ hasText: dayText })).toHaveAttribute('aria-pressed', 'true');
    await expect(
      page.getByTestId('slots').getByRole('button', { name: slotText, exact: true }),
    ).toHaveAttribute('aria-pressed', 'true');
    const confirm = page.getByRole('button', { name: new RegExp(ui.booking.confirm) });
    await expect(confirm).toContainText(slotText);

    // no name: the field says so, nothing covers Confirm
    const name = page.getByLabel(ui.booking.yourName);
    await expect(name).toHaveValue('');
    await confirm.click();
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    const error = page.getByTestId('name-error');
    await expect(error).toHaveText(ui.booking.nameRequired);
    await expect(name).toHaveAccessibleDescription(ui.booking.nameRequired);
    await expect(page.getByTestId('toast-error')).toHaveCount(0);
    await expect(name).toBeFocused();
    const box = (await confirm.boundingBox())!;
    const onTop = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x!, y!)?.closest('button')?.textContent ?? '',
      [box.x + box.width / 2, box.y + box.height / 2],
    );
    expect(onTop, 'Confirm is not covered').toContain(ui.booking.confirm);
    await testInfo.attach(`name required (${c.lang})`, {
      body: await page.screenshot(),
      contentType: 'image/png',
    });

    await name.fill(c.name);
    await expect(name).not.toHaveAttribute('aria-invalid', 'true');
    await confirm.click();
    await expect(page.getByRole('heading', { name: ui.booking.success })).toBeVisible();

    const ticket = (await page
      .getByText(/A-\d{3}/)
      .first()
      .textContent())!.match(/A-\d{3}/)![0];

    // issue 15.4: signed in on another browser (nothing in its storage), the patient finds the live link of
    // every upcoming visit on My visits — from the server
    const other = await newContext(browser, { lang: c.lang, mobile: c.mobile });
    const elsewhere = await other.newPage();
    await elsewhere.goto('/sign-in?as=patient&next=/me');
    await signInWithPhone(elsewhere, ui, c.phone);
    await elsewhere.waitForURL((u) => u.pathname === '/me');
    const upcoming = elsewhere.getByRole('region', { name: visits.upcoming }).getByRole('listitem');
    await expect(upcoming.filter({ hasText: ticket })).toHaveCount(1);
    const n = await upcoming.count();
    for (let i = 0; i < n; i++)
      await expect(upcoming.nth(i).getByRole('link', { name: visits.track })).toHaveCount(1);
    await upcoming.filter({ hasText: ticket }).getByRole('link', { name: visits.track }).click();
    await elsewhere.waitForURL((u) => u.pathname.startsWith('/t/'));
    await expect(elsewhere.getByTestId('tracker-ticket')).toHaveText(ticket);
    await other.close();

    // a returning patient: the name is already there
    await page.goto('/c/cabinet-anfa');
    await expect(days.first()).toBeVisible();
    await days.nth((await days.count()) - 3).click();
    await page.getByTestId('slots').getByRole('button').nth(1).click();
    await expect(page.getByLabel(ui.booking.yourName)).toHaveValue(c.name);
    await testInfo.attach(`returning patient (${c.lang})`, {
      body: await page.screenshot(),
      contentType: 'image/png',
    });
    await ctx.close();
  });
}
