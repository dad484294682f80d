/**
 * board18 (security issue 17): the demo clinic shows names on its board (`board_show_names`), but only a screen
 * paired to it gets them. The owner pairs a board screen in Clinic settings → Queue rules → Board screens and opens
 * the one-time link on the TV (a second browser): the TV keeps the key, takes it off its address, and shows the
 * called patient's first name + initial — also for a patient called after it opened (the pushed change carries no
 * names; the paired TV re-reads the board with its key). A TV that is not paired (a third browser) shows the same
 * tickets without any name, with the "not paired" hint for staff. Unpaired in admin, the TV falls back to tickets.
 * The test builds its own called visits (service role; e2e phones of this session end in 58) and takes them off
 * the day's line at the end, so the suites after it find the queue as the seed made it.
 */
import { expect, test, type Page } from '@playwright/test';
import { adminEn } from '../../src/i18n/locales/ui/admin.en';
import { boardsEn } from '../../src/i18n/locales/ui/boards.en';
import { en } from '../../src/i18n/locales/en';
import { LIVE, LOGINS, calledVisitOnBoard, clinicNow, newContext, serviceRest, signIn } from './helpers';

async function leaveTheLine(page: Page, entryIds: string[]): Promise<void> {
  for (const id of entryIds)
    await serviceRest(page, 'PATCH', `queue_entries?id=eq.${id}`, {
      status: 'cancelled',
      cancelled_at: new Date(clinicNow()).toISOString(),
      cancel_reason: 'e2e board pairing test done',
    });
}

test('a board screen paired in admin shows the called patient’s name; an unpaired one shows the ticket only', async ({
  browser,
}) => {
  const adminCtx = await newContext(browser);
  const tvCtx = await newContext(browser);
  const otherCtx = await newContext(browser);
  const admin = await adminCtx.newPage();
  const tv = await tvCtx.newPage();
  const other = await otherCtx.newPage();
  const entries: string[] = [];
  try {
    entries.push(
      await calledVisitOnBoard(admin, {
        ticketNumber: 981,
        fullName: 'Nour Bennani',
        phone: '+212698100058',
        room: '7',
      }),
    );

    // the owner pairs a board screen: the link holds the key in its fragment
    await signIn(admin, LOGINS.owner, '/admin');
    await admin.getByRole('tab', { name: adminEn.tabs.rules }).click();
    await expect(admin.getByRole('heading', { name: boardsEn.title })).toBeVisible();
    await admin.getByLabel(boardsEn.label).fill('e2e TV 58');
    await admin.getByRole('button', { name: boardsEn.pair }).click();
    const link = (await admin.getByTestId('board-pair-link').textContent())!;
    expect(link).toMatch(/\/board\/cabinet-anfa#key=[0-9a-f]{64}$/);
    await expect(admin.getByTestId('board-device').filter({ hasText: 'e2e TV 58' })).toBeVisible();

    // the TV opens the link once: names, no hint, and the key is off the address but kept on the device
    await tv.goto(new URL(link).pathname + new URL(link).hash);
    await expect(tv.getByTestId('serving-name-A-981')).toHaveText('Nour B.');
    expect(new URL(tv.url()).hash).toBe('');
    expect(await tv.evaluate(() => localStorage.getItem('queuemed.board.key:cabinet-anfa'))).toMatch(
      /^[0-9a-f]{64}$/,
    );
    await expect(tv.getByTestId('board-not-paired')).toHaveCount(0);

    // a screen nobody paired: the same ticket, no name, and the hint for staff
    await other.goto('/board/cabinet-anfa');
    await expect(other.getByTestId('serving-A-981')).toBeVisible();
    await expect(other.getByTestId('board-not-paired')).toHaveText(en.board.notPaired);
    await expect(other.getByTestId('serving-name-A-981')).toHaveCount(0);
    await expect(other.getByTestId('board')).not.toContainText('Nour');

    // a patient called after the screens opened: live on both, named on the paired one only
    entries.push(
      await calledVisitOnBoard(admin, {
        ticketNumber: 982,
        fullName: 'Yasmine Alaoui',
        phone: '+212698200058',
        room: '7',
      }),
    );
    await expect(tv.getByTestId('serving-name-A-982')).toHaveText('Yasmine A.', LIVE);
    await expect(other.getByTestId('serving-A-982')).toBeVisible(LIVE);
    await expect(other.getByTestId('board')).not.toContainText('Yasmine');

    // unpaired in admin: the TV shows tickets only on its next read, and forgets its key
    const device = admin.getByTestId('board-device').filter({ hasText: 'e2e TV 58' });
    await device.getByRole('button', { name: boardsEn.revoke }).click();
    await expect(device).toContainText(boardsEn.revoked);
    await tv.reload();
    await expect(tv.getByTestId('serving-A-982')).toBeVisible();
    await expect(tv.getByTestId('board-not-paired')).toBeVisible();
    await expect(tv.getByTestId('serving-name-A-982')).toHaveCount(0);
    await expect
      .poll(() => tv.evaluate(() => localStorage.getItem('queuemed.board.key:cabinet-anfa')))
      .toBeNull();
  } finally {
    await leaveTheLine(admin, entries);
    for (const c of [adminCtx, tvCtx, otherCtx]) await c.close();
  }
});
