/**
 * Issue 15.11: errors that say what to do. A position out of range names the allowed range; a doctor calling
 * another doctor's patient is told whose patient it is and what to do. Both are refusals: nothing changes,
 * so this suite leaves the seeded morning as it found it.
 */
import { expect, test, type Page } from '@playwright/test';
import { LOGINS, newContext, row, signIn } from './helpers';

/** A-005 is Dr Salma Benali's booked patient, waiting (seed). */
const SALMAS = 'A-005';

async function moveTo(
  page: Page,
  labels: { more: string; move: string; pos: string; reason: string; save: string },
) {
  await row(page, SALMAS).getByRole('button', { name: labels.more }).click();
  await page.getByRole('menuitem', { name: labels.move }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(labels.pos).fill('99');
  await dialog.getByLabel(labels.reason).fill('Test');
  await dialog.getByRole('button', { name: labels.save }).click();
}

test('a refused move names the allowed range, and a doctor calling a colleague’s patient is told whose it is (en, ar)', async ({
  browser,
}, testInfo) => {
  const ctx = await newContext(browser);
  const doctor = await ctx.newPage();
  await signIn(doctor, LOGINS.julien);
  await expect(row(doctor, SALMAS)).toContainText('Dr Salma Benali');

  // Dr Martin calls Dr Benali's patient out of order → whose patient, and what to do
  await row(doctor, SALMAS)
    .getByRole('button', { name: `Call ${SALMAS}` })
    .click();
  await doctor.getByRole('dialog').getByLabel('Reason').fill('Asked for me');
  await doctor.getByRole('dialog').getByRole('button', { name: 'Call' }).click();
  await expect(doctor.getByTestId('toast-error')).toHaveText(
    /This is Dr Salma Benali’s patient\. To call them, choose Dr Salma Benali under “Calling for”, or move the patient to your list first/,
  );
  await expect(row(doctor, SALMAS)).toContainText('Waiting'); // nothing changed
  await testInfo.attach('another doctor’s patient (en)', {
    body: await doctor.screenshot(),
    contentType: 'image/png',
  });
  await doctor.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await doctor.getByTestId('toast-error').getByRole('button', { name: 'Close' }).click();

  // A position out of range → the range the patient can take
  await moveTo(doctor, {
    more: `More actions for ${SALMAS}`,
    move: 'Move',
    pos: 'New position',
    reason: 'Reason',
    save: 'Save',
  });
  await expect(doctor.getByTestId('toast-error')).toHaveText(
    /Position 99 is not possible for this patient: choose a position from \d+ to \d+\./,
  );
  await expect(doctor.getByText('That position is not valid.')).toHaveCount(0);
  await testInfo.attach('position out of range (en)', {
    body: await doctor.screenshot(),
    contentType: 'image/png',
  });
  await doctor.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // …and in Arabic
  await doctor.getByRole('button', { name: 'AR', exact: true }).click();
  await moveTo(doctor, {
    more: `إجراءات أخرى لـ ${SALMAS}`,
    move: 'نقل',
    pos: 'الترتيب الجديد',
    reason: 'السبب',
    save: 'حفظ',
  });
  await expect(doctor.getByTestId('toast-error').last()).toHaveText(
    /الترتيب 99 غير ممكن لهذا المريض: اختر ترتيبًا من \d+ إلى \d+\./,
  );
  await testInfo.attach('position out of range (ar)', {
    body: await doctor.screenshot(),
    contentType: 'image/png',
  });
  await ctx.close();
});
