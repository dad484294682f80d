/**
 * Issue 17 (dir20): the public clinic directory. An owner lists their clinic (Admin → Profile → Clinic directory:
 * listed, a city, a specialty); a visitor with no account opens the directory from the home page, searches by that
 * city, opens the clinic and lands on its public page (booking and joining). A clinic of its own (a fresh owner,
 * approved for SMS) and a city no other spec uses, so nothing depends on other state or on the hour.
 */
import { expect, test } from '@playwright/test';
import { en } from '../../src/i18n/locales/en';
import { directoryEn } from '../../src/i18n/locales/ui/directory.en';
import { landingEn } from '../../src/i18n/locales/ui/landing.en';
import { LIVE, newContext, newOwnerClinic, signIn } from './helpers';

test('an owner lists the clinic; a visitor finds it by city in the directory and opens its page', async ({
  browser,
}) => {
  const owner = await newContext(browser, { lang: 'en' });
  const admin = await owner.newPage();
  const { email, slug } = await newOwnerClinic(admin, 'directory', 'Cabinet Annuaire');
  // letters only: a city holds no phone-number-like run of digits (N1)
  const city = `Azrou ${slug.replace(/[^a-z]/g, '')}`;

  await signIn(admin, email, '/admin');
  const form = admin.getByRole('form', { name: directoryEn.admin.title });
  await expect(admin.getByTestId('directory-listing-state')).toHaveText(directoryEn.admin.notListed, LIVE);
  await form.getByLabel(directoryEn.admin.listed).check();
  await form.getByLabel(directoryEn.city).fill(city);
  await form.getByLabel(directoryEn.specialtyLabel).selectOption({ label: directoryEn.specialty.dentistry });
  await form.getByRole('button', { name: en.common.save }).click();
  await expect(admin.getByTestId('directory-listing-state')).toHaveText(directoryEn.admin.isListed, LIVE);

  // a visitor, no account: home → directory → search by the city (in capitals) → the clinic → its page
  const visitor = await newContext(browser, { lang: 'en' });
  const page = await visitor.newPage();
  await page.goto('/');
  await page.getByRole('link', { name: new RegExp(landingEn.directoryLink) }).click();
  await expect(page).toHaveURL(/\/clinics$/);
  await expect(page.getByRole('heading', { name: directoryEn.title })).toBeVisible(LIVE);
  const search = page.getByRole('search', { name: directoryEn.title });
  await search.getByLabel(directoryEn.city).fill(city.toUpperCase());
  await search.getByRole('button', { name: directoryEn.search }).click();
  const results = page.getByTestId('directory-results');
  await expect(results.getByRole('link')).toHaveCount(1, LIVE);
  await expect(results).toContainText(directoryEn.specialty.dentistry);
  await results.getByRole('link', { name: directoryEn.open.replace('{{name}}', 'Cabinet Annuaire') }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${slug}$`));
  await expect(page.getByRole('heading', { name: 'Cabinet Annuaire' })).toBeVisible(LIVE);
  // Back returns to the search
  await page.goBack();
  await expect(page.getByTestId('directory-results').getByRole('link')).toHaveCount(1, LIVE);
});
