/**
 * Issue 15.16: a row's ⋯ menu closes with Escape and with a click outside, only one is open at a time, and it
 * works from the keyboard (Enter opens it on its first item, arrows move, focus returns to ⋯); an information
 * dialog (the shortcut help) has one dismiss control, not "Cancel" and "Close". English desktop, Arabic phone.
 * Nothing in the queue changes here; a refresh may still re-render or re-sort the rows (the server's estimate
 * tick), so the ⋯ are found by their visit's ticket, and focus must come back to them all the same.
 */
import { expect, test } from '@playwright/test';
import { ar } from '../../src/i18n/locales/ar';
import { en } from '../../src/i18n/locales/en';
import { dashAr } from '../../src/i18n/locales/ui/dash.ar';
import { dashEn } from '../../src/i18n/locales/ui/dash.en';
import { LOGINS, newContext, signIn } from './helpers';

const CASES = [
  { lang: 'en', ui: { ...en, dash: dashEn }, mobile: false },
  { lang: 'ar', ui: { ...ar, dash: dashAr }, mobile: true },
] as const;

for (const c of CASES) {
  test(`row menus: Escape, outside click, one at a time, keyboard; help dialog has one dismiss control (${c.lang}, ${c.mobile ? 'phone' : 'desktop'})`, async ({
    browser,
  }, testInfo) => {
    const ctx = await newContext(browser, { lang: c.lang, mobile: c.mobile });
    const desk = await ctx.newPage();
    await signIn(desk, LOGINS.reception);
    const moreLabel = new RegExp(c.ui.dash.actions.more.replace('{{ticket}}', '.+'));
    const triggers = desk.getByRole('button', { name: moreLabel });
    await expect(triggers.nth(1)).toBeVisible();
    // the rows by their visits' ⋯ (aria-label carries the ticket), not by index: a queue refresh may re-sort the
    // rows while the spec runs, and `.nth(0)` would then be another visit's ⋯ (flake22: the previous CI failed so)
    const byLabel = async (n: number) =>
      desk.getByRole('button', { name: (await triggers.nth(n).getAttribute('aria-label'))!, exact: true });
    const first = await byLabel(0);
    const second = await byLabel(1);
    await expect(first).toHaveCount(1);
    await expect(second).toHaveCount(1);
    const menus = desk.getByRole('menu');

    // Escape closes it and gives focus back to ⋯
    await first.click();
    await expect(menus).toHaveCount(1);
    await desk.keyboard.press('Escape');
    await expect(menus).toHaveCount(0);
    await expect(first).toBeFocused();

    // a click outside closes it
    await first.click();
    await expect(menus).toHaveCount(1);
    await desk.getByRole('heading', { level: 1 }).first().click();
    await expect(menus).toHaveCount(0);

    // one at a time: opening the second closes the first
    await first.click();
    await expect(menus).toHaveCount(1);
    await second.click();
    await expect(menus).toHaveCount(1);
    await expect(second).toHaveAttribute('aria-expanded', 'true');
    await expect(first).toHaveAttribute('aria-expanded', 'false');
    await testInfo.attach(`one menu open (${c.lang})`, {
      body: await desk.screenshot(),
      contentType: 'image/png',
    });
    await desk.keyboard.press('Escape');
    await expect(menus).toHaveCount(0);
    await expect(second).toBeFocused();

    // the keyboard: Enter opens on the first item, ArrowDown moves to the next
    await first.focus();
    await desk.keyboard.press('Enter');
    const items = menus.getByRole('menuitem');
    await expect(items.first()).toBeFocused();
    await desk.keyboard.press('ArrowDown');
    await expect(items.nth(1)).toBeFocused();
    await desk.keyboard.press('Escape');
    await expect(menus).toHaveCount(0);
    await expect(first).toBeFocused();

    // the shortcut help (?) is information: one way out
    if (!c.mobile) {
      await desk.locator('body').click({ position: { x: 5, y: 5 } });
      await desk.keyboard.press('?');
      const help = desk.getByRole('dialog', { name: c.ui.dash.shortcuts });
      await expect(help).toBeVisible();
      await expect(help.getByRole('button')).toHaveCount(1);
      await expect(help.getByRole('button')).toHaveText(c.ui.common.close);
      await desk.keyboard.press('Escape');
      await expect(help).toBeHidden();
    }
    await ctx.close();
  });
}
