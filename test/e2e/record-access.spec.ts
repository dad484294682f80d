/**
 * Issue 19, audit trail: a staff read of a patient's record is logged and the patient sees it. The reception
 * (English) opens Amine's record from the desk (⋯ → Patient record, which reads it through
 * get_patient_record); Amine (Arabic, then French) opens "Who accessed my record" on /me and finds the
 * receptionist's read. Amine's seeded visit of today is A-007; opening a record changes nothing in the queue.
 */
import { expect, test } from '@playwright/test';
import { LIVE, LOGINS, newContext, row, signIn } from './helpers';

test('the desk opens a patient record; the patient sees who read it, in Arabic and French', async ({
  browser,
}) => {
  const desk = await newContext(browser, { lang: 'en' });
  const reception = await desk.newPage();
  await signIn(reception, LOGINS.reception, '/staff');
  // the whole day's list: a record opens from any row, and the suite's morning (run before this file) may
  // already have ended the day, which leaves nobody "in progress"
  await reception.getByRole('button', { name: 'All', exact: true }).click();
  await expect(row(reception, 'A-007')).toBeVisible(LIVE);
  await row(reception, 'A-007').getByRole('button', { name: 'More actions for A-007' }).click();
  await reception.getByRole('menuitem', { name: 'Patient record' }).click();
  const dialog = reception.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: 'Record of Amine Tazi' })).toBeVisible(LIVE);
  await expect(dialog.getByTestId('patient-record')).toContainText('A-007', LIVE);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await desk.close();

  for (const lang of ['ar', 'fr'] as const) {
    const ctx = await newContext(browser, { lang, mobile: true });
    const phone = await ctx.newPage();
    await signIn(phone, LOGINS.patient, '/me');
    const card = phone.getByRole('region', {
      name: lang === 'ar' ? 'من اطّلع على ملفي' : 'Qui a consulté mon dossier',
    });
    await card
      .getByRole('button', {
        name: lang === 'ar' ? 'اعرض من اطّلع على ملفي' : 'Voir qui a consulté mon dossier',
      })
      .click();
    const reads = card.getByTestId('record-access').getByRole('listitem');
    await expect(reads.first()).toBeVisible(LIVE);
    // newest first: the receptionist's read a moment ago, with the clinic
    await expect(reads.first()).toContainText('Nadia Chraibi');
    await expect(reads.first()).toContainText('Cabinet Médical Anfa');
    await ctx.close();
  }
});
