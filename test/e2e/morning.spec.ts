/**
 * A clinic morning across separate browser contexts — receptionist, doctor, a patient's phone (mobile
 * viewport, slow network) and the waiting-room board. Each step's effect is asserted on the other
 * screens without reloads (how fast is `npm run bench:web`'s figure). The tests build the state they need
 * (their own absent patient) and read "now" from the suite's clock, so they pass at any hour — also with
 * QUEUEMED_FAKE_NOW (e.g. 23:30 or 00:30 in Casablanca).
 */
import { expect, test, type Page } from '@playwright/test';
import { pairKiosk } from './kioskPairing';
import {
  LIVE,
  LOGINS,
  clinicNow,
  lastOtp,
  newContext,
  otpMark,
  row,
  serverDayOf,
  serviceRoleKey,
  signIn,
  slowNetwork,
  smsLogSince,
} from './helpers';

// Runs before the morning (which ends the day); both go to Dr Martin, so Dr Benali's calls are unchanged.
test('walk-in (shortcut W) and emergency (shortcut E) added at the desk reach the doctor and the board live, without reloads', async ({
  browser,
}) => {
  const receptionCtx = await newContext(browser);
  const doctorCtx = await newContext(browser);
  const boardCtx = await newContext(browser);
  const reception = await receptionCtx.newPage();
  const doctor = await doctorCtx.newPage();
  const board = await boardCtx.newPage();
  await signIn(reception, LOGINS.reception);
  await signIn(doctor, LOGINS.julien);
  await board.goto('/board/cabinet-anfa');
  await expect(board.getByRole('heading', { name: 'Cabinet Médical Anfa' })).toBeVisible();
  await expect(reception.getByTestId('dashboard')).toBeVisible();
  await reception.keyboard.press('w');
  await reception.getByLabel('Patient name').fill('Youssef Walkin');
  await reception.getByLabel('Phone (optional)').fill('0612345678');
  await reception.getByLabel('Doctor').selectOption({ label: 'Dr Julien Martin' });
  await reception.getByRole('button', { name: 'Add to queue' }).click();
  await expect(reception.getByTestId('toast-ok')).toContainText('Walk-in added');
  await expect(doctor.getByText('Youssef Walkin')).toBeVisible(LIVE);
  const ticket = (
    await reception.locator('tr', { hasText: 'Youssef Walkin' }).locator('td').nth(1).innerText()
  ).trim();
  await expect(board.getByTestId('next-tickets')).toContainText(ticket, LIVE);

  await reception.keyboard.press('e');
  await reception.getByLabel('Patient name').fill('Urgence Cardio');
  await reception.getByLabel('Doctor').selectOption({ label: 'Dr Julien Martin' });
  await reception.getByLabel('Reason').fill('Chest pain');
  await reception.getByRole('button', { name: 'Add to queue' }).click();
  await expect(doctor.locator('tr', { hasText: 'Urgence Cardio' })).toContainText('Emergency', LIVE);
  const emergency = (
    await reception.locator('tr', { hasText: 'Urgence Cardio' }).locator('td').nth(1).innerText()
  ).trim();
  await expect(board.getByTestId('next-tickets').locator('li').first()).toContainText(emergency, LIVE);
  for (const c of [receptionCtx, doctorCtx, boardCtx]) await c.close();
});

test('a clinic morning: book, check in, call next, start, finish, call out of order, absent, return, grace expiry, end day', async ({
  browser,
}, testInfo) => {
  // the whole morning in one journey across four browsers: ~2.5 min on an idle 2-core machine, over 5 on a
  // busy one — a slow machine must slow it down, never fail it
  test.setTimeout(900_000);
  const receptionCtx = await newContext(browser);
  const doctorCtx = await newContext(browser);
  const phoneCtx = await newContext(browser, { mobile: true });
  const boardCtx = await newContext(browser);
  const reception = await receptionCtx.newPage();
  const doctor = await doctorCtx.newPage();
  const phone = await phoneCtx.newPage();
  const board = await boardCtx.newPage();
  await slowNetwork(phone);
  // the board's voice: record what it says (headless Chromium has no speakers)
  await boardCtx.addInitScript(() => {
    const w = window as unknown as {
      __spoken: { text: string; lang: string }[];
      SpeechSynthesisUtterance?: unknown;
    };
    w.__spoken = [];
    if (!('SpeechSynthesisUtterance' in window))
      w.SpeechSynthesisUtterance = class {
        lang = '';
        constructor(public text: string) {}
      };
    Object.defineProperty(window, 'speechSynthesis', {
      configurable: true,
      value: {
        speak: (u: { text: string; lang: string }) => w.__spoken.push({ text: u.text, lang: u.lang }),
      },
    });
    // …and when its chime's tones start (Web Audio runs headless; nothing is heard)
    if ('OscillatorNode' in window) {
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (this: OscillatorNode, when?: number) {
        w.__spoken.push({ text: `chime ${this.frequency.value}`, lang: '' });
        return start.call(this, when);
      };
    }
  });

  // The patient books a visit from the phone (phone + SMS code), and gets a ticket and tracking link.
  await phone.goto('/sign-in?as=patient&next=/c/cabinet-anfa');
  await phone.getByLabel('Mobile phone').fill('+212600000100');
  const sent = await otpMark(phone, '212600000100');
  await phone.getByRole('button', { name: 'Send me a code' }).click();
  await phone.getByLabel('Code received by SMS').fill(await lastOtp(phone, '212600000100', sent));
  await phone.getByRole('button', { name: 'Verify and continue' }).click();
  await phone.waitForURL('**/c/cabinet-anfa');
  await pickFirstFreeSlot(phone);
  await phone.getByRole('button', { name: /Confirm booking/ }).click();
  await expect(phone.getByRole('heading', { name: /You are booked/ })).toBeVisible();
  await expect(phone.getByTestId('tracking-link')).toContainText('/t/');

  // Everyone opens their screen. The phone follows Amine's visit of today by its private link.
  await signIn(reception, LOGINS.reception);
  await signIn(doctor, LOGINS.salma);
  await board.goto('/board/cabinet-anfa');
  await board.getByRole('button', { name: 'Turn on announcements' }).click();
  await phone.goto('/t/demo-visit-amine');
  await expect(phone.getByTestId('tracker-ticket')).toHaveText('A-007');
  const position = Number(await phone.getByTestId('tracker-position').innerText());
  expect(position).toBeGreaterThanOrEqual(2);
  // the phone and the desk agree on Amine's place in line (same pool, same order)
  await expect(row(reception, 'A-007').locator('td').first()).toHaveText(String(position));
  // the desk shows the WaitTime model's rounded range (5-minute steps), never "about 9 min (7–15)"
  const deskWait = row(reception, 'A-007').locator('td').nth(4);
  await expect(deskWait).toHaveText(/^(about \d*[05] min \(\d*[05]–\d*[05]\)|a few minutes)$/);
  // … and the phone shows the same estimate as the desk (one estimator, issue 16). Which of the two it is
  // depends on how long ago the demo was seeded: the seeded visits in progress run past their length as the
  // suite goes on (run40: 9 min after the seed both doctors were overdue, and both screens said "a few
  // minutes"), so the test compares the screens instead of expecting a range.
  await expect
    .poll(async () => {
      const desk = (await deskWait.innerText()).trim();
      const tracker = (await phone.getByTestId('tracker-eta').innerText()).trim();
      return tracker.includes(desk) ? 'same' : `desk "${desk}" vs tracker "${tracker}"`;
    }, LIVE)
    .toBe('same');
  await expect(board.getByTestId('serving-A-004')).toBeVisible();
  await expect(row(reception, 'A-008')).toContainText('Booked');

  // Check in a booked patient at the desk → the board and the doctor see them waiting.
  await row(reception, 'A-008').getByRole('button', { name: 'Check in A-008' }).click();
  await expect(board.getByTestId('next-tickets')).toContainText('A-008', LIVE);
  await expect(row(doctor, 'A-008')).toContainText('Waiting', LIVE);

  // A booked patient checks in at the kiosk (a tablet paired by the receptionist, kiosk17) with their ticket code
  // and the last 4 digits of their phone (+212600000108).
  const kioskCtx = await newContext(browser);
  const kiosk = await kioskCtx.newPage();
  await pairKiosk(kiosk);
  // the database finds that one visit; the kiosk never downloads the clinic's patients
  const tableReads: string[] = [];
  kiosk.on('request', (r) => {
    if (r.url().includes('/rest/v1/') && !r.url().includes('/rest/v1/rpc/')) tableReads.push(r.url());
  });
  await kiosk.getByLabel('Ticket code').fill('a-009');
  await kiosk.getByLabel('Last 4 digits of your phone').fill('0180');
  await kiosk.getByRole('button', { name: 'Check in' }).click();
  await expect(kiosk.getByRole('alert')).toContainText('do not match a visit today');
  await kiosk.getByLabel('Last 4 digits of your phone').fill('0108');
  await kiosk.getByRole('button', { name: 'Check in' }).click();
  await expect(kiosk.getByTestId('kiosk-done')).toContainText('You are checked in, ticket A-009.');
  await expect(board.getByTestId('next-tickets')).toContainText('A-009', LIVE);
  expect(tableReads.filter((u) => /\/rest\/v1\/patients/.test(u))).toEqual([]);
  await kioskCtx.close();

  // The doctor calls next (shortcut N): the urgent walk-in A-006 → room 1. A-003 is finished first.
  const calledAt = new Date(clinicNow() - 1_000);
  await doctor.keyboard.press('n');
  await expect(board.getByTestId('serving-A-006')).toContainText('1', LIVE);
  // …and announced aloud in the clinic's language (French)
  await expect
    .poll(
      () =>
        board.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken),
      LIVE,
    )
    .toContainEqual({ text: 'Ticket A 006, veuillez vous rendre en salle 1.', lang: 'fr-FR' });
  // …after a chime of two tones, so heads turn before the ticket is read out
  const heard = (
    await board.evaluate(() => (window as unknown as { __spoken: { text: string }[] }).__spoken)
  ).map((x) => x.text);
  const spokenAt = heard.indexOf('Ticket A 006, veuillez vous rendre en salle 1.');
  expect(heard.slice(0, spokenAt).slice(-2)).toEqual(['chime 660', 'chime 880']);
  await expect(row(reception, 'A-006')).toContainText('Called', LIVE);
  await expect(phone.getByTestId('tracker-position')).toHaveText(String(position - 1), LIVE);
  // …and texted at once by the doctor's browser (send-sms, simulation mode) — not 20 s later by the sweep.
  await expect
    .poll(() => smsLogSince(doctor, calledAt), LIVE)
    .toContainEqual({ kind: 'your_turn', status: 'simulated' });

  // Start and finish the visit.
  await row(doctor, 'A-006').getByRole('button', { name: 'Start A-006' }).click();
  await expect(row(reception, 'A-006')).toContainText('With doctor', LIVE);
  await row(doctor, 'A-006').getByRole('button', { name: 'Finish A-006' }).click();
  await expect(board.getByTestId('serving-A-006')).toHaveCount(0, LIVE);

  // Call out of order, with a reason: everyone present ahead is counted as skipped.
  await reception.getByLabel('Calling for').selectOption({ label: 'Dr Salma Benali — Room 1' });
  await row(reception, 'A-008').getByRole('button', { name: 'Call A-008' }).click();
  await reception.getByLabel('Reason').fill('Results to discuss, 2 minutes');
  await reception.getByRole('dialog').getByRole('button', { name: 'Call' }).click();
  await expect(board.getByTestId('serving-A-008')).toBeVisible(LIVE);
  await expect(row(doctor, 'A-007')).toContainText('Skipped ×1', LIVE);
  await expect(row(reception, 'A-005')).toContainText('Skipped ×1');

  // Mark absent (confirmation) → grace countdown; the board no longer calls them.
  await row(doctor, 'A-008').getByRole('button', { name: 'Mark absent A-008' }).click();
  await doctor.getByRole('dialog').getByRole('button', { name: 'Mark absent' }).click();
  await expect(board.getByTestId('serving-A-008')).toHaveCount(0, LIVE);
  await expect(row(reception, 'A-008').getByTestId('grace-A-008')).toContainText(/Grace \d+:\d\d/, LIVE);

  // Return within grace → waiting again.
  await row(reception, 'A-008').getByRole('button', { name: 'Returned A-008' }).click();
  await expect(row(doctor, 'A-008')).toContainText('Waiting', LIVE);
  await expect(board.getByTestId('next-tickets')).toContainText('A-008', LIVE);

  // Grace expiry → no-show. The test makes its own absent patient (a walk-in marked absent now). The expiry is
  // the server's (issue 11: the desk no longer drives it and the database refuses an expiry not yet due by its
  // own clock), so the test lets the grace minutes go by for that one absence — its absence and grace end moved
  // into the past with the service role — and runs the grace half of the server's sweep (expire_graces: the
  // whole sweep_queues would also end the day when the suite runs after closing time + 2 h; the e2e stack
  // runs with QUEUE_SWEEP_MS=0 for the same reason). The desks see the no-show live.
  await reception.keyboard.press('w');
  await reception.getByLabel('Patient name').fill('Nadia Absente');
  await reception.getByLabel('Doctor').selectOption({ label: 'Dr Salma Benali' });
  await reception.getByRole('button', { name: 'Add to queue' }).click();
  await expect(reception.getByTestId('toast-ok').filter({ hasText: 'Walk-in added' })).toBeVisible();
  const absentee = (
    await reception.locator('tr', { hasText: 'Nadia Absente' }).locator('td').nth(1).innerText()
  ).trim();
  await row(doctor, absentee)
    .getByRole('button', { name: `Mark absent ${absentee}` })
    .click();
  await doctor.getByRole('dialog').getByRole('button', { name: 'Mark absent' }).click();
  const grace = row(reception, absentee).getByTestId(`grace-${absentee}`);
  await expect(grace).toContainText(/Grace \d+:\d\d/, LIVE);
  const service = { apikey: serviceRoleKey(), authorization: `Bearer ${serviceRoleKey()}` };
  const ticketNumber = Number(absentee.replace(/^\D+-/, ''));
  const moved = await reception.request.fetch(
    `/rest/v1/queue_entries?status=eq.absent&ticket_number=eq.${ticketNumber}`,
    {
      method: 'PATCH',
      headers: { ...service, 'content-type': 'application/json', prefer: 'return=representation' },
      data: {
        absent_at: new Date(clinicNow() - 2 * 3600_000).toISOString(),
        grace_ends_at: new Date(clinicNow() - 60_000).toISOString(),
      },
    },
  );
  expect(moved.ok(), await moved.text()).toBe(true);
  expect(((await moved.json()) as unknown[]).length).toBe(1);
  const swept = await reception.request.post('/rest/v1/rpc/expire_graces', { headers: service, data: {} });
  expect(swept.ok(), await swept.text()).toBe(true);
  await expect(row(doctor, absentee)).toHaveCount(0, LIVE); // leaves the "in progress" filter
  await doctor.getByRole('button', { name: 'All', exact: true }).click();
  await expect(row(doctor, absentee)).toContainText('No-show');

  // A receptionist on a fresh browser calls without choosing a desk first — Call next (N) and a row's Call
  // on the "any doctor" patient at position 1 — and the desk she chooses is still hers after a reload.
  const frontCtx = await newContext(browser);
  const front = await frontCtx.newPage();
  await signIn(front, LOGINS.reception);
  const desk = () => front.getByLabel('Calling for');
  await expect(desk().locator('option:checked')).toHaveText('Dr Julien Martin — Room 2'); // first doctor
  for (const name of ['Urgence Un', 'Urgence Deux']) {
    // one press: the desk keeps a shortcut pressed while it still loads (desk-shortcuts.spec)
    await front.keyboard.press('e');
    await front.getByLabel('Patient name').fill(name);
    await front.getByLabel('Reason').fill('Fainted in the waiting room');
    await front.getByRole('button', { name: 'Add to queue' }).click();
    await expect(front.locator('tr', { hasText: name })).toContainText('Any doctor');
    // the row shows at once (optimistic); the dialog closes when the server has saved it — E does nothing
    // while a dialog is open, so wait for it as a receptionist would
    await expect(front.getByRole('dialog')).toHaveCount(0);
  }
  await front.keyboard.press('n');
  await expect(front.getByTestId('toast-ok').filter({ hasText: /A-\d+ called/ })).toBeVisible();
  await expect(front.getByTestId('toast-error')).toHaveCount(0);
  await desk().selectOption({ label: 'Dr Karim Alaoui — Room 3' });
  await front.reload();
  await expect(desk().locator('option:checked')).toHaveText('Dr Karim Alaoui — Room 3');
  const anyFirst = front
    .locator('tbody tr', { hasText: 'Urgence' })
    .filter({ hasText: 'Any doctor' })
    .filter({ hasText: 'Waiting' })
    .first();
  await expect(anyFirst.locator('td').first()).toHaveText('1');
  const anyTicket = (await anyFirst.locator('td').nth(1).innerText()).trim();
  await row(front, anyTicket)
    .getByRole('button', { name: `Call ${anyTicket}` })
    .click();
  await expect(row(front, anyTicket)).toContainText('Called');
  await expect(front.getByRole('dialog')).toHaveCount(0);
  await expect(front.getByTestId('toast-error')).toHaveCount(0);
  await expect(board.getByTestId(`serving-${anyTicket}`)).toContainText('3', LIVE);
  await frontCtx.close();

  // End of the morning: end day (confirmation) → summary; the board empties; Amine becomes a no-show.
  await reception.getByRole('button', { name: 'End day' }).click();
  await reception.getByRole('dialog').getByRole('button', { name: 'End day' }).click();
  await expect(reception.getByTestId('day-summary')).toContainText('Patients seen');
  await expect(board.getByTestId('now-serving')).toHaveCount(0, LIVE);
  await expect(board.getByTestId('next-tickets').locator('li')).toHaveCount(0, LIVE);
  await expect(phone.getByTestId('tracker-status')).toHaveText('No-show', LIVE);

  // Issue 15.14: the desk says the day ended, with its summary on the page — not "No patients yet"; the
  // called-but-never-started patient (the "any doctor" emergency called above) is not counted as Done.
  await expect(reception.getByTestId('day-ended')).toContainText('Day ended');
  await expect(reception.getByTestId('day-ended').getByTestId('day-summary')).toContainText('No-shows');
  await expect(reception.getByText('No patients yet today')).toHaveCount(0);
  await expect(reception.getByRole('dialog')).toHaveCount(0); // the summary is on the page, no dialog to dismiss
  await reception.getByRole('button', { name: 'All', exact: true }).click();
  await expect(row(reception, anyTicket)).toContainText('Called, not seen');
  await expect(row(reception, anyTicket).getByText('Done', { exact: true })).toHaveCount(0);
  const served = Number(await reception.getByTestId('summary-served').innerText());
  await expect(reception.locator('tbody').getByText('Done', { exact: true })).toHaveCount(served);
  await expect(reception.getByTestId('stat-done')).toHaveText(String(served));
  await testInfo.attach('desk after End day (en)', {
    body: await reception.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
  // …and the board says the day is over (not "Please take a seat" under a "Live" badge), in en and ar.
  await expect(board.getByTestId('board-day-over')).toContainText('The day is over', LIVE);
  await expect(board.getByText('Please take a seat')).toHaveCount(0);
  await expect(board.getByTestId('board-live')).toHaveText('Day closed');
  await testInfo.attach('board after End day (en)', {
    body: await board.screenshot(),
    contentType: 'image/png',
  });
  await board.getByRole('button', { name: 'AR', exact: true }).click();
  await expect(board.getByTestId('board-day-over')).toContainText('انتهى يوم العمل');
  await expect(board.getByText('تفضل بالجلوس')).toHaveCount(0);
  await testInfo.attach('board after End day (ar)', {
    body: await board.screenshot(),
    contentType: 'image/png',
  });

  for (const c of [receptionCtx, doctorCtx, phoneCtx, boardCtx]) await c.close();
});

async function pickFirstFreeSlot(page: Page) {
  const days = page.getByRole('group', { name: '2 · Day' }).getByRole('button');
  await expect(days.first()).toBeVisible();
  // Amine already has today's visit (the seed's), and a patient has one open visit a day: book another day.
  // the clinic's today by the server's zone data, labelled as the page labels a calendar day
  const today = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(new Date(`${await serverDayOf(page)}T12:00:00Z`));
  const n = await days.count();
  for (let i = 0; i < n; i++) {
    if ((await days.nth(i).innerText()).trim() === today) continue;
    await days.nth(i).click();
    const slots = page.getByTestId('slots').getByRole('button');
    const none = page.getByText('No free time on this day');
    await expect(slots.first().or(none)).toBeVisible();
    if (await slots.count()) {
      await slots.first().click();
      return;
    }
  }
  throw new Error('no free slot in the next two weeks');
}
