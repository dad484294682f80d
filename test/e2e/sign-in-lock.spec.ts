/**
 * sec20 item 4 — per-account sign-in lockout, as the person at the sign-in screen sees it. An account's failed
 * passwords are counted whatever the address (supabase/local/auth/sprayLimit.ts, npm start's default: 10 in 15
 * minutes); from then on every password sign-in of that account is refused for the rest of that window, even the
 * right one, and the screen says so in the reader's language — before, a refusal for too many attempts read "wrong
 * login or password" and the owner kept typing. Here in Arabic (right to left): 10 wrong passwords each say
 * "wrong", the 11th try — with the RIGHT password — says "too many attempts, try again later". A fresh
 * account of this spec only; the waits are on the server's answers, no fixed sleeps.
 */
import { expect, test } from '@playwright/test';
import { errorsAr } from '../../src/i18n/locales/errors.ar';
import { uiAr } from '../../src/i18n/locales/ui/ar';
import { PASSWORD, newContext } from './helpers';

test('ten wrong passwords pause the account’s password sign-in; the screen says so in Arabic, even for the right password', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'ar' });
  const page = await ctx.newPage();
  const email = `lock-${crypto.randomUUID().slice(0, 8)}@signin.e2e.queuemed.ma`;
  const { supabaseAnonKey } = (await (await page.request.get('/config.json')).json()) as {
    supabaseAnonKey: string;
  };
  const signedUp = await page.request.post('/auth/v1/signup', {
    headers: { apikey: supabaseAnonKey },
    data: { email, password: PASSWORD },
  });
  expect(signedUp.ok(), await signedUp.text()).toBe(true);

  await page.goto(`/sign-in?login=${encodeURIComponent(email)}&next=%2Fstaff`);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  const password = page.locator('input[type=password]');
  const submit = page.locator('form button[type=submit]');
  const alert = page.getByRole('alert');
  const attempt = async (typed: string) => {
    await password.fill(typed);
    const answered = page.waitForResponse((r) => r.url().includes('/auth/v1/token'));
    await submit.click();
    return (await answered).status();
  };

  for (let i = 0; i < 10; i++) {
    expect(await attempt(`wrong-${i}`)).toBe(400);
    await expect(alert).toHaveText(uiAr.auth.failed);
  }
  // the right password now: refused for a while, and said so — not "wrong password"
  expect(await attempt(PASSWORD)).toBe(429);
  await expect(alert).toHaveText(errorsAr.errors['RATE.LIMITED']);
  await expect(page).toHaveURL(/\/sign-in/);
  await ctx.close();
});
