/**
 * The desk's table, read only (nothing changes here): positions grouped per doctor's pool (issue 15.12), the
 * table as cards on a phone in Arabic with Status, Wait and Actions on screen and the ticket in one piece
 * (issue 15.13, 15.8), and a mistyped board address (issue 15.15).
 */
import { expect, test } from '@playwright/test';
import { LOGINS, MOBILE, newContext, row, signIn } from './helpers';

test('positions are grouped per doctor: each pool is labelled and counts 1, 2, 3 … on its own', async ({
  browser,
}, testInfo) => {
  const ctx = await newContext(browser);
  const desk = await ctx.newPage();
  await signIn(desk, LOGINS.reception);
  await expect(row(desk, 'A-007')).toBeVisible();
  const pools = desk.locator('tbody[data-testid^="pool-"]');
  await expect(pools.getByRole('rowheader').filter({ hasText: 'Dr Salma Benali' })).toHaveCount(1);
  await expect(pools.getByRole('rowheader').filter({ hasText: 'Any doctor' })).toHaveCount(1);
  const n = await pools.count();
  expect(n).toBeGreaterThanOrEqual(2);
  for (let i = 0; i < n; i++) {
    const positions = (await pools.nth(i).locator('tr[data-testid^="row-"] td:first-child').allInnerTexts())
      .map((p) => p.trim())
      .filter((p) => /^\d+$/.test(p))
      .map(Number);
    // within a pool: 1, 2, 3 … in table order, no repeats
    expect(positions).toEqual(positions.map((_, k) => k + 1));
  }
  // a doctor's patients are not split across the table
  const seen = await desk
    .locator('tbody tr[data-testid^="row-"]')
    .evaluateAll((trs) => trs.map((tr) => tr.closest('tbody')?.getAttribute('data-testid')));
  const runs = seen.filter((p, i) => i === 0 || p !== seen[i - 1]);
  expect(new Set(runs).size).toBe(runs.length);
  await testInfo.attach('desk grouped by doctor', {
    body: await desk.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
  await ctx.close();
});

test('on a phone in Arabic the desk shows each patient as a card: Status, Wait and Actions on screen, the ticket in one piece', async ({
  browser,
}, testInfo) => {
  const ctx = await newContext(browser, { lang: 'ar', mobile: true });
  const desk = await ctx.newPage();
  await signIn(desk, LOGINS.reception);
  const r = row(desk, 'A-007');
  await expect(r).toBeVisible();
  const inView = async (what: string, box: { x: number; width: number } | null) => {
    expect(box, what).not.toBeNull();
    expect(box!.x, `${what} starts on screen`).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, `${what} ends on screen`).toBeLessThanOrEqual(MOBILE.width);
  };
  await inView('status', await r.locator('td').nth(3).boundingBox());
  await inView('wait', await r.locator('td').nth(4).boundingBox());
  await inView('check in / call', await r.getByRole('button').first().boundingBox());
  // nothing scrolls sideways
  const overflow = await desk.evaluate(() => {
    const scroller = document.querySelector('table')?.parentElement;
    return {
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      table: scroller ? scroller.scrollWidth - scroller.clientWidth : 0,
    };
  });
  expect(overflow).toEqual({ page: 0, table: 0 });
  // "A-007" is one line, never "A-/007"
  const lines = await r
    .locator('td')
    .nth(1)
    .evaluate((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return new Set([...range.getClientRects()].map((b) => Math.round(b.top))).size;
    });
  expect(lines).toBe(1);
  await expect(r.locator('td').nth(1)).toHaveText('A-007');
  await testInfo.attach('desk on a phone (ar)', {
    body: await desk.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
  await ctx.close();
});

test('a mistyped board address says the clinic was not found, not grey placeholders under "Live" (en, ar)', async ({
  browser,
}, testInfo) => {
  const ctx = await newContext(browser);
  const board = await ctx.newPage();
  await board.goto('/board/cabinet-anfaa');
  await expect(board.getByTestId('board-not-found')).toHaveText('Clinic not found');
  await expect(board.getByText('cabinet-anfaa')).toBeVisible();
  await expect(board.getByText('Live')).toHaveCount(0);
  await board.getByRole('button', { name: 'AR', exact: true }).click();
  await expect(board.getByTestId('board-not-found')).toHaveText('العيادة غير موجودة');
  await testInfo.attach('board: clinic not found (ar)', {
    body: await board.screenshot(),
    contentType: 'image/png',
  });
  await ctx.close();
});
