// @vitest-environment jsdom
// Issue 17: "Another day" for a fluid visit (My visits' dialog) on the in-memory composition root. The patient
// sees the days of the visit's own type with places left (its own day left out), picks one and confirms: the
// visit moves in one operation (the old place cancelled, a new ticket in the new day's line).
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { visitsEn } from '../../i18n/locales/ui/visits.en';
import { visitsFr } from '../../i18n/locales/ui/visits.fr';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { CASABLANCA_AT_PLUS_ONE } from '../../../test/fixtures/zoneRules';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { FluidRescheduleDialog } from './RescheduleDialog';

beforeAll(() => {
  // jsdom has <dialog> but not its modal methods; the open attribute is what matters here.
  const proto = HTMLDialogElement.prototype as unknown as Record<string, unknown>;
  if (typeof proto.showModal !== 'function')
    proto.showModal = function (this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
  if (typeof proto.close !== 'function')
    proto.close = function (this: HTMLDialogElement) {
      this.removeAttribute('open');
    };
});
afterEach(() => cleanup());

const MORNINGS = Object.fromEntries(
  [0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: '09:00', end: '12:00' }]]),
);

describe('My visits: a fluid visit moves to another day (issue 17)', () => {
  it("RS fluid: the dialog offers the type's other days and moves the place in one operation", async () => {
    // 2026-11-24T08:00Z: Tuesday 09:00 in Casablanca (+01 by the fixture's zone rules)
    const made = createInMemoryServices({
      actorId: 'owner-1',
      clock: new ManualClock('2026-11-24T08:00:00Z'),
      zones: CASABLANCA_AT_PLUS_ONE,
    });
    made.clinicWorld.addUser('owner-1');
    const c = await made.services.clinic.createClinic({ name: 'Cabinet Atlas', slug: 'atlas' });
    if (!c.ok) throw new Error(c.error.code);
    const week = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
    await made.services.clinic.setWorkingHours(
      c.value.clinicId,
      Object.fromEntries(week.map((d) => [d, [{ start: '09:00', end: '12:00' }]])),
    );
    const saved = await made.services.clinic.saveVisitTypes(c.value.clinicId, [
      { name: 'Consultation', durationMinutes: 20, bookingMode: 'fluid' },
    ]);
    if (!saved.ok) throw new Error(saved.error.code);
    const typeId = saved.value[0]!;
    made.bookingWorld.addClinic({
      id: c.value.clinicId,
      hours: MORNINGS,
      appointmentTypes: [{ id: typeId, durationMinutes: 20, bookingMode: 'fluid' }],
    });
    // the signed-in user (owner-1 here, as a patient of the line) holds a place on Thursday
    const booked = await made.services.booking.bookFluid({
      clinicId: c.value.clinicId,
      day: '2026-11-26',
      appointmentTypeId: typeId,
      fullName: 'Amina',
    });
    if (!booked.ok) throw new Error(booked.error.code);
    const visits = await made.services.booking.myVisits();
    const clinic = await made.services.booking.publicClinic('atlas');
    if (!visits.ok || !clinic.ok) throw new Error('setup');
    const visit = visits.value.find((v) => v.entryId === booked.value.entryId)!;
    let closed = false;
    await renderWithServices(
      <FluidRescheduleDialog
        visit={visit}
        clinic={clinic.value}
        today="2026-11-24"
        onClose={() => {
          closed = true;
        }}
      />,
      made.services,
      { page: 'visits' },
    );
    const days = await screen.findByTestId('fluid-days');
    const labels = Array.from(days.querySelectorAll('button')).map((b) => b.textContent ?? '');
    expect(labels).toHaveLength(13); // 14 days from today, the visit's own day left out
    expect(labels.some((l) => l.includes('26'))).toBe(false);
    fireEvent.click(days.querySelectorAll('button')[3]!); // the 28th (24, 25, 27, 28 …)
    fireEvent.click(screen.getByRole('button', { name: new RegExp(`^${visitsEn.rescheduleConfirm}`) }));
    await waitFor(() => expect(closed).toBe(true));
    const after = await made.services.booking.myVisits();
    if (!after.ok) throw new Error(after.error.code);
    expect(after.value.find((v) => v.entryId === booked.value.entryId)?.status).toBe('cancelled');
    expect(after.value.find((v) => v.status === 'scheduled')).toMatchObject({
      day: '2026-11-28',
      slotStart: null,
    });
  });
  it('a stale tab: the visit was moved meanwhile — the dialog closes with a plain message, no raw transition error, and nothing moves again', async () => {
    const made = createInMemoryServices({
      actorId: 'owner-1',
      clock: new ManualClock('2026-11-24T08:00:00Z'),
      zones: CASABLANCA_AT_PLUS_ONE,
    });
    made.clinicWorld.addUser('owner-1');
    const c = await made.services.clinic.createClinic({ name: 'Cabinet Atlas', slug: 'atlas' });
    if (!c.ok) throw new Error(c.error.code);
    const saved = await made.services.clinic.saveVisitTypes(c.value.clinicId, [
      { name: 'Consultation', durationMinutes: 20, bookingMode: 'fluid' },
    ]);
    if (!saved.ok) throw new Error(saved.error.code);
    const typeId = saved.value[0]!;
    made.bookingWorld.addClinic({
      id: c.value.clinicId,
      hours: MORNINGS,
      appointmentTypes: [{ id: typeId, durationMinutes: 20, bookingMode: 'fluid' }],
    });
    const booked = await made.services.booking.bookFluid({
      clinicId: c.value.clinicId,
      day: '2026-11-26',
      appointmentTypeId: typeId,
      fullName: 'Amina',
    });
    if (!booked.ok) throw new Error(booked.error.code);
    const visits = await made.services.booking.myVisits();
    const clinic = await made.services.booking.publicClinic('atlas');
    if (!visits.ok || !clinic.ok) throw new Error('setup');
    // the tab's My visits was read with the visit on Thursday …
    const stale = visits.value.find((v) => v.entryId === booked.value.entryId)!;
    // … then another tab moved it to Friday
    const other = await made.services.booking.rescheduleFluid({ entryId: stale.entryId, day: '2026-11-27' });
    if (!other.ok) throw new Error(other.error.code);
    let closed = false;
    await renderWithServices(
      <FluidRescheduleDialog
        visit={stale}
        clinic={clinic.value}
        today="2026-11-24"
        onClose={() => {
          closed = true;
        }}
      />,
      made.services,
      { page: 'visits', lng: 'fr' },
    );
    const days = await screen.findByTestId('fluid-days');
    fireEvent.click(days.querySelectorAll('button')[3]!);
    fireEvent.click(screen.getByRole('button', { name: new RegExp(`^${visitsFr.rescheduleConfirm}`) }));
    expect(await screen.findByText(visitsFr.moveDayStale)).toBeTruthy();
    expect(screen.queryByText(/ILLEGAL_TRANSITION|statut actuel/)).toBeNull();
    await waitFor(() => expect(closed).toBe(true));
    // the one visit still scheduled is the other tab's, on Friday
    const after = await made.services.booking.myVisits();
    if (!after.ok) throw new Error(after.error.code);
    expect(after.value.filter((v) => v.status === 'scheduled').map((v) => v.day)).toEqual(['2026-11-27']);
  });
});
