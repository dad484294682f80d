// @vitest-environment jsdom
// The Privacy tab on the in-memory services (issue 19): the owner saves a retention period (an out-of-range
// one is refused with a translated message, nothing saved); erasing a patient opens a dialog that names them
// and stays disabled until their name is typed; after it the patient is no longer found. A receptionist sees
// the period only: no form, no erasure. Arabic is laid out right-to-left by the app shell; here its texts.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installDialogShim } from '../../../test/fixtures/dialogShim';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { ManualClock } from '../../services/shared/Clock';
import PrivacyTab from './PrivacyTab';
import { sameName } from './privacy/EraseSection';

afterEach(() => cleanup());
beforeAll(installDialogShim);

const AMINA = '9f1c3a52-7c1e-4c55-9d53-2a1d7b0c0001';

async function setup(isOwner: boolean, lng: 'en' | 'ar' = 'en') {
  const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
  if (isOwner) made.reportsRepo.owned.add('clinic-1');
  made.reportsRepo.patients.set('clinic-1', [
    {
      id: AMINA,
      fullName: 'Amina Benali',
      phone: '+212600001234',
      lastDay: '2026-11-20',
      lastTicket: 'A-004',
    },
    { id: 'p-omar', fullName: 'Omar Alaoui', phone: null, lastDay: null, lastTicket: null },
  ]);
  await renderWithServices(<PrivacyTab clinicId="clinic-1" isOwner={isOwner} />, made.services, {
    lng,
    page: 'admin',
  });
  return made;
}

describe('PrivacyTab', () => {
  it('the owner saves a retention period; out of range is refused and nothing is saved; empty keeps everything', async () => {
    const made = await setup(true);
    expect((await screen.findByTestId('retention-now')).textContent).toContain('Now: everything is kept');
    const field = screen.getByLabelText('Retention period (days)');
    fireEvent.change(field, { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save period' }));
    expect((await screen.findByRole('alert')).textContent).not.toBe('');
    expect(made.reportsRepo.retentionDays.get('clinic-1')).toBeUndefined();
    fireEvent.change(field, { target: { value: '365' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save period' }));
    await waitFor(() => expect(screen.getByTestId('retention-now').textContent).toContain('Now: 365 days'));
    expect(made.reportsRepo.retentionDays.get('clinic-1')).toBe(365);
    fireEvent.change(field, { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save period' }));
    await waitFor(() =>
      expect(screen.getByTestId('retention-now').textContent).toContain('Now: everything is kept'),
    );
    expect(made.reportsRepo.retentionDays.get('clinic-1')).toBeNull();
  });

  it('erasing: the dialog names the patient and confirms only with the name typed; then the patient is gone', async () => {
    const made = await setup(true);
    fireEvent.change(screen.getByLabelText('Find the patient (name, phone or ticket)'), {
      target: { value: 'amin' },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Erase Amina Benali' }));
    const dialog = screen.getByRole('dialog', { name: 'Erase Amina Benali?' });
    const go = within(dialog).getByRole('button', { name: 'Erase for good' });
    expect((go as HTMLButtonElement).disabled).toBe(true);
    const typed = within(dialog).getByLabelText('Type the patient’s name to confirm: Amina Benali');
    fireEvent.change(typed, { target: { value: 'Amina' } });
    expect((go as HTMLButtonElement).disabled).toBe(true);
    // Enter in the field must not erase either
    fireEvent.submit(go.closest('form')!);
    expect(made.reportsRepo.erased).toEqual([]);
    fireEvent.change(typed, { target: { value: '  amina   BENALI ' } });
    expect((go as HTMLButtonElement).disabled).toBe(false);
    fireEvent.change(within(dialog).getByLabelText('Reason (optional, kept in the audit trail)'), {
      target: { value: 'asked by e-mail' },
    });
    fireEvent.click(go);
    expect(
      await screen.findByText(/Amina Benali was erased \(visits kept without a name: 1; cancelled: 0\)/),
    ).toBeTruthy();
    expect(made.reportsRepo.erased).toEqual([{ patientId: AMINA, reason: 'asked by e-mail' }]);
    // searching again finds nobody of that name
    fireEvent.change(screen.getByLabelText('Find the patient (name, phone or ticket)'), {
      target: { value: 'amin' },
    });
    expect(await screen.findByText('No patient matches.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Erase Amina Benali' })).toBeNull();
  });

  it('a receptionist sees the period only: no retention form, no erasure', async () => {
    await setup(false);
    expect(await screen.findByTestId('retention-now')).toBeTruthy();
    expect(screen.getByText(/Only the clinic’s owner/)).toBeTruthy();
    expect(screen.queryByLabelText('Retention period (days)')).toBeNull();
    expect(screen.queryByLabelText('Find the patient (name, phone or ticket)')).toBeNull();
  });

  it('in Arabic', async () => {
    await setup(true, 'ar');
    expect(await screen.findByRole('heading', { name: 'محو بيانات مريض بطلب منه' })).toBeTruthy();
    expect((await screen.findByTestId('retention-now')).textContent).toContain('حاليًا: يُحفظ كل شيء');
  });

  it('the typed name must be the whole name (case and spaces aside)', () => {
    expect(sameName('amina  benali', 'Amina Benali')).toBe(true);
    expect(sameName('Amina', 'Amina Benali')).toBe(false);
    expect(sameName('  ', ' ')).toBe(false);
    expect(sameName('فاطمة الزهراء', 'فاطمة  الزهراء')).toBe(true);
  });
});
