/**
 * A signed-in desk renders its queue before supabase-js's auth client has loaded (issue 14): the first reads use
 * the session stored at sign-in (src/services/composition/lazyAuth.ts), and auth-js — held back here until the
 * queue is on screen — loads behind them and then owns the session (sign-out still works). The JS the desk
 * needed for its first render carries no GoTrue client code.
 */
import { expect, test } from '@playwright/test';
import { LOGINS, newContext, signIn } from './helpers';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { AUTH_STORAGE_KEY } from '../../src/services/composition/authStorageKey';

/** a method of auth-js's GoTrueClient (property names survive minification) */
const GOTRUE = '_recoverAndRefresh';

test('the desk shows its queue from the stored session while auth-js is still held back, then signs out as before', async ({
  browser,
}) => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await signIn(page, LOGINS.reception); // stores the session, as any earlier visit would have

  // a fresh tab of the same browser: what it downloads before the queue shows
  const desk = await ctx.newPage();
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const heldBack: string[] = [];
  await desk.route('**/assets/*.js', async (route) => {
    const url = route.request().url();
    const response = await route.fetch();
    const body = await response.text();
    // any file with GoTrue client code arrives only after the queue is on screen (a first render that needs it
    // never comes: before session 21, supabase-js's chunk carried auth-js)
    if (body.includes(GOTRUE)) {
      heldBack.push(url);
      await held;
    }
    await route.fulfill({ response, body });
  });
  await desk.goto('/staff');
  await expect(desk.getByTestId('stat-done')).toBeVisible();
  // auth-js alone was held: one file, asked for in the background
  expect(heldBack.length).toBeLessThanOrEqual(1);
  expect(heldBack.every((u) => /\/AuthClient-[\w-]+\.js$/.test(u))).toBe(true);
  release();
  // once it has loaded, the real client owns the session: signing out ends it in this tab
  await expect.poll(() => heldBack.length, { timeout: 30_000 }).toBe(1);
  await desk.getByRole('button', { name: uiEn.nav.signOut }).click();
  await desk.waitForURL((u) => u.pathname === '/sign-in' || u.pathname === '/');
  await expect.poll(() => desk.evaluate((key) => localStorage.getItem(key), AUTH_STORAGE_KEY)).toBeNull();
  // the page may still be fetching chunks (the signed-out home page): stop intercepting before closing
  await desk.unrouteAll({ behavior: 'ignoreErrors' });
  await ctx.close();
});
