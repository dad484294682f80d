// @vitest-environment jsdom
// The hours tab on the in-memory services: a refused range names its day and problem, the typed values
// stay, nothing stored changes; a valid week is saved.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { ManualClock } from '../../services/shared/Clock';
import { HoursTab } from './HoursTab';

afterEach(() => cleanup());

async function setup(lng: 'en' | 'ar' = 'en') {
  const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
  made.clinicWorld.addUser('owner', { email: 'o@example.test' });
  const created = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
  if (!created.ok) throw new Error(created.error.code);
  const clinicId = created.value.clinicId;
  const week = {
    monday: [
      { start: '09:00', end: '13:00' },
      { start: '15:00', end: '19:00' },
    ],
    saturday: [{ start: '09:00', end: '13:00' }],
  };
  const saved = await made.services.clinic.setWorkingHours(clinicId, week);
  if (!saved.ok) throw new Error(saved.error.code);
  await renderWithServices(<HoursTab clinicId={clinicId} canEdit />, made.services, {
    lng: lng,
    page: 'admin',
  });
  await screen.findByTestId('hours-6');
  return { ...made, clinicId, week };
}

describe('HoursTab', () => {
  it('refuses Saturday ending before it starts: names the day, keeps what was typed, changes nothing', async () => {
    const { services, clinicId, week } = await setup();
    const saturdayTo = within(screen.getByTestId('hours-6')).getByLabelText('Saturday To');
    fireEvent.change(saturdayTo, { target: { value: '08:00' } });
    act(() => screen.getByRole('button', { name: 'Save' }).click());
    expect((await screen.findByTestId('hours-error')).textContent).toBe(
      'Saturday: a range must end after it starts.',
    );
    expect((saturdayTo as HTMLInputElement).value).toBe('08:00');
    const stored = await services.clinic.workingHours(clinicId);
    expect(stored.ok && stored.value).toEqual(week);
  });

  it('names overlapping ranges in Arabic too', async () => {
    await setup('ar');
    const monday = screen.getByTestId('hours-1');
    const froms = within(monday).getAllByLabelText(/من$/);
    fireEvent.change(froms[1]!, { target: { value: '12:00' } });
    act(() => screen.getByRole('button', { name: 'حفظ' }).click());
    expect((await screen.findByTestId('hours-error')).textContent).toBe('الاثنين: فترتان متداخلتان.');
  });

  it('saves a valid week in one call', async () => {
    const { services, clinicId } = await setup();
    fireEvent.change(within(screen.getByTestId('hours-6')).getByLabelText('Saturday To'), {
      target: { value: '12:00' },
    });
    act(() => screen.getByRole('button', { name: 'Save' }).click());
    await screen.findByText('Saved');
    await waitFor(async () => {
      const stored = await services.clinic.workingHours(clinicId);
      expect(stored.ok && stored.value.saturday).toEqual([{ start: '09:00', end: '12:00' }]);
    });
    expect(screen.queryByTestId('hours-error')).toBeNull();
  });
});
