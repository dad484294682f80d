// @vitest-environment jsdom
// Issue 17: the desk's "Bookings" view of a later day, on the in-memory composition root. It opens on TOMORROW by
// the clinic's own clock, lists the day's visits (slotted by time, fluid by place in the line) with patient, visit
// type, doctor and status, says so when the day has none, and cancels a booked visit only after a confirmation
// with a reason (sent as given). In Arabic it has its own words (the page direction is the shell's). The list's data path on the real
// stack (get_queue → cancel_appointment, staff only) is e2e day-bookings.spec; the shaping is dayBookings.test.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { installDialogShim } from '../../../test/fixtures/dialogShim';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { CASABLANCA_AT_PLUS_ONE } from '../../../test/fixtures/zoneRules';
import type { Language } from '../../i18n/languages';
import { dashEn } from '../../i18n/locales/ui/dash.en';
import { errorsEn } from '../../i18n/locales/errors.en';
import { recordsAr } from '../../i18n/locales/ui/records.ar';
import { recordsEn } from '../../i18n/locales/ui/records.en';
import { createInMemoryServices } from '../../services/composition/inMemory';
import type { DayBooking } from '../../services/queue/dayBookings';
import { appError } from '../../services/shared/AppError';
import { err, ok } from '../../services/shared/Result';
import { ManualClock } from '../../services/shared/Clock';
import DayBookingsPanel from './DayBookingsPanel';

beforeAll(() => installDialogShim());
afterEach(() => cleanup());

const SLOTTED: DayBooking = {
  entryId: '00000000-0000-4000-8000-000000000001',
  ticket: 'A-002',
  patientName: 'Salma Idrissi',
  typeName: 'Consultation',
  doctorName: 'Dr Benali',
  // 10:30 in Casablanca (+01 by the fixture's zone rules)
  slotAt: '2026-11-25T09:30:00.000Z',
  fluidPlace: null,
  status: 'scheduled',
};
const FLUID: DayBooking = {
  entryId: '00000000-0000-4000-8000-000000000002',
  ticket: 'A-001',
  patientName: 'Karim Fluide',
  typeName: 'Vaccination',
  doctorName: null,
  slotAt: null,
  fluidPlace: 1,
  status: 'scheduled',
};
const GONE: DayBooking = {
  ...SLOTTED,
  entryId: '00000000-0000-4000-8000-000000000003',
  ticket: 'A-003',
  patientName: 'Omar Parti',
  status: 'cancelled',
};

async function panel(bookings: readonly DayBooking[], lng: Language = 'en') {
  // 2026-11-24T08:00Z: Tuesday 09:00 in Casablanca — tomorrow is Wednesday 2026-11-25
  const made = createInMemoryServices({
    actorId: 'owner-1',
    clock: new ManualClock('2026-11-24T08:00:00Z'),
    zones: CASABLANCA_AT_PLUS_ONE,
  });
  made.clinicWorld.addUser('owner-1');
  const c = await made.services.clinic.createClinic({ name: 'Cabinet Atlas', slug: 'atlas' });
  if (!c.ok) throw new Error(c.error.code);
  const list = vi
    .spyOn(made.services.queue, 'dayBookings')
    .mockImplementation(async (_clinic, day) => ok({ day, bookings }));
  const cancel = vi
    .spyOn(made.services.booking, 'cancel')
    .mockImplementation(async (entryId) => ok({ entryId, status: 'cancelled' as const }));
  await renderWithServices(<DayBookingsPanel clinicId={c.value.clinicId} />, made.services, {
    lng,
    page: ['dash', 'records'],
  });
  const view = within(await screen.findByTestId('day-bookings'));
  return { clinicId: c.value.clinicId, list, cancel, view };
}

describe('DayBookingsPanel (issue 17)', () => {
  it('opens on tomorrow by the clinic’s clock and lists the day: time or place in the line, ticket, patient, type, doctor, status', async () => {
    const { clinicId, list, view } = await panel([SLOTTED, FLUID, GONE]);
    await waitFor(() =>
      expect((view.getByLabelText(recordsEn.daysDay) as HTMLInputElement).value).toBe('2026-11-25'),
    );
    await waitFor(() => expect(list).toHaveBeenCalledWith(clinicId, '2026-11-25'));
    const rows = await view.findAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([
      '10:30A-002Salma IdrissiConsultationDr BenaliBookedCancel visit',
      'Fluid place #1A-001Karim FluideVaccinationAny doctorBookedCancel visit',
      // a cancelled visit is listed, with nothing left to cancel
      '10:30A-003Omar PartiConsultationDr BenaliCancelled',
    ]);
  });

  it('another day: the list of that day; a day without bookings says so', async () => {
    const { clinicId, list, view } = await panel([]);
    expect(await view.findByText('No booking on', { exact: false })).toBeTruthy();
    fireEvent.change(view.getByLabelText(recordsEn.daysDay), { target: { value: '2026-12-01' } });
    await waitFor(() => expect(list).toHaveBeenCalledWith(clinicId, '2026-12-01'));
    // a half-typed date is not asked for
    fireEvent.change(view.getByLabelText(recordsEn.daysDay), { target: { value: '' } });
    expect(list).not.toHaveBeenCalledWith(clinicId, '');
  });

  it('cancel: a confirmation with a required reason, then the visit is cancelled with that reason', async () => {
    const { cancel, view } = await panel([SLOTTED, FLUID]);
    fireEvent.click(await view.findByRole('button', { name: 'Cancel the visit of Karim Fluide (A-001)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel the visit of A-001?' });
    // no reason: nothing is sent
    fireEvent.click(within(dialog).getByRole('button', { name: dashEn.actions.cancel }));
    expect(cancel).not.toHaveBeenCalled();
    fireEvent.change(within(dialog).getByLabelText(recordsEn.desk.reason), {
      target: { value: '  The doctor is away  ' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: dashEn.actions.cancel }));
    await waitFor(() =>
      expect(cancel).toHaveBeenCalledWith('00000000-0000-4000-8000-000000000002', 'The doctor is away'),
    );
    expect(await screen.findByText(/Visit A-001 cancelled — the patient is told by SMS\./)).toBeTruthy();
    expect(cancel).toHaveBeenCalledTimes(1);
  });

  it('a stale view: the visit moved meanwhile — the refusal reads the day again and says so in plain words, no raw transition error', async () => {
    const { clinicId, list, cancel, view } = await panel([SLOTTED, FLUID]);
    await view.findAllByRole('listitem');
    // meanwhile the patient moved the fluid visit to another day (its row here is cancelled `rescheduled`)
    list.mockImplementation(async (_clinic, day) =>
      ok({ day, bookings: [SLOTTED, { ...FLUID, status: 'cancelled' as const }] }),
    );
    cancel.mockImplementation(async () =>
      err(appError('QUEUE.ILLEGAL_TRANSITION', 'cancelled -> cancelled is not allowed')),
    );
    const callsBefore = list.mock.calls.length;
    fireEvent.click(view.getByRole('button', { name: 'Cancel the visit of Karim Fluide (A-001)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel the visit of A-001?' });
    fireEvent.change(within(dialog).getByLabelText(recordsEn.desk.reason), {
      target: { value: 'Doctor away' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: dashEn.actions.cancel }));
    expect(
      await screen.findByText(
        'Visit A-001 changed meanwhile (moved, cancelled or its day has passed): nothing was cancelled, and the list now shows it as it is.',
      ),
    ).toBeTruthy();
    expect(screen.queryByText(errorsEn.errors['QUEUE.ILLEGAL_TRANSITION'])).toBeNull();
    expect(screen.queryByText(/ILLEGAL_TRANSITION/)).toBeNull();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // the day is read again and the row shows what it is now, with nothing left to cancel
    expect(list.mock.calls.length).toBeGreaterThan(callsBefore);
    expect(list).toHaveBeenLastCalledWith(clinicId, '2026-11-25');
    await waitFor(() =>
      expect(view.getAllByRole('listitem')[1]!.textContent).toBe(
        'Fluid place #1A-001Karim FluideVaccinationAny doctorCancelled',
      ),
    );
  });

  it('Arabic: its own words', async () => {
    const { view } = await panel([FLUID], 'ar');
    expect(view.getByRole('heading').textContent).toBe(recordsAr.daysTitle);
    expect((await view.findAllByRole('listitem'))[0]!.textContent).toContain('المكان رقم 1 في الطابور');
    expect(view.getByText(recordsAr.daysAnyDoctor)).toBeTruthy();
  });
});
