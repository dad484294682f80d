/**
 * The light screens load once (issue 14): the tracker asks for the visit's status once, the board for
 * the board once, even after going live (the realtime join checks the queue's version, a tiny read, and
 * reloads only when it moved). Neither screen downloads supabase-js, react-query or the full zod.
 */
import { expect, test, type Page, type Request } from '@playwright/test';
import { newContext } from './helpers';

/** Collects requests of `page`; resolves `live` when the screen's post-join version check has answered. */
function watch(page: Page) {
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  const live = page.waitForResponse((r) => r.url().includes('/rest/v1/queues?') && r.ok());
  const count = (part: string) => requests.filter((r) => r.url().includes(part)).length;
  const scripts = () => requests.filter((r) => r.resourceType() === 'script').map((r) => r.url());
  return { live, count, scripts };
}

test('the tracker: one status request on load, also once live', async ({ browser }) => {
  const ctx = await newContext(browser, { mobile: true });
  const page = await ctx.newPage();
  const w = watch(page);
  await page.goto('/t/demo-visit-amine');
  await expect(page.getByTestId('tracker-ticket')).toHaveText('A-007');
  await w.live;
  // the version check has answered: had it differed, the reload would already be on its way
  await page.waitForLoadState('networkidle');
  // the tracker's one request: get_tracker_view (get_visit_live's status + stored estimate, and the clinic
  // clock its times are formatted with) — made by the server that rendered the first view into the HTML (lcp23),
  // which embeds what it read: the browser hydrates from it and asks for the status no more
  await expect(page.locator('script#qm-seed')).toBeAttached();
  expect(w.count('/rpc/get_tracker_view')).toBe(0);
  expect(w.count('/rpc/get_visit_live')).toBe(0);
  expect(w.count('/rpc/get_visit_status')).toBe(0);
  expect(w.scripts().filter((u) => /supabase-js|QueryRoot|StaffGate/.test(u))).toEqual([]);
  await ctx.close();
});

test('the board: one board request on load, also once live', async ({ browser }) => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const w = watch(page);
  await page.goto('/board/cabinet-anfa');
  await expect(page.getByTestId('next-tickets')).toBeAttached(); // shown whatever the day's state (even ended)
  await w.live;
  await page.waitForLoadState('networkidle');
  expect(w.count('/rpc/get_waiting_board')).toBe(1);
  expect(w.count('/rpc/get_public_clinic')).toBe(1);
  expect(w.scripts().filter((u) => /supabase-js|QueryRoot|StaffGate/.test(u))).toEqual([]);
  await ctx.close();
});
