// @vitest-environment jsdom
// The kiosk at the entrance. Issue 12 (double submit outside Dialog): a patient who taps "Check in" twice — or a
// double tap on a slow tablet — checks in once. kiosk17: the tablet runs on its kiosk device token (no staff
// session); a check-in needs the ticket AND the last 4 digits of the phone; the screen's answers — not found, too
// many wrong answers (go to the desk), no longer paired — in en, fr and ar.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInMemoryServices } from '../services/composition/inMemory';
import { ManualClock } from '../services/shared/Clock';
import { appError } from '../services/shared/AppError';
import { err, ok } from '../services/shared/Result';
import { renderWithServices } from '../../test/fixtures/renderWithServices';
import { kioskAr } from '../i18n/locales/ui/kiosk.ar';
import { kioskEn } from '../i18n/locales/ui/kiosk.en';
import { kioskFr } from '../i18n/locales/ui/kiosk.fr';
import { kioskMoreAr } from '../i18n/locales/ui/kioskMore.ar';
import { kioskMoreEn } from '../i18n/locales/ui/kioskMore.en';
import { kioskMoreFr } from '../i18n/locales/ui/kioskMore.fr';
import { Kiosk, KIOSK_RESET_MS } from './KioskPage';
import { KIOSK_SETTINGS_RETRY_MS } from '../hooks/useKiosk';
import KioskCodeEntry from './kiosk/KioskCodeEntry';
import { KIOSK_IDLE_MS } from './kiosk/KioskWalkIn';
import { loadPhoneNumber } from '../services/shared/loadPhoneNumber';
import { appServices } from '../services/composition/browserApp';

afterEach(() => cleanup());

const TOKEN = 'k'.repeat(64);
const STRINGS = {
  en: { ...kioskEn, ...kioskMoreEn },
  fr: { ...kioskFr, ...kioskMoreFr },
  ar: { ...kioskAr, ...kioskMoreAr },
} as const;
const kioskAll = STRINGS.en;

const made = () => createInMemoryServices({ actorId: null, clock: new ManualClock('2026-11-24T09:00:00Z') });
/** Services whose kiosk token is paired (get_kiosk answers the clinic). */
const paired = () => {
  const m = made();
  m.services.booking.kiosk = async () =>
    ok({ id: 'k1', label: 'Entrance', clinicId: 'c1', clinicName: 'Clinic', walkIns: true });
  return m;
};

const type = (lng: keyof typeof STRINGS, ticket: string, digits: string) => {
  fireEvent.change(screen.getByLabelText(STRINGS[lng].ticket), { target: { value: ticket } });
  fireEvent.change(screen.getByLabelText(STRINGS[lng].digits), { target: { value: digits } });
  fireEvent.click(screen.getByRole('button', { name: STRINGS[lng].submit }));
};

describe('Kiosk', () => {
  it.each(['en', 'fr', 'ar'] as const)(
    'kioskWalkInsSwitch: the walk-in button shows only while the clinic lets the kiosk register walk-ins (%s)',
    async (lng) => {
      const clock = new ManualClock('2026-11-24T09:00:00Z');
      const m = createInMemoryServices({ actorId: null, clock });
      m.bookingWorld.addClinic({
        id: 'c1',
        hours: { 2: [{ start: '09:00', end: '18:00' }] },
        staffUserIds: ['desk'],
        settings: { kiosk_walk_ins: false },
      });
      m.bookingWorld.addClinic({
        id: 'c2',
        hours: { 2: [{ start: '09:00', end: '18:00' }] },
        staffUserIds: ['desk'],
      });
      const off = await m.bookingWorld.as('desk').pairKiosk('c1', 'Entrance');
      const on = await m.bookingWorld.as('desk').pairKiosk('c2', 'Entrance');
      if (!off.ok || !on.ok) throw new Error('pairing failed');
      const walkIn = { name: STRINGS[lng].walkInStart };
      const view = await renderWithServices(
        <Kiosk token={off.value.token} onUnpaired={() => {}} />,
        m.services,
        { page: 'kiosk', lng },
      );
      // the kiosk knows its clinic and the check-in form is there; the walk-in button is not (and the database
      // would refuse one anyway)
      expect(await screen.findByText('Clinic')).toBeTruthy();
      expect(screen.getByRole('button', { name: STRINGS[lng].submit })).toBeTruthy();
      expect(screen.queryByRole('button', walkIn)).toBeNull();
      expect(screen.queryByText(STRINGS[lng].noBooking)).toBeNull();
      const refused = await m.services.booking.kioskRegisterWalkIn(off.value.token, {
        fullName: 'Salma',
        phone: '+212611223344',
        language: null,
      });
      expect(refused.ok ? null : refused.error.code).toBe('KIOSK.WALK_INS_OFF');
      view.unmount();
      await renderWithServices(<Kiosk token={on.value.token} onUnpaired={() => {}} />, m.services, {
        page: 'kiosk',
        lng,
      });
      expect(await screen.findByRole('button', walkIn)).toBeTruthy();
    },
  );

  it.each([
    ['en', false],
    ['fr', true],
    ['ar', false],
  ] as const)(
    "kioskWalkInsSwitch: while the kiosk's settings load there is no walk-in button, only a loading state; it shows once they say on (%s, walk-ins %s)",
    async (lng, walkIns) => {
      const m = made();
      let answer: (walkIns: boolean) => void = () => {};
      m.services.booking.kiosk = () =>
        new Promise((resolve) => {
          answer = (w) =>
            resolve(ok({ id: 'k1', label: 'Entrance', clinicId: 'c1', clinicName: 'Clinic', walkIns: w }));
        });
      const view = await renderWithServices(<Kiosk token={TOKEN} onUnpaired={() => {}} />, m.services, {
        page: 'kiosk',
        lng,
      });
      const walkIn = { name: STRINGS[lng].walkInStart };
      // the check-in form is usable at once; the walk-in button waits for the clinic's answer
      expect(screen.getByRole('button', { name: STRINGS[lng].submit })).toBeTruthy();
      expect(screen.queryByRole('button', walkIn)).toBeNull();
      expect(screen.queryByText(STRINGS[lng].noBooking)).toBeNull();
      expect(view.container.querySelector('form [role="status"]')).not.toBeNull();
      await act(async () => answer(walkIns));
      expect(await screen.findByText('Clinic')).toBeTruthy();
      expect(view.container.querySelector('form [role="status"]')).toBeNull();
      if (walkIns) expect(await screen.findByRole('button', walkIn)).toBeTruthy();
      else expect(screen.queryByRole('button', walkIn)).toBeNull();
    },
  );

  it('kioskWalkInsSwitch: a kiosk whose settings cannot be read shows no walk-in button (the check-in still works)', async () => {
    const m = made();
    m.services.booking.kiosk = async () => err(appError('INTERNAL', 'the kiosk could not be read'));
    const view = await renderWithServices(<Kiosk token={TOKEN} onUnpaired={() => {}} />, m.services, {
      page: 'kiosk',
    });
    expect(screen.getByRole('button', { name: STRINGS.en.submit })).toBeTruthy();
    await vi.waitFor(() => expect(view.container.querySelector('form [role="status"]')).toBeNull());
    expect(screen.queryByRole('button', { name: STRINGS.en.walkInStart })).toBeNull();
  });

  it.each(['en', 'fr', 'ar'] as const)(
    'kioskSettingsRetry: settings that could not be read say so with a retry; the retry brings the walk-in button back (%s)',
    async (lng) => {
      const m = made();
      let calls = 0;
      m.services.booking.kiosk = async () =>
        ++calls === 1
          ? err(appError('INTERNAL', 'the kiosk could not be read'))
          : ok({ id: 'k1', label: 'Entrance', clinicId: 'c1', clinicName: 'Clinic', walkIns: true });
      await renderWithServices(<Kiosk token={TOKEN} onUnpaired={() => {}} />, m.services, {
        page: 'kiosk',
        lng,
      });
      // the check-in form stays usable; the failure is said (not an unpairing) with a way to ask again
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toContain(STRINGS[lng].settingsFailed);
      expect(screen.queryByText(STRINGS[lng].notPaired)).toBeNull();
      expect(screen.getByRole('button', { name: STRINGS[lng].submit })).toBeTruthy();
      expect(screen.queryByRole('button', { name: STRINGS[lng].walkInStart })).toBeNull();
      fireEvent.click(screen.getByRole('button', { name: STRINGS[lng].retry }));
      expect(await screen.findByRole('button', { name: STRINGS[lng].walkInStart })).toBeTruthy();
      expect(screen.queryByRole('alert')).toBeNull();
      expect(calls).toBe(2);
    },
  );

  it('kioskSettingsRetry: a tablet nobody touches asks for its settings again by itself until they answer', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    try {
      const m = made();
      let calls = 0;
      m.services.booking.kiosk = async () =>
        ++calls < 3
          ? err(appError('INTERNAL', 'the kiosk could not be read'))
          : ok({ id: 'k1', label: 'Entrance', clinicId: 'c1', clinicName: 'Clinic', walkIns: true });
      await renderWithServices(<Kiosk token={TOKEN} onUnpaired={() => {}} />, m.services, { page: 'kiosk' });
      await act(async () => {
        await vi.advanceTimersByTimeAsync(0);
      });
      expect(calls).toBe(1);
      expect(screen.getByRole('alert').textContent).toContain(STRINGS.en.settingsFailed);
      await act(async () => {
        await vi.advanceTimersByTimeAsync(KIOSK_SETTINGS_RETRY_MS);
      });
      expect(calls).toBe(2);
      await act(async () => {
        await vi.advanceTimersByTimeAsync(KIOSK_SETTINGS_RETRY_MS);
      });
      expect(calls).toBe(3);
      await vi.waitFor(() =>
        expect(screen.getByRole('button', { name: STRINGS.en.walkInStart })).toBeTruthy(),
      );
      expect(screen.queryByRole('alert')).toBeNull();
      // once read, the settings are not asked again on a timer
      await act(async () => {
        await vi.advanceTimersByTimeAsync(KIOSK_SETTINGS_RETRY_MS * 3);
      });
      expect(calls).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('kioskSettingsRetry: an unpaired token is not asked again on a timer (the screen asks for a new pairing)', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    try {
      const m = made();
      let calls = 0;
      m.services.booking.kiosk = async () => {
        calls++;
        return err(appError('KIOSK.NOT_PAIRED', 'revoked'));
      };
      await renderWithServices(<Kiosk token={TOKEN} onUnpaired={() => {}} />, m.services, { page: 'kiosk' });
      await act(async () => {
        await vi.advanceTimersByTimeAsync(KIOSK_SETTINGS_RETRY_MS * 3);
      });
      expect(screen.getByRole('alert').textContent).toBe(STRINGS.en.notPaired);
      expect(calls).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a double tap on "Check in" checks in once, with the ticket and the phone digits', async () => {
    const m = paired();
    const calls: [string, string, string][] = [];
    m.services.booking.kioskCheckIn = async (token: string, ticket: string, digits: string) => {
      calls.push([token, ticket, digits]);
      return ok({
        found: true as const,
        entryId: 'e1',
        ticket: 'A-012',
        status: 'waiting',
        position: 2,
        issuedAt: '2026-11-24 10:00',
        clinicName: 'Clinic',
        trackingToken: null,
      });
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

/**
 * kiosk17f: a paired kiosk of clinic c1 (open 09:00–12:00 on Tuesdays, Casablanca), on the in-memory services,
 * at 10:00 local time (the fake applies the database's walk-in rules).
 */
const openKiosk = async () => {
  const clock = new ManualClock('2026-11-24T09:00:00Z');
  const m = createInMemoryServices({ actorId: null, clock });
  m.bookingWorld.addClinic({
    id: 'c1',
    name: 'Cabinet Anfa',
    hours: { 2: [{ start: '09:00', end: '12:00' }] },
    staffUserIds: ['desk'],
  });
  const pairing = await m.bookingWorld.as('desk').pairKiosk('c1', 'Entrance');
  if (!pairing.ok) throw new Error(JSON.stringify(pairing));
  // the phone parser (a chunk of its own in the app) is loaded before the screen, as a form's preload does
  await loadPhoneNumber();
  return { m, clock, token: pairing.value.token };
};

describe('Kiosk walk-in and ticket (kiosk17f)', () => {
  it.each(['en', 'fr', 'ar'] as const)(
    'kioskWalkIn: a patient without a booking takes a ticket with a name and a phone; the ticket shows the clinic, the number, the time and the tracker (%s)',
    async (lng) => {
      const { m, token } = await openKiosk();
      await renderWithServices(<Kiosk token={token} onUnpaired={() => {}} />, m.services, {
        page: ['kiosk', 'kioskMore'],
        lng,
      });
      expect(document.documentElement.dir).toBe(lng === 'ar' ? 'rtl' : 'ltr');
      fireEvent.click(await screen.findByRole('button', { name: STRINGS[lng].walkInStart }));
      fireEvent.change(await screen.findByLabelText(STRINGS[lng].name), {
        target: { value: '  Salma  Kiosque ' },
      });
      // typed as a patient types it: national form, Arabic-Indic digits
      fireEvent.change(screen.getByLabelText(STRINGS[lng].phone), { target: { value: '٠٦ 12 34 56 78' } });
      fireEvent.click(screen.getByRole('button', { name: STRINGS[lng].walkInSubmit }));
      // waits for the lazy ticket chunk (no time is asserted)
      const done = await screen.findByTestId('kiosk-done', {}, { timeout: 10_000 });
      expect(screen.getByTestId('kiosk-ticket-number').textContent).toBe('A-001');
      const ticket = screen.getByRole('region', { name: STRINGS[lng].ticketTitle });
      expect(ticket.textContent).toContain('Cabinet Anfa');
      expect(ticket.textContent).toContain('2026-11-24 10:00');
      const visit = m.bookingWorld.visits[0]!;
      expect(ticket.textContent).toContain(`/t/${visit.token}`);
      expect(done.textContent).toContain(STRINGS[lng].walkInDone.replace('{{ticket}}', 'A-001'));
      expect(visit.status).toBe('waiting');
      expect(m.bookingWorld.patients.get(visit.patientId)).toMatchObject({
        fullName: 'Salma Kiosque',
        phone: '+212612345678',
      });
      expect(screen.getByRole('button', { name: STRINGS[lng].print })).toBeTruthy();
    },
  );

  it.each([
    ['RATE.LIMITED', 'walkInBusy'],
    ['KIOSK.OUTSIDE_HOURS', 'walkInClosed'],
    ['QUEUE.INTAKE_CLOSED', 'walkInClosed'],
    ['QUEUE.WALK_IN_LIMIT_REACHED', 'walkInClosed'],
    // sec20: a visit today is never confirmed at the kiosk — the same words as any other refusal
    ['KIOSK.SEE_DESK', 'walkInClosed'],
    ['QUEUE.DUPLICATE_ENTRY', 'walkInClosed'],
    ['BOOKING.NO_SHOW_TODAY', 'walkInClosed'],
  ] as const)(
    'kioskWalkIn: %s sends the patient to the desk in their words (en, fr, ar)',
    async (code, key) => {
      for (const lng of ['en', 'fr', 'ar'] as const) {
        const m = paired();
        m.services.booking.kioskRegisterWalkIn = async () => err(appError(code, 'refused'));
        await renderWithServices(<Kiosk token={TOKEN} onUnpaired={() => {}} />, m.services, {
          page: ['kiosk', 'kioskMore'],
          lng,
        });
        fireEvent.click(await screen.findByRole('button', { name: STRINGS[lng].walkInStart }));
        fireEvent.change(await screen.findByLabelText(STRINGS[lng].name), { target: { value: 'Ali' } });
        fireEvent.change(screen.getByLabelText(STRINGS[lng].phone), { target: { value: '0612345678' } });
        fireEvent.click(screen.getByRole('button', { name: STRINGS[lng].walkInSubmit }));
        expect((await screen.findByRole('alert')).textContent).toBe(STRINGS[lng][key]);
        cleanup();
      }
    },
  );

  it('kioskWalkIn: a phone the kiosk cannot read is refused on the screen, nothing is registered', async () => {
    const { m, token } = await openKiosk();
    await renderWithServices(<Kiosk token={token} onUnpaired={() => {}} />, m.services, {
      page: ['kiosk', 'kioskMore'],
    });
    fireEvent.click(await screen.findByRole('button', { name: kioskAll.walkInStart }));
    fireEvent.change(await screen.findByLabelText(kioskAll.name), { target: { value: 'Ali' } });
    fireEvent.change(screen.getByLabelText(kioskAll.phone), { target: { value: '12' } });
    fireEvent.click(screen.getByRole('button', { name: kioskAll.walkInSubmit }));
    expect((await screen.findByRole('alert')).textContent).toBe(kioskAll.phoneInvalid);
    expect(m.bookingWorld.visits).toEqual([]);
  });

  it('kioskTicket: after printing, and else after KIOSK_RESET_MS, the kiosk is back at its start screen with nothing of the last patient', async () => {
    const { m, token } = await openKiosk();
    await renderWithServices(<Kiosk token={token} onUnpaired={() => {}} />, m.services, {
      page: ['kiosk', 'kioskMore'],
    });
    const register = async (name: string, phone: string) => {
      fireEvent.click(await screen.findByRole('button', { name: kioskAll.walkInStart }));
      fireEvent.change(await screen.findByLabelText(kioskAll.name), { target: { value: name } });
      fireEvent.change(screen.getByLabelText(kioskAll.phone), { target: { value: phone } });
      fireEvent.click(screen.getByRole('button', { name: kioskAll.walkInSubmit }));
      await screen.findByTestId('kiosk-ticket-number', {}, { timeout: 10_000 });
    };
    await register('Salma Kiosque', '0612345678');
    // the print dialog closes: the start screen, no ticket, no name
    act(() => {
      window.dispatchEvent(new Event('afterprint'));
    });
    expect(screen.queryByTestId('kiosk-done')).toBeNull();
    expect(screen.getByLabelText(kioskAll.ticket)).toBeTruthy();
    expect(document.body.textContent).not.toContain('A-001');

    // the page's timers are the test's from here (its chunks and the phone parser are loaded already): the
    // screen is driven by advancing them 1 ms at a time, then the reset is KIOSK_RESET_MS after the ticket shows
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const until = async (ready: () => boolean) => {
        for (let i = 0; i < 200 && !ready(); i++)
          await act(async () => {
            await vi.advanceTimersByTimeAsync(1);
          });
        expect(ready()).toBe(true);
      };
      fireEvent.click(screen.getByRole('button', { name: kioskAll.walkInStart }));
      await until(() => screen.queryByLabelText(kioskAll.name) !== null);
      fireEvent.change(screen.getByLabelText(kioskAll.name), { target: { value: 'Omar Kiosque' } });
      fireEvent.change(screen.getByLabelText(kioskAll.phone), { target: { value: '0612345679' } });
      fireEvent.click(screen.getByRole('button', { name: kioskAll.walkInSubmit }));
      await until(() => screen.queryByTestId('kiosk-ticket-number') !== null);
      expect(screen.getByTestId('kiosk-ticket-number').textContent).toBe('A-002');
      // the timer starts with the answer; React reveals the ticket's lazy boundary a few hundred ms later (its
      // Suspense throttle, on the same fake timers): still there a second before the end, gone at the end
      act(() => {
        vi.advanceTimersByTime(KIOSK_RESET_MS - 1_000);
      });
      expect(screen.getByTestId('kiosk-ticket-number')).toBeTruthy();
      act(() => {
        vi.advanceTimersByTime(1_000);
      });
      expect(screen.queryByTestId('kiosk-done')).toBeNull();
      expect(document.body.textContent).not.toContain('A-002');
      expect(screen.getByRole('button', { name: kioskAll.walkInStart })).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Kiosk walk-in form left alone (kiosk17f)', () => {
  it('kioskTicket: a half-filled walk-in form nobody touches for KIOSK_IDLE_MS goes back to the start screen, its name gone; each key press restarts the wait', async () => {
    const { m, token } = await openKiosk();
    await renderWithServices(<Kiosk token={token} onUnpaired={() => {}} />, m.services, {
      page: ['kiosk', 'kioskMore'],
    });
    // the walk-in chunk and its strings are loaded once with real timers, then the test owns the timers
    fireEvent.click(await screen.findByRole('button', { name: kioskAll.walkInStart }));
    await screen.findByLabelText(kioskAll.name, {}, { timeout: 10_000 });
    fireEvent.click(screen.getByRole('button', { name: kioskAll.back }));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      fireEvent.click(screen.getByRole('button', { name: kioskAll.walkInStart }));
      for (let i = 0; i < 200 && !screen.queryByLabelText(kioskAll.name); i++)
        await act(async () => {
          await vi.advanceTimersByTimeAsync(1);
        });
      fireEvent.change(screen.getByLabelText(kioskAll.name), { target: { value: 'Salma Kiosque' } });
      act(() => {
        vi.advanceTimersByTime(KIOSK_IDLE_MS - 1);
      });
      // a key press restarts the wait
      fireEvent.change(screen.getByLabelText(kioskAll.phone), { target: { value: '06' } });
      act(() => {
        vi.advanceTimersByTime(KIOSK_IDLE_MS - 1);
      });
      expect((screen.getByLabelText(kioskAll.name) as HTMLInputElement).value).toBe('Salma Kiosque');
      act(() => {
        vi.advanceTimersByTime(1);
      });
      expect(screen.queryByLabelText(kioskAll.name)).toBeNull();
      expect(screen.getByLabelText(kioskAll.ticket)).toBeTruthy();
      expect(document.body.textContent).not.toContain('Salma');
      expect(m.bookingWorld.visits).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Pairing a tablet by code (kiosk17f)', () => {
  it.each(['en', 'fr', 'ar'] as const)(
    'kioskPairingCode: the unpaired tablet takes a staff member’s code once; a wrong or used code says so (%s)',
    async (lng) => {
      const { m } = await openKiosk();
      const made = await m.bookingWorld.as('desk').createKioskPairingCode('c1', 'Hall');
      if (!made.ok) throw new Error(JSON.stringify(made));
      const onPaired = vi.fn();
      await renderWithServices(<KioskCodeEntry onPaired={onPaired} />, m.services, {
        page: ['kiosk', 'kioskMore'],
        lng,
      });
      const input = screen.getByLabelText(STRINGS[lng].codeLabel);
      fireEvent.change(input, { target: { value: 'ZZZZ-ZZZZ' } });
      fireEvent.click(screen.getByRole('button', { name: STRINGS[lng].codeSubmit }));
      expect((await screen.findByRole('alert')).textContent).toBe(STRINGS[lng].codeWrong);
      expect(onPaired).not.toHaveBeenCalled();
      fireEvent.change(input, { target: { value: made.value.code.toLowerCase() } });
      fireEvent.click(screen.getByRole('button', { name: STRINGS[lng].codeSubmit }));
      await vi.waitFor(() => expect(onPaired).toHaveBeenCalledOnce());
      const token = onPaired.mock.calls[0]![0] as string;
      expect((await m.services.booking.kiosk(token)).ok).toBe(true);
      // used once
      expect(await m.services.booking.redeemKioskPairingCode(made.value.code)).toEqual(ok({ paired: false }));
    },
  );
});

/**
 * tidy18: the printed ticket's tracker link (and its QR code) is the one the app's services build — at the
 * deployment's public address (BackendConfig.publicUrl: PUBLIC_URL / VITE_PUBLIC_URL), as the board's QR code —
 * not at the tablet's own address, which on a clinic's LAN the patient's phone cannot open. The page's own origin
 * only when no public address is configured. Runs the browser's composition root (appServices: supabase-js, the
 * Supabase adapters) with the backend's two RPCs answered by a stand-in for fetch: nothing leaves the test.
 */
describe('Kiosk ticket link at the public address (tidy18)', () => {
  const TRACKING = 'f'.repeat(48);
  const answers: Record<string, unknown> = {
    get_kiosk: { id: 'k1', label: 'Entrance', clinic_id: 'c1', clinic_name: 'Cabinet Anfa' },
    kiosk_register_walk_in: {
      entry_id: 'e1',
      ticket: 'A-007',
      status: 'waiting',
      position: 3,
      issued_at: '2026-11-24 10:00',
      clinic_name: 'Cabinet Anfa',
      tracking_token: TRACKING,
    },
  };
  afterEach(() => vi.unstubAllGlobals());

  const walkIn = async (config: { supabaseUrl: string; publicUrl?: string }) => {
    const called: string[] = [];
    vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const rpc = /^\/rest\/v1\/rpc\/(\w+)$/.exec(url.pathname)?.[1] ?? '';
      called.push(rpc);
      return rpc in answers
        ? Response.json(answers[rpc])
        : Response.json({ code: 'PGRST202', message: 'not found' }, { status: 404 });
    });
    await loadPhoneNumber();
    const services = appServices({ ...config, supabaseAnonKey: 'anon' });
    await renderWithServices(<Kiosk token={TOKEN} onUnpaired={() => {}} />, services, {
      page: ['kiosk', 'kioskMore'],
    });
    fireEvent.click(await screen.findByRole('button', { name: kioskAll.walkInStart }));
    fireEvent.change(await screen.findByLabelText(kioskAll.name), { target: { value: 'Salma Kiosque' } });
    fireEvent.change(screen.getByLabelText(kioskAll.phone), { target: { value: '0612345678' } });
    fireEvent.click(screen.getByRole('button', { name: kioskAll.walkInSubmit }));
    await screen.findByTestId('kiosk-ticket-number', {}, { timeout: 10_000 });
    expect(called).toEqual(['get_kiosk', 'kiosk_register_walk_in']);
    return screen.getByRole('region', { name: kioskAll.ticketTitle }).textContent;
  };

  it('kioskTicket: the tracker link printed on the ticket is at the configured public address, not the tablet’s', async () => {
    const ticket = await walkIn({
      // the tablet's own address is this page's (jsdom's); the clinic's public one is another host
      supabaseUrl: 'http://127.0.0.1:54710',
      publicUrl: 'https://queue.cabinet-anfa.example',
    });
    expect(ticket).toContain(`https://queue.cabinet-anfa.example/t/${TRACKING}`);
    expect(ticket).not.toContain(window.location.origin);
  });

  it('kioskTicket: with no public address configured, the link falls back to the page’s own origin', async () => {
    const ticket = await walkIn({ supabaseUrl: 'http://127.0.0.1:54711' });
    expect(ticket).toContain(`${window.location.origin}/t/${TRACKING}`);
  });
});
