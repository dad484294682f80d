// @vitest-environment jsdom
// The desk's patient record (issues 19, 20) on the in-memory composition root: a patient whose email the mail
// server refused for good is flagged on the record staff open (My visits tells the patient; the desk must know
// too, or nobody asks for a new address), in ar/fr/en; an address that did not bounce, or no address, shows no
// warning. Which clinic may read the record is the database's (supabase/tests/audit.test.ts).
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installDialogShim } from '../../../test/fixtures/dialogShim';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import type { Language } from '../../i18n/languages';
import { recordsAr } from '../../i18n/locales/ui/records.ar';
import { recordsEn } from '../../i18n/locales/ui/records.en';
import { recordsFr } from '../../i18n/locales/ui/records.fr';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { PatientRecordDialog } from './PatientRecordDialog';

const AMINA = 'a3000000-0000-4000-8000-000000000001';
const DESK = { en: recordsEn.desk, fr: recordsFr.desk, ar: recordsAr.desk } as const;

beforeAll(() => installDialogShim());
afterEach(() => cleanup());

async function open(lng: Language, email: string | null, emailBouncedAt: string | null) {
  const made = createInMemoryServices({ actorId: 'desk' });
  made.reportsRepo.records.set(AMINA, {
    patient: {
      id: AMINA,
      fullName: 'Amina Alaoui',
      phone: '+212612345678',
      preferredLanguage: 'fr',
      smsOptOut: false,
      email,
      emailBouncedAt,
    },
    visits: [],
  });
  await renderWithServices(<PatientRecordDialog patientId={AMINA} onClose={() => {}} />, made.services, {
    lng,
    page: ['dash', 'records'],
  });
  return within(await screen.findByTestId('patient-record'));
}

describe('PatientRecordDialog', () => {
  it.each(['en', 'fr', 'ar'] as const)(
    'shows staff that the patient’s email hard-bounced, next to the address (%s)',
    async (lng) => {
      const record = await open(lng, 'amina@example.ma', '2026-11-30T09:12:00Z');
      expect(record.getByText('amina@example.ma')).toBeTruthy();
      expect(record.getByTestId('record-email-bounced').textContent).toBe(DESK[lng].recordEmailBounced);
    },
  );

  it('shows the address without a warning when it did not bounce, and nothing when there is no address', async () => {
    const record = await open('en', 'amina@example.ma', null);
    expect(record.getByText('amina@example.ma')).toBeTruthy();
    expect(record.queryByTestId('record-email-bounced')).toBeNull();
    cleanup();
    const none = await open('en', null, null);
    expect(none.queryByText(recordsEn.desk.recordEmail)).toBeNull();
    expect(none.queryByTestId('record-email-bounced')).toBeNull();
  });
});
