/**
 * Owners' reports (issue 19): the owner opens Reports in English and in Arabic, changes the period and the
 * breakdown, downloads CSV files and parses them (UTF-8 BOM, practitioner names and Arabic texts intact),
 * and the printed page shows the report alone. The seeded demo day (today) is the data: two completed
 * visits, no history before this month.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { parseCsv } from '../../src/services/reports/models/ReportCsv';
import { LOGINS, newContext, signIn } from './helpers';

async function downloadCsv(
  page: Page,
  testId: string,
): Promise<{ name: string; rows: string[][]; bom: boolean }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const bytes = readFileSync((await download.path())!);
  return {
    name: download.suggestedFilename(),
    bom: bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf,
    rows: parseCsv(bytes.toString('utf8')),
  };
}

test('owner reads the reports in English and Arabic, changes the period, downloads CSV, prints', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  await signIn(page, LOGINS.owner, '/admin');
  await page.getByRole('tab', { name: 'Reports' }).click();

  // this month: the seeded day's completed visits
  const summary = page.getByTestId('reports-summary');
  await expect(summary).toBeVisible();
  const seen = Number(
    await summary.locator('dt', { hasText: 'Patients seen' }).locator('+ dd').textContent(),
  );
  expect(seen).toBeGreaterThanOrEqual(2);
  const range = page.getByTestId('reports-range');
  const thisMonth = (await range.textContent())!;
  expect(thisMonth).toMatch(/^\d{4}-\d\d-01 → \d{4}-\d\d-\d\d$/);
  await expect(page.getByTestId('reports-heatmap')).toBeVisible();

  // the month before has no visits; back again
  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(range).not.toHaveText(thisMonth);
  await expect(page.getByText('No visits in this period.').first()).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(range).toHaveText(thisMonth);

  // per practitioner: the CSV lists them by name, with the UTF-8 BOM
  await page.getByTestId('reports-by').selectOption('practitioner');
  await expect(page.getByRole('cell', { name: 'Dr Salma Benali' }).first()).toBeVisible();
  const visits = await downloadCsv(page, 'reports-visits-csv');
  expect(visits.bom).toBe(true);
  expect(visits.name).toMatch(/^queuemed-visits-\d{4}-\d\d-01_\d{4}-\d\d-\d\d\.csv$/);
  expect(visits.rows[0]!.slice(0, 4)).toEqual(['Period', 'Practitioner / visit type', 'Visits', 'Seen']);
  expect(visits.rows.some((r) => r[1] === 'Dr Salma Benali')).toBe(true);
  const totalSeen = visits.rows.filter((r) => r[0] === 'Total').reduce((n, r) => n + Number(r[3]), 0);
  expect(totalSeen).toBe(seen);

  // printed: the report alone (no tabs, no controls), headed by the clinic and the range
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('tablist')).toBeHidden();
  await expect(page.getByTestId('reports-by')).toBeHidden();
  await expect(page.getByTestId('reports-print-title')).toContainText('Cabinet Médical Anfa');
  await page.emulateMedia({ media: 'screen' });

  // Arabic: the same figures, right to left; the CSV's Arabic texts survive the round trip
  await page
    .getByRole('group', { name: 'Language' })
    .getByRole('button', { name: /^(AR|العربية)$/ })
    .click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.getByRole('tab', { name: 'التقارير' }).click();
  await expect(page.getByRole('heading', { name: 'التقارير' })).toBeVisible();
  await expect(
    page.getByTestId('reports-summary').locator('dt', { hasText: 'المرضى الذين تم فحصهم' }),
  ).toBeVisible();
  await page.getByTestId('reports-span').selectOption('year');
  await expect(range).toHaveText(/^\d{4}-01-01 → \d{4}-12-31$/);
  const busy = await downloadCsv(page, 'reports-busy-csv');
  expect(busy.bom).toBe(true);
  expect(busy.rows[0]).toEqual(['اليوم', 'الساعة', 'الوصول']);
  const days = ['الأحد', 'الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت'];
  expect(busy.rows.length).toBeGreaterThan(1);
  for (const r of busy.rows.slice(1)) expect(days).toContain(r[0]);

  await ctx.close();
});
