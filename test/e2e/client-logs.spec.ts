/**
 * Issue 19, operations: the browser's logger is created after the first render and sends the page's
 * uncaught errors to the stack's POST /client-logs — with the phone number in the message masked and the
 * tracking token in the path replaced. The stack answers 204.
 */
import { expect, test } from '@playwright/test';
import { LIVE, newContext } from './helpers';

test('an uncaught error in the page reaches /client-logs without the phone number', async ({ browser }) => {
  const ctx = await newContext(browser, { lang: 'fr' });
  const page = await ctx.newPage();
  await page.goto('/board/cabinet-anfa');
  await expect(page.locator('#root')).not.toBeEmpty(LIVE);
  // the logger loads on its own after the first render: wait for its module, then throw in the page
  await page.waitForFunction(
    () => performance.getEntriesByType('resource').some((r) => /browserLogger-.*\.js/.test(r.name)),
    undefined,
    LIVE,
  );
  const sent = page.waitForRequest((r) => r.url().endsWith('/client-logs') && r.method() === 'POST', LIVE);
  const answered = page.waitForResponse((r) => r.url().endsWith('/client-logs'), LIVE);
  await page.evaluate(() => {
    setTimeout(() => {
      throw new Error('probe: SMS to 0612345678 failed');
    }, 0);
  });
  const body = (await sent).postDataJSON() as { entries: { level: string; msg: string; page: string }[] };
  expect((await answered).status()).toBe(204);
  const entry = body.entries.find((e) => e.msg.includes('probe'));
  expect(entry).toMatchObject({ level: 'error', page: '/board/cabinet-anfa' });
  expect(entry!.msg).toContain('061••••78');
  expect(JSON.stringify(body)).not.toContain('0612345678');
  await ctx.close();
});
