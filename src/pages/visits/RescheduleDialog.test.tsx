// @vitest-environment jsdom
// Issue 17 (resched19): "Reschedule" on My visits for a visit that names a doctor. The move keeps the doctor
// (private.book), so the dialog offers only that doctor's free times: none on a day of their leave (the database
// would refuse PRACTITIONER.ON_LEAVE), the clinic's times again on a day they work, and the moved visit keeps them.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { installDialogShim } from '../../../test/fixtures/dialogShim';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { CASABLANCA_AT_PLUS_ONE } from '../../../test/fixtures/zoneRules';
import { bookingEn } from '../../i18n/locales/ui/booking.en';
import { visitsEn } from '../../i18n/locales/ui/visits.en';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { RescheduleDialog } from './RescheduleDialog';

beforeAll(() => installDialogShim());
afterEach(() => cleanup());

const MORNINGS = Object.fromEntries(
  [0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: '09:00', end: '12:00' }]]),
);

describe('My visits: a visit naming a doctor is rescheduled to that doctor’s free times (issue 17)', () => {
  it('a day of the doctor’s leave offers no time (the clinic has some); a working day does, and the move keeps the doctor', async () => {
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
      { name: 'Consultation', durationMinutes: 20, bookingMode: 'slotted' },
    ]);
    if (!saved.ok) throw new Error(saved.error.code);
    const typeId = saved.value[0]!;
    made.bookingWorld.addClinic({
      id: clinicId,
      hours: MORNINGS,
      appointmentTypes: [{ id: typeId, durationMinutes: 20, bookingMode: 'slotted' }],
    });
    // the signed-in patient's visit with Dr doc-1 on Wednesday; the doctor is away on Thursday
    const wednesday = await made.services.booking.freeSlots({
      clinicId,
      from: '2026-11-25',
      appointmentTypeId: typeId,
    });
    if (!wednesday.ok) throw new Error(wednesday.error.code);
    const booked = await made.services.booking.book({
      clinicId,
      slotStart: wednesday.value[3]!.start,
      appointmentTypeId: typeId,
      practitionerId: 'doc-1',
      fullName: 'Amina',
    });
    if (!booked.ok) throw new Error(booked.error.code);
    made.bookingWorld.leave.push({ practitionerId: 'doc-1', fromDay: '2026-11-26', toDay: '2026-11-26' });
    const visits = await made.services.booking.myVisits();
    const clinic = await made.services.booking.publicClinic('atlas');
    if (!visits.ok || !clinic.ok) throw new Error('setup');
    const visit = visits.value.find((v) => v.entryId === booked.value.entryId)!;
    expect(visit.practitionerId).toBe('doc-1');
    // the clinic itself has free times on Thursday (any doctor)
    const anyDoctor = await made.services.booking.freeSlots({
      clinicId,
      from: '2026-11-26',
      appointmentTypeId: typeId,
    });
    if (!anyDoctor.ok) throw new Error(anyDoctor.error.code);
    expect(anyDoctor.value.length).toBeGreaterThan(0);
    const asked = vi.spyOn(made.services.booking, 'freeSlots');
    let closed = false;
    const hhmm = (iso: string) => iso.slice(11, 16);
    await renderWithServices(
      <RescheduleDialog
        visit={visit}
        clinic={clinic.value}
        today="2026-11-24"
        timeOf={hhmm}
        dateTimeOf={hhmm}
        onClose={() => {
          closed = true;
        }}
      />,
      made.services,
      { page: 'visits' },
    );
    const day = async (n: string) => {
      const legend = await screen.findByText(bookingEn.step2);
      const buttons = within(legend.closest('fieldset')!).getAllByRole('button');
      fireEvent.click(buttons.find((b) => (b.textContent ?? '').includes(n))!);
    };
    await day('26');
    expect(await screen.findByText(bookingEn.noSlots)).toBeTruthy();
    expect(screen.queryByTestId('slots')).toBeNull();
    expect(asked).toHaveBeenCalledWith(
      expect.objectContaining({ from: '2026-11-26', practitionerId: 'doc-1' }),
    );
    await day('27');
    const slots = await screen.findByTestId('slots');
    fireEvent.click(within(slots).getAllByRole('button')[0]!);
    fireEvent.click(screen.getByRole('button', { name: new RegExp(`^${visitsEn.rescheduleConfirm}`) }));
    await waitFor(() => expect(closed).toBe(true));
    const after = await made.services.booking.myVisits();
    if (!after.ok) throw new Error(after.error.code);
    expect(after.value.find((v) => v.status === 'scheduled')).toMatchObject({
      day: '2026-11-27',
      practitionerId: 'doc-1',
    });
  });
});
