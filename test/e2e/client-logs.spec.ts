/**
 * Issue 19, operations: the browser's logger is created after the first render and sends the page's
 * uncaught errors to the stack's POST /client-logs — with the phone number in the message masked and the
 * tracking token in the path replaced. The stack answers 204. A name the desk showed is masked in the text,
 * and the entry carries the trace id (W3C traceparent) of one of the page's requests.
 */
import { expect, test, type Page } from '@playwright/test';
import { LIVE, LOGINS, newContext, signIn } from './helpers';

/**
 * The logger's module arriving (it loads on its own after the first render). Watched on the network, not with
 * performance.getEntriesByType: with the suite's clock pinned (`npm run test:e2e:night`, page.clock) the fake
 * clock replaces `performance`, whose entry lists are then always empty.
 */
const loggerLoaded = (page: Page) =>
  page.waitForResponse((r) => /\/browserLogger-[^/]*\.js$/.test(new URL(r.url()).pathname), LIVE);

test('an uncaught error in the page reaches /client-logs without the phone number', async ({ browser }) => {
  const ctx = await newContext(browser, { lang: 'fr' });
  const page = await ctx.newPage();
  const logger = loggerLoaded(page);
  await page.goto('/board/cabinet-anfa');
  await expect(page.locator('#root')).not.toBeEmpty(LIVE);
  // the logger loads on its own after the first render: wait for its module, then throw in the page
  await logger;
  const sent = page.waitForRequest((r) => r.url().endsWith('/client-logs') && r.method() === 'POST', LIVE);
  const answered = page.waitForResponse((r) => r.url().endsWith('/client-logs'), LIVE);
  await page.evaluate(() => {
    // thrown from a microtask: an uncaught error as from any callback, and not through page.clock's fake
    // timers (which catch what their callbacks throw — the night run pins the clock)
    queueMicrotask(() => {
      throw new Error('probe: SMS to 0612345678 failed');
    });
  });
  const body = (await sent).postDataJSON() as { entries: { level: string; msg: string; page: string }[] };
  expect((await answered).status()).toBe(204);
  const entry = body.entries.find((e) => e.msg.includes('probe'));
  expect(entry).toMatchObject({ level: 'error', page: '/board/cabinet-anfa' });
  expect(entry!.msg).toContain('061••••78');
  expect(JSON.stringify(body)).not.toContain('0612345678');
  await ctx.close();
});

test("a patient's name the desk showed is masked inside an error's text before it leaves the browser", async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'ar' });
  const page = await ctx.newPage();
  // the trace ids the page's supabase-js sent (W3C traceparent on every request to the backend)
  const traces = new Set<string>();
  page.on('request', (r) => {
    const tp = r.headers()['traceparent'];
    if (tp && r.url().includes('/rest/v1/')) traces.add(tp.split('-')[1]!);
  });
  const logger = loggerLoaded(page);
  await signIn(page, LOGINS.reception);
  // the desk shows today's queue: its patients' names came to the page through the hooks' queries
  const nameCell = page.locator('[data-testid^="row-"] td:nth-child(3) bdi').first();
  await expect(nameCell).toBeVisible(LIVE);
  const name = (await nameCell.innerText()).trim();
  expect(name.length).toBeGreaterThan(1);
  await logger;
  const sent = page.waitForRequest(
    (r) =>
      r.url().endsWith('/client-logs') &&
      r.method() === 'POST' &&
      (r.postData() ?? '').includes('probe-name'),
    LIVE,
  );
  await page.evaluate((n) => {
    queueMicrotask(() => {
      throw new Error(`probe-name: could not save ${n}`);
    });
  }, name);
  const body = (await sent).postDataJSON() as { entries: { msg: string; traceId?: string }[] };
  const entry = body.entries.find((e) => e.msg.includes('probe-name'));
  expect(entry!.msg).toContain('probe-name: could not save [name]');
  // the entry carries the trace id of one of the page's requests: the stack's lines of that call have it too
  expect(traces.size).toBeGreaterThan(0);
  expect([...traces]).toContain(entry!.traceId);
  for (const word of name.split(/\s+/).filter((w) => w.length >= 3))
    expect(JSON.stringify(body)).not.toContain(word);
  await ctx.close();
});
