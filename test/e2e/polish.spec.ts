/**
 * Issue 15.16 (part) and 15.8: a closed date in the past is refused with a message (nothing saved); two toasts
 * at most, never over the desk's row actions; "Signed in as" shows the phone of an SMS-code patient; on the
 * clinic page in Arabic the phone and "Consultation · 15 min" keep their own direction. Nothing in the queue
 * changes here. The live dot honours a reader's wish for less motion (the suite asks for it: test/e2e/browsers.ts).
 */
import { expect, test } from '@playwright/test';
import { LOGINS, clinicNow, lastOtp, newContext, otpMark, serverDayOf, signIn } from './helpers';

test('a closed date in the past is refused with a message and nothing is saved', async ({
  browser,
}, testInfo) => {
  const ctx = await newContext(browser);
  const owner = await ctx.newPage();
  await signIn(owner, LOGINS.owner, '/admin');
  await owner.getByRole('tab', { name: 'Hours' }).click();
  const yesterday = await serverDayOf(owner, clinicNow() - 24 * 60 * 60_000);
  const closed = owner.getByRole('listitem').filter({ hasText: yesterday });
  await expect(closed).toHaveCount(0);
  await owner.getByLabel('Date').fill(yesterday);
  await owner.getByRole('button', { name: 'Add a closed date' }).click();
  await expect(owner.getByTestId('closed-date-error')).toHaveText(
    'This date is in the past. Choose today or a later date to close the clinic.',
  );
  await owner.reload();
  await owner.getByRole('tab', { name: 'Hours' }).click();
  await expect(owner.getByRole('heading', { name: 'Closed dates' })).toBeVisible();
  await expect(closed).toHaveCount(0);
  await testInfo.attach('closed date in the past', {
    body: await owner.screenshot(),
    contentType: 'image/png',
  });
  await ctx.close();
});

test('two toasts at most, and none over the desk’s row actions', async ({ browser }, testInfo) => {
  const ctx = await newContext(browser);
  const owner = await ctx.newPage();
  await signIn(owner, LOGINS.owner, '/staff');
  // where the desk's row actions are (the table's end column)
  await owner.getByRole('button', { name: 'All', exact: true }).click();
  const actions = (await owner.locator('tbody tr[data-testid^="row-"] td:last-child').first().boundingBox())!;
  await owner.goto('/admin');
  await owner.getByRole('tab', { name: 'Queue rules' }).click();
  for (let i = 0; i < 4; i++) {
    await owner.getByRole('form', { name: 'Queue rules' }).getByRole('button', { name: 'Save' }).click();
    await expect(owner.getByTestId('toast-ok').last()).toBeVisible();
  }
  await expect(owner.locator('[data-testid^="toast-"]')).toHaveCount(2);
  // a toast may time out between listing and measuring on a slow machine: measure those still there
  const toasts = await owner.locator('[data-testid^="toast-"]').all();
  const boxes = (await Promise.all(toasts.map((t) => t.boundingBox()))).filter((b) => b !== null);
  expect(boxes.length).toBeGreaterThan(0);
  for (const box of boxes) {
    expect(box.x + box.width, 'a toast ends before the actions column starts').toBeLessThanOrEqual(actions.x);
  }
  await testInfo.attach('toasts', { body: await owner.screenshot(), contentType: 'image/png' });
  await ctx.close();
});

test('"Signed in as" shows the phone of a patient who signed in with an SMS code', async ({ browser }) => {
  const ctx = await newContext(browser);
  const phone = await ctx.newPage();
  await phone.goto('/sign-in?as=patient&next=/me');
  await phone.getByLabel('Mobile phone').fill('+212600000177');
  const sent = await otpMark(phone, '212600000177');
  await phone.getByRole('button', { name: 'Send me a code' }).click();
  await phone.getByLabel('Code received by SMS').fill(await lastOtp(phone, '212600000177', sent));
  await phone.getByRole('button', { name: 'Verify and continue' }).click();
  await phone.waitForURL('**/me');
  await expect(phone.getByTestId('signed-in-as')).toContainText('212600000177');
  await ctx.close();
});

test('on the clinic page in Arabic, the phone and "Consultation · 15 min" keep their own direction', async ({
  browser,
}, testInfo) => {
  const ctx = await newContext(browser, { lang: 'ar', mobile: true });
  const page = await ctx.newPage();
  await page.goto('/c/cabinet-anfa');
  await expect(page.locator('bdi[dir="ltr"]', { hasText: '+212' })).toHaveCount(1);
  const type = page.getByRole('group', { name: /1 ·/ }).getByRole('button').first();
  await expect(type.locator('bdi')).toHaveCount(2);
  await expect(type.locator('bdi').nth(1)).toHaveText(/\d+ دقيقة|\d+ دقائق/);
  await testInfo.attach('clinic page (ar, phone)', {
    body: await page.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
  await ctx.close();
});

test('the live dot pulses, and stands still for a reader who asks for less motion', async ({ browser }) => {
  // the suite's pages ask for reduced motion (test/e2e/browsers.ts SUITE_MOTION); this reader did not
  const moving = await browser.newContext({ reducedMotion: 'no-preference' });
  const still = await newContext(browser);
  const running = async (ctx: typeof still) => {
    const page = await ctx.newPage();
    await page.goto('/');
    const dot = page.locator('.qm-live-dot');
    await expect(dot).toBeVisible();
    return dot.evaluate((el) =>
      el.getAnimations().map((a) => `${(a as CSSAnimation).animationName} ${a.playState}`),
    );
  };
  expect(await running(moving)).toEqual(['qm-pulse running']);
  expect(await running(still)).toEqual([]);
  await moving.close();
  await still.close();
});
