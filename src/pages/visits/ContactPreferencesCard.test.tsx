// @vitest-environment jsdom
// Issue 20: from My visits, a patient changes how the clinic writes to them (SMS or email, and the address) on
// their own record; a bad address is refused on the field and nothing is saved; a saved change says so.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { ContactPreferencesCard } from './ContactPreferencesCard';

const CLINIC = 'c1000000-0000-4000-8000-000000000001';
const USER = 'u1000000-0000-4000-8000-000000000001';
const PATIENT = 'p1000000-0000-4000-8000-000000000001';

afterEach(() => cleanup());

const setup = async (lng: 'en' | 'fr' = 'en') => {
  const made = createInMemoryServices({ actorId: USER, clock: new ManualClock('2026-11-24T08:00:00Z') });
  made.bookingWorld.addClinic({ id: CLINIC, hours: {} });
  made.bookingWorld.addPatient(CLINIC, PATIENT, 'Amina', USER, '+212600000001');
  await renderWithServices(<ContactPreferencesCard clinicId={CLINIC} clinicName="Atlas" />, made.services, {
    lng,
    page: 'visits',
  });
  return { record: () => made.bookingWorld.patients.get(PATIENT)! };
};

describe('ContactPreferencesCard (My visits)', () => {
  it('the patient switches to email with an address; a bad address is refused first and nothing is saved', async () => {
    const { record } = await setup();
    expect(await screen.findByRole('heading', { name: 'Messages from Atlas' })).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: 'Email' }));
    const input = screen.getByRole('textbox', { name: 'Email address' });
    fireEvent.change(input, { target: { value: 'amina@' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(record().email).toBeUndefined();
    fireEvent.change(input, { target: { value: 'Amina@Example.org' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(record()).toMatchObject({ channel: 'email', email: 'amina@example.org' }));
    expect(await screen.findByText('Saved: the clinic will write to you this way.')).toBeTruthy();
    // and back to SMS
    fireEvent.click(screen.getByRole('radio', { name: 'SMS' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(record()).toMatchObject({ channel: 'sms' }));
  });

  it('in French', async () => {
    await setup('fr');
    expect(await screen.findByRole('heading', { name: 'Messages de Atlas' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Enregistrer' })).toBeTruthy();
  });
});
