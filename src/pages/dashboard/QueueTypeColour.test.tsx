// @vitest-environment jsdom
// Issue 17 (doctor20): the desk's queue rows show the visit's type — its colour as a small dot and its name in the
// desk's language (never the colour alone: the dot is hidden from assistive tech, the name is read). A type without
// a colour shows no dot; an entry without a type shows nothing. Read from the desk's own load (get_queue's types).
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { ManualClock } from '../../services/shared/Clock';
import { Dashboard } from '../DashboardPage';

const CLINIC = 'clinic-1';
const CONSULT = 'a2000000-0000-4000-8000-000000000001';
const CONTROL = 'a2000000-0000-4000-8000-000000000002';

afterEach(() => cleanup());

async function desk(lng: 'en' | 'ar' | 'fr') {
  const made = createInMemoryServices({ actorId: 'user-r', clock: new ManualClock('2026-11-24T09:00:00Z') });
  made.queueRepo.addClinic({
    id: CLINIC,
    name: 'Atlas',
    members: [
      { id: 'rec', userId: 'user-r', role: 'receptionist', displayName: 'Desk', room: null, active: true },
    ],
    appointmentTypes: [
      {
        id: CONSULT,
        name: 'Consultation',
        durationMinutes: 15,
        active: true,
        color: '#dc2626',
        names: { ar: 'استشارة', en: 'Check-up' },
      },
      { id: CONTROL, name: 'Contrôle', durationMinutes: 10, active: true, color: null },
    ],
  });
  for (const [patientName, appointmentTypeId] of [
    ['Karim', CONSULT],
    ['Salma', CONTROL],
    ['Youssef', null],
  ] as const)
    expect((await made.services.queue.addWalkIn(CLINIC, { patientName, appointmentTypeId })).ok).toBe(true);
  const member = {
    id: 'rec',
    clinicId: CLINIC,
    role: 'receptionist' as const,
    displayName: 'Desk',
    room: null,
    userId: 'user-r',
    active: true,
  };
  await renderWithServices(<Dashboard member={member} />, made.services, { page: 'dash', lng });
  await screen.findByTestId('dashboard');
  await screen.findByText('Karim');
}

describe('dashboard rows: the visit type’s colour as a dot, with its name', () => {
  it.each([
    ['en', 'Check-up'],
    ['ar', 'استشارة'],
    ['fr', 'Consultation'], // no French name: the default
  ] as const)('in %s a coloured type reads “%s” beside a dot of its colour', async (lng, label) => {
    await desk(lng);
    const row = screen.getByText('Karim').closest('tr')!;
    const ticket = row.getAttribute('data-testid')!.replace('row-', '');
    const name = screen.getByTestId(`type-${ticket}`);
    expect(name.textContent).toBe(label);
    const dot = name.previousElementSibling as HTMLElement;
    expect(dot.getAttribute('aria-hidden')).toBe('true');
    expect(dot.style.backgroundColor).toBe('rgb(220, 38, 38)');
  });

  it('a type without a colour and a visit without a type show no dot', async () => {
    await desk('en');
    for (const patient of ['Salma', 'Youssef']) {
      const row = screen.getByText(patient).closest('tr')!;
      expect(row.querySelector('[data-testid^="type-"]')).toBeNull();
      expect(row.querySelector('span[aria-hidden][style]')).toBeNull();
    }
  });
});
