/**
 * Issue 19, retention and erasure on request (law 09-08, GDPR). The test builds its own patient (service role)
 * so the seeded demo stays as the other specs expect it. The receptionist opens Admin → Privacy: no form, no
 * erasure, and the database refuses erase_patient from her token. The owner, in Arabic (right-to-left), sets
 * the retention period; in English, finds the patient, opens the erasure dialog that names them, can confirm
 * only with the name typed, erases: the patient is no longer found and the record holds no name or phone.
 * The retention period is cleared again at the end (the rest of the suite keeps its history).
 */
import { expect, test, type Page } from '@playwright/test';
import { LIVE, LOGINS, PASSWORD, expectAccessible, newContext, serviceRest, signIn } from './helpers';

const NAME = 'Yasmine Effacement';

async function tokenOf(page: Page, email: string): Promise<{ anon: string; token: string }> {
  const { supabaseAnonKey } = (await (await page.request.get('/config.json')).json()) as {
    supabaseAnonKey: string;
  };
  const session = (await (
    await page.request.post('/auth/v1/token?grant_type=password', {
      headers: { apikey: supabaseAnonKey, 'content-type': 'application/json' },
      data: { email, password: PASSWORD },
    })
  ).json()) as { access_token: string };
  return { anon: supabaseAnonKey, token: session.access_token };
}

test('the owner sets the retention period and erases a patient on request; a receptionist cannot', async ({
  browser,
}) => {
  // ── the patient to erase (built with the service role) ──
  const front = await newContext(browser, { lang: 'en' });
  const reception = await front.newPage();
  const [clinic] = await serviceRest(reception, 'GET', 'clinics?select=id&slug=eq.cabinet-anfa');
  const [patient] = await serviceRest(reception, 'POST', 'patients', {
    clinic_id: clinic!.id,
    full_name: NAME,
    phone: '+212611223344',
    preferred_language: 'fr',
  });
  const patientId = patient!.id as string;

  // ── the receptionist: no erasure in the screen, and the database refuses it ──
  await signIn(reception, LOGINS.reception, '/admin');
  await reception.getByRole('tab', { name: 'Privacy' }).click();
  await expect(reception.getByText('Only the clinic’s owner can change how long data is kept')).toBeVisible(
    LIVE,
  );
  await expect(reception.getByTestId('retention-now')).toBeVisible(LIVE);
  await expect(reception.getByLabel('Find the patient (name, phone or ticket)')).toHaveCount(0);
  await expect(reception.getByLabel('Retention period (days)')).toHaveCount(0);
  const { anon, token } = await tokenOf(reception, LOGINS.reception);
  const refused = await reception.request.post('/rest/v1/rpc/erase_patient', {
    headers: { apikey: anon, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    data: { p_patient_id: patientId },
  });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).not.toContain('select');
  const [still] = await serviceRest(reception, 'GET', `patients?select=full_name,phone&id=eq.${patientId}`);
  expect(still).toEqual({ full_name: NAME, phone: '+212611223344' });
  await front.close();

  // ── the owner, in Arabic: the retention period ──
  const arCtx = await newContext(browser, { lang: 'ar' });
  const ar = await arCtx.newPage();
  await signIn(ar, LOGINS.owner, '/admin');
  await expect(ar.locator('html')).toHaveAttribute('dir', 'rtl');
  await ar.getByRole('tab', { name: 'الخصوصية' }).click();
  await expect(ar.getByRole('heading', { name: 'مدة حفظ بيانات المرضى' })).toBeVisible(LIVE);
  await expect(ar.getByTestId('retention-now')).toHaveText('حاليًا: يُحفظ كل شيء', LIVE);
  await ar.getByLabel('مدة الحفظ (بالأيام)').fill('365');
  await ar.getByRole('button', { name: 'حفظ المدة' }).click();
  await expect(ar.getByTestId('retention-now')).toHaveText('حاليًا: 365 يومًا', LIVE);
  const [kept] = await serviceRest(ar, 'GET', `clinics?select=retention_days&id=eq.${clinic!.id}`);
  expect(kept).toEqual({ retention_days: 365 });
  await arCtx.close();

  // ── the owner, in English: erase the patient ──
  const enCtx = await newContext(browser, { lang: 'en' });
  const owner = await enCtx.newPage();
  await signIn(owner, LOGINS.owner, '/admin');
  await owner.getByRole('tab', { name: 'Privacy' }).click();
  await expect(owner.getByTestId('retention-now')).toHaveText('Now: 365 days', LIVE);
  const search = owner.getByLabel('Find the patient (name, phone or ticket)');
  await search.fill('Yasmine Eff');
  await expect(owner.getByRole('button', { name: `Erase ${NAME}` })).toBeVisible(LIVE);
  await expectAccessible(owner, 'admin privacy tab');
  await owner.getByRole('button', { name: `Erase ${NAME}` }).click();
  const dialog = owner.getByRole('dialog', { name: `Erase ${NAME}?` });
  await expect(dialog).toBeVisible(LIVE);
  await expect(dialog).toContainText('It cannot be undone');
  const go = dialog.getByRole('button', { name: 'Erase for good' });
  await expect(go).toBeDisabled();
  const typed = dialog.getByLabel(`Type the patient’s name to confirm: ${NAME}`);
  await typed.fill('Yasmine');
  await expect(go).toBeDisabled();
  await typed.fill(NAME);
  await dialog.getByLabel('Reason (optional, kept in the audit trail)').fill('asked at the desk');
  await expect(go).toBeEnabled();
  await go.click();
  await expect(dialog).toBeHidden(LIVE);
  await expect(owner.getByText(`${NAME} was erased`)).toBeVisible(LIVE);

  // gone: not found again, and the record holds no name, phone or account
  await search.fill('Yasmine Eff');
  await expect(owner.getByText('No patient matches.')).toBeVisible(LIVE);
  await expect(owner.getByRole('button', { name: `Erase ${NAME}` })).toHaveCount(0);
  const [after] = await serviceRest(
    owner,
    'GET',
    `patients?select=full_name,phone,user_id,anonymised_at&id=eq.${patientId}`,
  );
  expect(after).toMatchObject({ full_name: '—', phone: null, user_id: null });
  expect(after!.anonymised_at).not.toBeNull();
  // the audit trail records who erased (not the name)
  const [audit] = await serviceRest(
    owner,
    'GET',
    `audit_log?select=kind,reason,actor_role&patient_id=eq.${patientId}&kind=eq.patient_erased`,
  );
  expect(audit).toEqual({ kind: 'patient_erased', reason: 'asked at the desk', actor_role: 'owner' });

  // leave the clinic as the suite found it: everything kept
  await owner.getByLabel('Retention period (days)').fill('');
  await owner.getByRole('button', { name: 'Save period' }).click();
  await expect(owner.getByTestId('retention-now')).toHaveText('Now: everything is kept', LIVE);
  await enCtx.close();
});
