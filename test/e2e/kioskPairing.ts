/**
 * kiosk17: a tablet becomes the entrance kiosk the way a clinic does it — a receptionist signs in on it, opens
 * /kiosk and pairs it; the page keeps the kiosk's device token and signs the receptionist out of the tablet.
 */
import { expect, type Page } from '@playwright/test';
import { kioskEn } from '../../src/i18n/locales/ui/kiosk.en';
import { LOGINS, signIn } from './helpers';

export async function pairKiosk(
  page: Page,
  strings: typeof kioskEn = kioskEn,
  label = 'e2e kiosk',
): Promise<void> {
  await signIn(page, LOGINS.reception, '/kiosk');
  await page.getByLabel(strings.pairLabel).fill(label);
  await page.getByRole('button', { name: strings.pair }).click();
  await expect(page.getByLabel(strings.ticket)).toBeVisible();
  // no staff session is left on the tablet (supabase-js keeps it under sb-…-auth-token)
  await expect
    .poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith('-auth-token'))))
    .toEqual([]);
}
