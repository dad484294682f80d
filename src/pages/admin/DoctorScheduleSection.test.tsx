// @vitest-environment jsdom
// The hours tab's doctor section (issue 17, hours19; H1, H4–H5) on the in-memory services, reached the normal way
// (HoursTab → its lazy section → hooks → ClinicService → the clinic repository): a doctor's leave is added and, after
// a confirmation, removed; a refused leave says why and stores nothing; own hours across the clinic's break are
// refused naming the day, valid ones are saved, and "the clinic's hours" clears them. Arabic renders right-to-left.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { ManualClock } from '../../services/shared/Clock';
import { HoursTab } from './HoursTab';

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

async function setup(lng: 'en' | 'ar' | 'fr' = 'en') {
  // 2026-11-24 09:00 in Casablanca: the clinic's today is 2026-11-24
  const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
  made.clinicWorld.addUser('owner', { email: 'o@example.test' });
  const created = await made.services.clinic.createClinic({
    name: 'Atlas',
    slug: 'atlas',
    displayName: 'Dr Atlas',
  });
  if (!created.ok) throw new Error(created.error.code);
  const { clinicId, memberId } = created.value;
  const saved = await made.services.clinic.setWorkingHours(clinicId, {
    monday: [
      { start: '09:00', end: '13:00' },
      { start: '15:00', end: '19:00' },
    ],
  });
  if (!saved.ok) throw new Error(saved.error.code);
  const view = await renderWithServices(<HoursTab clinicId={clinicId} canEdit />, made.services, {
    lng,
    page: 'admin',
  });
  const doctor = await screen.findByTestId(`doctor-${memberId}`);
  return { ...made, clinicId, memberId, doctor, view };
}

describe('HoursTab — doctors’ hours and leave', () => {
  it('H1 adds a doctor’s leave, and removes it only after the confirmation', async () => {
    const { services, clinicId, doctor } = await setup();
    expect(within(doctor).getByText('No leave planned.')).toBeTruthy();
    fireEvent.change(within(doctor).getByLabelText('First day'), { target: { value: '2026-12-07' } });
    fireEvent.change(within(doctor).getByLabelText('Last day'), { target: { value: '2026-12-09' } });
    fireEvent.change(within(doctor).getByLabelText('Reason (optional)'), { target: { value: 'Congrès' } });
    act(() => within(doctor).getByRole('button', { name: 'Add leave' }).click());
    await screen.findByText('Leave saved.');
    const remove = await within(doctor).findByRole('button', {
      name: 'Remove leave 2026-12-07 – 2026-12-09',
    });
    expect(within(doctor).getByText('Congrès')).toBeTruthy();
    const stored = await (await services.doctorSchedule()).doctorLeave(clinicId);
    expect(stored.ok && stored.value.map((l) => [l.fromDay, l.toDay, l.reason])).toEqual([
      ['2026-12-07', '2026-12-09', 'Congrès'],
    ]);
    // cancelling the confirmation keeps it
    act(() => remove.click());
    const dialog = await screen.findByRole('dialog', { name: 'Remove this leave?' });
    expect(dialog.textContent).toContain('Dr Atlas will be bookable again from 2026-12-07 to 2026-12-09.');
    act(() => within(dialog).getByRole('button', { name: 'Cancel' }).click());
    expect((await (await services.doctorSchedule()).doctorLeave(clinicId)).ok).toBe(true);
    expect(within(doctor).getByText('Congrès')).toBeTruthy();
    act(() => remove.click());
    act(() =>
      within(screen.getByRole('dialog', { name: 'Remove this leave?' }))
        .getByRole('button', { name: 'Remove' })
        .click(),
    );
    await within(doctor).findByText('No leave planned.');
    const after = await (await services.doctorSchedule()).doctorLeave(clinicId);
    expect(after.ok && after.value).toEqual([]);
  });

  it('H1 a leave that ends before it starts is refused with its message; nothing is stored', async () => {
    const { services, clinicId, doctor } = await setup();
    fireEvent.change(within(doctor).getByLabelText('First day'), { target: { value: '2026-12-09' } });
    fireEvent.change(within(doctor).getByLabelText('Last day'), { target: { value: '2026-12-07' } });
    act(() => within(doctor).getByRole('button', { name: 'Add leave' }).click());
    await screen.findByText(/the leave ends on or after its first day/);
    const stored = await (await services.doctorSchedule()).doctorLeave(clinicId);
    expect(stored.ok && stored.value).toEqual([]);
  });

  it('H5 own hours across the clinic’s break are refused naming the day; H4 valid ones are saved; the clinic’s hours clear them', async () => {
    const { services, clinicId, memberId, doctor } = await setup();
    expect(within(doctor).getByText('Clinic’s hours')).toBeTruthy();
    act(() => within(doctor).getByRole('button', { name: 'Set own hours' }).click());
    const week = within(doctor).getByTestId(`doctor-hours-${memberId}`);
    act(() => within(week).getByRole('button', { name: 'Remove Monday 15:00–19:00' }).click());
    const mondayTo = within(week).getByLabelText('Dr Atlas Monday To');
    fireEvent.change(mondayTo, { target: { value: '16:00' } });
    act(() => within(doctor).getByRole('button', { name: 'Save Dr Atlas’s hours' }).click());
    expect((await within(doctor).findByRole('alert')).textContent).toBe(
      'Monday: a doctor’s range must lie within one of the clinic’s ranges.',
    );
    const refused = await (await services.doctorSchedule()).doctorHours(clinicId);
    expect(refused.ok && refused.value).toEqual({});
    fireEvent.change(mondayTo, { target: { value: '12:00' } });
    act(() => within(doctor).getByRole('button', { name: 'Save Dr Atlas’s hours' }).click());
    await waitFor(async () => {
      const stored = await (await services.doctorSchedule()).doctorHours(clinicId);
      expect(stored.ok && stored.value).toEqual({
        [memberId]: { monday: [{ start: '09:00', end: '12:00' }] },
      });
    });
    act(() => within(doctor).getByRole('button', { name: 'Use the clinic’s hours' }).click());
    act(() => within(doctor).getByRole('button', { name: 'Save Dr Atlas’s hours' }).click());
    await waitFor(async () => {
      const stored = await (await services.doctorSchedule()).doctorHours(clinicId);
      expect(stored.ok && stored.value).toEqual({});
    });
  });

  it('speaks Arabic, right to left', async () => {
    const { doctor } = await setup('ar');
    expect(await screen.findByText('أوقات عمل الأطباء وإجازاتهم')).toBeTruthy();
    expect(within(doctor).getByRole('button', { name: 'إضافة إجازة' })).toBeTruthy();
    expect(document.documentElement.dir || doctor.closest('[dir]')?.getAttribute('dir')).toBe('rtl');
  });
});
