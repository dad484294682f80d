// @vitest-environment jsdom
// Issue 17 (doctor20): the booking page lets the patient choose "any doctor" or one of the doctors who offer the
// chosen visit type (as the clinic names them publicly). The slots shown are that doctor's (free slots asked with
// the doctor: none on a day of their leave, though the clinic has some), the booking carries the doctor, the
// confirmation names them, and "sign in first" keeps the choice. Fluid types offer the same choice (F7, feat21a):
// the days are that doctor's (not their leave) and the place is in their line.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { ok } from '../../services/shared/Result';
import { CASABLANCA_AT_PLUS_ONE } from '../../../test/fixtures/zoneRules';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import ClinicPage from '../ClinicPage';
import { bookingEn } from '../../i18n/locales/ui/booking.en';
import { bookingAr } from '../../i18n/locales/ui/booking.ar';

afterEach(() => cleanup());

const MORNINGS = Object.fromEntries(
  [0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: '09:00', end: '12:00' }]]),
);
const DOC_A = 'd1000000-0000-4000-8000-00000000000a';
const DOC_B = 'd1000000-0000-4000-8000-00000000000b';
const DOC_C = 'd1000000-0000-4000-8000-00000000000c';

async function clinic({ signedIn = false } = {}) {
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
  // three doctors (an Arabic name among them); Dr Chami does not offer the consultation
  for (const [id, displayName] of [
    [DOC_A, 'Dr Alami'],
    [DOC_B, 'د. بناني'],
    [DOC_C, 'Dr Chami'],
  ] as const)
    made.clinicWorld.members.set(id, {
      id,
      clinicId,
      userId: `user-${id}`,
      role: 'practitioner',
      displayName,
      room: null,
      active: true,
    });
  const saved = await made.services.clinic.saveVisitTypes(clinicId, [
    { name: 'Consultation', durationMinutes: 20, bookingMode: 'slotted', practitionerIds: [DOC_A, DOC_B] },
    { name: 'Suivi', durationMinutes: 20, bookingMode: 'fluid' },
  ]);
  if (!saved.ok) throw new Error(saved.error.code);
  const [consultation, suivi] = saved.value;
  made.bookingWorld.addClinic({
    id: clinicId,
    hours: MORNINGS,
    appointmentTypes: [
      { id: consultation!, durationMinutes: 20, bookingMode: 'slotted' },
      { id: suivi!, durationMinutes: 20, bookingMode: 'fluid' },
    ],
  });
  if (signedIn)
    vi.spyOn(made.services.auth, 'session').mockResolvedValue(
      ok({ userId: 'patient-1', email: null, phone: '+212600000001', fullName: 'Amina' }),
    );
  return { made, clinicId, consultation: consultation!, suivi: suivi! };
}

const doctorButtons = () => within(screen.getByTestId('doctors')).getAllByRole('button');

describe('booking page: choosing a doctor (issue 17)', () => {
  it('offers "any doctor" and only the doctors who offer the type; a fluid type offers the same choice (F7)', async () => {
    const { made } = await clinic();
    await renderWithServices(<ClinicPage params={{ slug: 'atlas' }} />, made.services);
    await screen.findByTestId('doctors');
    expect(doctorButtons().map((b) => b.textContent)).toEqual([bookingEn.anyDoctor, 'Dr Alami', 'د. بناني']);
    expect(doctorButtons()[0]!.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: /Suivi/ }));
    await screen.findByTestId('fluid-days');
    // Suivi names no doctors: every doctor of the clinic offers it
    expect(doctorButtons().map((b) => b.textContent)).toEqual([
      bookingEn.anyDoctor,
      'Dr Alami',
      'Dr Chami',
      'Owner', // the clinic's owner is a doctor too (DR1)
      'د. بناني',
    ]);
  });

  it('F7 fluid: a place with a chosen doctor — their days only (not their leave), the booking carries them, sign-in keeps the choice', async () => {
    const { made, clinicId, suivi } = await clinic();
    made.bookingWorld.leave.push({ practitionerId: DOC_A, fromDay: '2026-11-25', toDay: '2026-11-25' });
    const asked = vi.spyOn(made.services.booking, 'fluidDays');
    window.history.replaceState(null, '', `/c/atlas?type=${suivi}`);
    try {
      await renderWithServices(<ClinicPage params={{ slug: 'atlas' }} />, made.services);
      const dayTexts = async () =>
        within(await screen.findByTestId('fluid-days'))
          .getAllByRole('button')
          .map((b) => b.textContent ?? '');
      await waitFor(async () => expect((await dayTexts()).some((d) => d.includes('25'))).toBe(true));
      fireEvent.click(screen.getByRole('button', { name: 'Dr Alami' }));
      expect(screen.getByRole('button', { name: 'Dr Alami' }).getAttribute('aria-pressed')).toBe('true');
      await waitFor(async () => expect((await dayTexts()).some((d) => d.includes('25'))).toBe(false));
      expect(await dayTexts()).not.toHaveLength(0);
      expect(asked).toHaveBeenLastCalledWith(
        expect.objectContaining({ clinicId, appointmentTypeId: suivi, practitionerId: DOC_A }),
      );
      const day26 = within(screen.getByTestId('fluid-days'))
        .getAllByRole('button')
        .find((b) => (b.textContent ?? '').includes('26'))!;
      fireEvent.click(day26);
      const link = await screen.findByRole('link', { name: bookingEn.signInFirst });
      expect(decodeURIComponent(link.getAttribute('href') ?? '')).toContain(`doctor=${DOC_A}`);
    } finally {
      window.history.replaceState(null, '', '/');
    }
  });

  it('F7 fluid: a signed-in patient takes a place in a chosen doctor’s line; the confirmation names the doctor', async () => {
    const { made, suivi } = await clinic({ signedIn: true });
    window.history.replaceState(null, '', `/c/atlas?type=${suivi}&doctor=${DOC_B}`);
    try {
      await renderWithServices(<ClinicPage params={{ slug: 'atlas' }} />, made.services, { lng: 'ar' });
      await screen.findByTestId('doctors');
      // the link's doctor offers Suivi: chosen
      expect(screen.getByRole('button', { name: 'د. بناني' }).getAttribute('aria-pressed')).toBe('true');
      const days = await screen.findByTestId('fluid-days');
      await waitFor(() => expect(within(days).getAllByRole('button').length).toBeGreaterThan(1));
      fireEvent.click(within(screen.getByTestId('fluid-days')).getAllByRole('button')[1]!);
      fireEvent.change(await screen.findByLabelText(bookingAr.yourName), { target: { value: 'أمينة' } });
      fireEvent.click(
        screen.getByRole('button', { name: new RegExp(bookingAr.takePlace.split('{{')[0]!.trim()) }),
      );
      expect((await screen.findByTestId('booked-doctor')).querySelector('bdi')!.textContent).toBe('د. بناني');
      expect(document.documentElement.dir).toBe('rtl');
    } finally {
      window.history.replaceState(null, '', '/');
    }
    const visits = await made.services.booking.myVisits();
    if (!visits.ok) throw new Error(visits.error.code);
    expect(visits.value.map((v) => [v.practitionerId, v.slotStart])).toEqual([[DOC_B, null]]);
  });

  it('a chosen doctor’s slots only: none on a day of their leave (the clinic has some), and sign-in keeps the choice', async () => {
    const { made, clinicId, consultation } = await clinic();
    made.bookingWorld.leave.push({ practitionerId: DOC_A, fromDay: '2026-11-25', toDay: '2026-11-25' });
    const asked = vi.spyOn(made.services.booking, 'freeSlots');
    await renderWithServices(<ClinicPage params={{ slug: 'atlas' }} />, made.services);
    await screen.findByTestId('doctors');
    // the clinic's days come with its clock (from the server)
    const dayButton = async (n: string) => {
      const legend = screen.getByText(`2 · ${bookingEn.step2}`);
      const buttons = await within(legend.closest('fieldset')!).findAllByRole('button');
      return buttons.find((b) => (b.textContent ?? '').includes(n))!;
    };
    fireEvent.click(await dayButton('25'));
    // any doctor: the clinic's free times that day
    await screen.findByTestId('slots');
    fireEvent.click(screen.getByRole('button', { name: 'Dr Alami' }));
    expect(screen.getByRole('button', { name: 'Dr Alami' }).getAttribute('aria-pressed')).toBe('true');
    expect(await screen.findByText(bookingEn.noSlots)).toBeTruthy();
    expect(screen.queryByTestId('slots')).toBeNull();
    expect(asked).toHaveBeenLastCalledWith(
      expect.objectContaining({
        clinicId,
        from: '2026-11-25',
        appointmentTypeId: consultation,
        practitionerId: DOC_A,
      }),
    );
    // Dr Alami works on the 26th: times again, and signing in comes back to the same doctor
    fireEvent.click(await dayButton('26'));
    const slots = await screen.findByTestId('slots');
    fireEvent.click(within(slots).getAllByRole('button')[0]!);
    const link = await screen.findByRole('link', { name: bookingEn.signInFirst });
    expect(decodeURIComponent(link.getAttribute('href') ?? '')).toContain(`doctor=${DOC_A}`);
  });

  it('the booking carries the chosen doctor and the confirmation names them; a link naming a doctor who does not offer the type chooses nobody', async () => {
    const { made } = await clinic({ signedIn: true });
    window.history.replaceState(null, '', `/c/atlas?doctor=${DOC_C}`);
    try {
      await renderWithServices(<ClinicPage params={{ slug: 'atlas' }} />, made.services);
      await screen.findByTestId('doctors');
      // Dr Chami does not offer the consultation: "any doctor" stays chosen
      expect(doctorButtons()[0]!.getAttribute('aria-pressed')).toBe('true');
      fireEvent.click(screen.getByRole('button', { name: 'د. بناني' }));
      const slots = await screen.findByTestId('slots');
      await waitFor(() => expect(within(slots).getAllByRole('button').length).toBeGreaterThan(0));
      fireEvent.click(within(screen.getByTestId('slots')).getAllByRole('button')[0]!);
      fireEvent.change(await screen.findByLabelText(bookingEn.yourName), { target: { value: 'Amina' } });
      fireEvent.click(screen.getByRole('button', { name: new RegExp(bookingEn.confirm) }));
      expect(await screen.findByText(bookingEn.success)).toBeTruthy();
      expect(screen.getByTestId('booked-doctor').textContent).toContain('د. بناني');
    } finally {
      window.history.replaceState(null, '', '/');
    }
    const visits = await made.services.booking.myVisits();
    if (!visits.ok) throw new Error(visits.error.code);
    expect(visits.value.map((v) => v.practitionerId)).toEqual([DOC_B]);
  });

  it('Arabic: the choice reads right to left in Arabic, names isolated', async () => {
    const { made } = await clinic();
    await renderWithServices(<ClinicPage params={{ slug: 'atlas' }} />, made.services, { lng: 'ar' });
    await screen.findByTestId('doctors');
    expect(screen.getByText(bookingAr.doctorLegend)).toBeTruthy();
    expect(doctorButtons()[0]!.textContent).toBe(bookingAr.anyDoctor);
    expect(doctorButtons()[2]!.querySelector('bdi')!.textContent).toBe('د. بناني');
  });
});
