// @vitest-environment jsdom
// The kiosk at the entrance. Issue 12 (double submit outside Dialog): a patient who taps "Check in" twice — or a
// double tap on a slow tablet — checks in once. kiosk17: the tablet runs on its kiosk device token (no staff
// session); a check-in needs the ticket AND the last 4 digits of the phone; the screen's answers — not found, too
// many wrong answers (go to the desk), no longer paired — in en, fr and ar.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInMemoryServices } from '../services/composition/inMemory';
import { ManualClock } from '../services/shared/Clock';
import { appError } from '../services/shared/AppError';
import { err, ok } from '../services/shared/Result';
import { renderWithServices } from '../../test/fixtures/renderWithServices';
import { kioskAr } from '../i18n/locales/ui/kiosk.ar';
import { kioskEn } from '../i18n/locales/ui/kiosk.en';
import { kioskFr } from '../i18n/locales/ui/kiosk.fr';
import { Kiosk } from './KioskPage';

afterEach(() => cleanup());

const TOKEN = 'k'.repeat(64);
const STRINGS = { en: kioskEn, fr: kioskFr, ar: kioskAr } as const;

const made = () => createInMemoryServices({ actorId: null, clock: new ManualClock('2026-11-24T09:00:00Z') });
/** Services whose kiosk token is paired (get_kiosk answers the clinic). */
const paired = () => {
  const m = made();
  m.services.booking.kiosk = async () =>
    ok({ id: 'k1', label: 'Entrance', clinicId: 'c1', clinicName: 'Clinic' });
  return m;
};

const type = (lng: keyof typeof STRINGS, ticket: string, digits: string) => {
  fireEvent.change(screen.getByLabelText(STRINGS[lng].ticket), { target: { value: ticket } });
  fireEvent.change(screen.getByLabelText(STRINGS[lng].digits), { target: { value: digits } });
  fireEvent.click(screen.getByRole('button', { name: STRINGS[lng].submit }));
};

describe('Kiosk', () => {
  it('a double tap on "Check in" checks in once, with the ticket and the phone digits', async () => {
    const m = paired();
    const calls: [string, string, string][] = [];
    m.services.booking.kioskCheckIn = async (token: string, ticket: string, digits: string) => {
      calls.push([token, ticket, digits]);
      return ok({ found: true as const, entryId: 'e1', ticket: 'A-012', status: 'waiting', position: 2 });
    };
    await renderWithServices(<Kiosk token={TOKEN} onUnpaired={() => {}} />, m.services, { page: 'kiosk' });
    fireEvent.change(screen.getByLabelText('Ticket code'), { target: { value: 'A-012' } });
    fireEvent.change(screen.getByLabelText('Last 4 digits of your phone'), { target: { value: '4567' } });
    const button = screen.getByRole('button', { name: 'Check in' });
    fireEvent.click(button);
    fireEvent.click(button);
    expect((await screen.findByTestId('kiosk-done')).textContent).toContain('A-012');
    expect(calls).toEqual([[TOKEN, 'A-012', '4567']]);
  });

  it('kioskNeedsTicketAndPhoneDigits: on a paired kiosk (no staff session) the right digits check in, wrong digits say "not found"', async () => {
    // booked at 08:00 (Casablanca 09:00) for 10:00; the patient arrives at 10:00
    const clock = new ManualClock('2026-11-24T07:00:00Z');
    const m = createInMemoryServices({ actorId: null, clock });
    m.bookingWorld.addClinic({
      id: 'c1',
      hours: { 2: [{ start: '09:00', end: '12:00' }] },
      staffUserIds: ['desk'],
    });
    m.bookingWorld.addPatient('c1', 'p1', 'Amina', null, '+212612345678');
    const desk = m.bookingWorld.as('desk');
    const booked = await desk.staffBook({
      clinicId: 'c1',
      patientId: 'p1',
      slotStart: '2026-11-24T09:00:00Z',
    });
    const pairing = await desk.pairKiosk('c1', 'Entrance');
    if (!booked.ok || !pairing.ok) throw new Error(JSON.stringify([booked, pairing]));
    clock.set('2026-11-24T09:00:00Z');
    await renderWithServices(<Kiosk token={pairing.value.token} onUnpaired={() => {}} />, m.services, {
      page: 'kiosk',
    });
    type('en', 'A-001', '1234');
    expect((await screen.findByRole('alert')).textContent).toBe(kioskEn.notFound);
    expect(m.bookingWorld.visits[0]!.status).toBe('scheduled');
    type('en', 'a1', '5678');
    expect((await screen.findByTestId('kiosk-done')).textContent).toContain('A-001');
    expect(m.bookingWorld.visits[0]!.status).toBe('waiting');
  });

  it.each(['en', 'fr', 'ar'] as const)(
    'kioskAttemptLimit: KIOSK.TOO_MANY_ATTEMPTS sends the patient to the desk (%s)',
    async (lng) => {
      const m = paired();
      m.services.booking.kioskCheckIn = async () =>
        err(appError('KIOSK.TOO_MANY_ATTEMPTS', 'too many wrong answers'));
      await renderWithServices(<Kiosk token={TOKEN} onUnpaired={() => {}} />, m.services, {
        page: 'kiosk',
        lng,
      });
      type(lng, 'A-001', '0000');
      expect((await screen.findByRole('alert')).textContent).toBe(STRINGS[lng].tooMany);
      if (lng !== 'en') expect(STRINGS[lng].tooMany).not.toBe(kioskEn.tooMany);
    },
  );

  it.each(['en', 'fr', 'ar'] as const)(
    'kioskPairing: a revoked pairing stops the kiosk and offers to pair again (%s)',
    async (lng) => {
      const m = made();
      const onUnpaired = vi.fn();
      await renderWithServices(<Kiosk token={TOKEN} onUnpaired={onUnpaired} />, m.services, {
        page: 'kiosk',
        lng,
      });
      // the fake knows no such token: get_kiosk answers KIOSK.NOT_PAIRED
      expect((await screen.findByRole('alert')).textContent).toBe(STRINGS[lng].notPaired);
      expect(screen.queryByLabelText(STRINGS[lng].ticket)).toBeNull();
      fireEvent.click(screen.getByRole('button', { name: STRINGS[lng].pairAgain }));
      expect(onUnpaired).toHaveBeenCalledOnce();
    },
  );
});
