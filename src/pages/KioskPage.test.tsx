// @vitest-environment jsdom
// The kiosk at the entrance (issue 12, double submit outside Dialog): a patient who taps "Check in" twice — or
// a double tap on a slow tablet — checks in once. Before, the button was disabled only when react-query
// published isPending, a macrotask after the first submit, so the second one went out too.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../services/composition/inMemory';
import { ManualClock } from '../services/shared/Clock';
import { ok } from '../services/shared/Result';
import { renderWithServices } from '../../test/fixtures/renderWithServices';
import { Kiosk } from './KioskPage';

afterEach(() => cleanup());

describe('Kiosk', () => {
  it('a double tap on "Check in" checks in once', async () => {
    const made = createInMemoryServices({
      actorId: 'kiosk-user',
      clock: new ManualClock('2026-11-24T09:00:00Z'),
    });
    const codes: string[] = [];
    made.services.booking.kioskCheckIn = async (_clinicId: string, code: string) => {
      codes.push(code);
      return ok({ found: true as const, entryId: 'e1', ticket: 'A-012', status: 'waiting', position: 2 });
    };
    const member = {
      id: 'kiosk',
      clinicId: 'clinic-1',
      role: 'receptionist' as const,
      displayName: 'Kiosk',
      room: null,
      userId: 'kiosk-user',
      active: true,
    };
    await renderWithServices(<Kiosk member={member} />, made.services, { page: 'kiosk' });
    fireEvent.change(screen.getByLabelText('Phone number or ticket'), { target: { value: 'A-012' } });
    const button = screen.getByRole('button', { name: 'Check in' });
    fireEvent.click(button);
    fireEvent.click(button);
    expect((await screen.findByTestId('kiosk-done')).textContent).toContain('A-012');
    expect(codes).toEqual(['A-012']);
  });
});
