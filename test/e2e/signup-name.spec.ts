/**
 * fix23a (review23 M1): a sign-up whose name holds a link was made silently with no name (profiles.full_name NULL,
 * the person never told). Now the sign-up screen refuses it and says why, in the reader's language (here Arabic,
 * right to left); with the name corrected — a real name with a particle after a dot, review23 L5 — the account is made.
 */
import { expect, test } from '@playwright/test';
import { errorsAr } from '../../src/i18n/locales/errors.ar';
import { uiAr } from '../../src/i18n/locales/ui/ar';
import { letterTag, newContext } from './helpers';

test('sign-up in Arabic: a name with a link is refused with the reason; the corrected name signs up', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'ar' });
  const page = await ctx.newPage();
  await page.goto('/sign-in?next=/staff');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  const form = page.locator('#panel-staff');
  // the link under the form switches to sign-up; then the submit button says "create an account" too
  await form.getByRole('button', { name: uiAr.auth.signUp }).click();
  await form.getByLabel(uiAr.auth.fullName).fill('Gagnant bit(.)ly/promo');
  await form.getByLabel(uiAr.auth.email).fill(`p1.${letterTag()}@example.test`);
  await form.getByLabel(uiAr.auth.password, { exact: true }).fill('a-strong-password-1');
  await form.locator('button[type=submit]').click();
  await expect(page.getByRole('alert')).toHaveText(errorsAr.errors['PERSON.NAME_NOT_ALLOWED']);
  await expect(page).toHaveURL(/\/sign-in/);

  // the same address is still free (no account was made): the corrected name signs up and signs in
  await form.getByLabel(uiAr.auth.fullName).fill('Abd.El Kader');
  await form.locator('button[type=submit]').click();
  await page.waitForURL((u) => u.pathname === '/staff');
  await ctx.close();
});
