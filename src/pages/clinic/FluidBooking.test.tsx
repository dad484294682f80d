// @vitest-environment jsdom
// Issue 17: the booking page for a FLUID visit type, on the in-memory composition root. The owner sets the
// type to fluid in the admin's way (saveVisitTypes with bookingMode); the patient's page then offers days with
// the places left in the line and no time buttons, and "sign in" keeps the chosen day.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { CASABLANCA_AT_PLUS_ONE } from '../../../test/fixtures/zoneRules';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import ClinicPage from '../ClinicPage';
import { bookingEn } from '../../i18n/locales/ui/booking.en';

afterEach(() => cleanup());

const MORNINGS = Object.fromEntries(
  [0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: '09:00', end: '12:00' }]]),
);

async function clinicWithType(bookingMode: 'slotted' | 'fluid') {
  // 2026-11-24T08:00Z: Tuesday 09:00 in Casablanca (+01 by the fixture's zone rules)
  const made = createInMemoryServices({
    actorId: 'owner-1',
    clock: new ManualClock('2026-11-24T08:00:00Z'),
    zones: CASABLANCA_AT_PLUS_ONE,
  });
  made.clinicWorld.addUser('owner-1');
  const c = await made.services.clinic.createClinic({ name: 'Cabinet Atlas', slug: 'atlas' });
  if (!c.ok) throw new Error(c.error.code);
  const { clinicId } = c.value;
  const week = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
  const hours = await made.services.clinic.setWorkingHours(
    clinicId,
    Object.fromEntries(week.map((d) => [d, [{ start: '09:00', end: '12:00' }]])),
  );
  if (!hours.ok) throw new Error(hours.error.code);
  const saved = await made.services.clinic.saveVisitTypes(clinicId, [
    { name: 'Consultation', durationMinutes: 20, bookingMode },
  ]);
  if (!saved.ok) throw new Error(saved.error.code);
  const typeId = saved.value[0]!;
  made.bookingWorld.addClinic({
    id: clinicId,
    hours: MORNINGS,
    appointmentTypes: [{ id: typeId, durationMinutes: 20, bookingMode }],
  });
  return { made, clinicId };
}

describe('booking page, fluid visit type (issue 17)', () => {
  it('F1 fluid: the page offers days with places left in the line instead of a slot grid', async () => {
    const { made } = await clinicWithType('fluid');
    await renderWithServices(<ClinicPage params={{ slug: 'atlas' }} />, made.services);
    const days = await screen.findByTestId('fluid-days');
    expect(screen.queryByTestId('slots')).toBeNull();
    expect(screen.getByText(bookingEn.fluidHint)).toBeTruthy();
    // 09:00–12:00 = 180 minutes / 20 = 9 places each day; today's line is still open at 09:00
    const buttons = days.querySelectorAll('button');
    expect(buttons.length).toBe(14);
    expect(buttons[0]!.textContent).toContain(bookingEn.fluidPlaces.replace('{{n}}', '9'));
    fireEvent.click(buttons[1]!);
    // signed out: the sign-in link comes back to the same type and day
    const link = await screen.findByRole('link', { name: bookingEn.signInFirst });
    expect(decodeURIComponent(link.getAttribute('href') ?? '')).toContain('day=2026-11-25');
  });

  it('a slotted type still shows its slot grid', async () => {
    const { made } = await clinicWithType('slotted');
    await renderWithServices(<ClinicPage params={{ slug: 'atlas' }} />, made.services);
    await waitFor(() => expect(screen.getByTestId('slots')).toBeTruthy());
    expect(screen.queryByTestId('fluid-days')).toBeNull();
  });
});
