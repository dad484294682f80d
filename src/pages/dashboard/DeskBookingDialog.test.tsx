// @vitest-environment jsdom
// Issue 17: the desk's "Book a visit" dialog on the in-memory composition root — a receptionist books a slot or a
// fluid day's place for a caller found by the desk search or typed by phone and name. Validation says what is
// missing on the field, a server refusal shows its coded message in the desk's language, a double click books
// once. The database's own rules and attacks are in supabase/tests/deskBooking.test.ts.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { installDialogShim } from '../../../test/fixtures/dialogShim';
import { holdErrorTexts } from '../../../test/fixtures/heldErrorTexts';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { CASABLANCA_AT_PLUS_ONE } from '../../../test/fixtures/zoneRules';
import type { Language } from '../../i18n/languages';
import { errorsAr } from '../../i18n/locales/errors.ar';
import { errorsEn } from '../../i18n/locales/errors.en';
import { errorsFr } from '../../i18n/locales/errors.fr';
import { en } from '../../i18n/locales/en';
import { bookingEn } from '../../i18n/locales/ui/booking.en';
import { recordsAr } from '../../i18n/locales/ui/records.ar';
import { recordsEn } from '../../i18n/locales/ui/records.en';
import { recordsFr } from '../../i18n/locales/ui/records.fr';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { loadPhoneNumber } from '../../services/shared/loadPhoneNumber';
import DeskBookingDialog from './DeskBookingDialog';

beforeAll(async () => {
  installDialogShim();
  await loadPhoneNumber(); // the phone parser is a lazy chunk: loaded before any assertion
});
afterEach(() => cleanup());
vi.mock('../../i18n/translator', async (real) =>
  (await import('../../../test/fixtures/heldErrorTexts')).withHeldErrorTexts(await real()),
);

const MORNINGS = Object.fromEntries(
  [0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: '09:00', end: '12:00' }]]),
);

async function desk(bookingMode: 'slotted' | 'fluid', lng: Language = 'en', offeredBy?: readonly string[]) {
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
    staffUserIds: ['owner-1'],
  });
  made.reportsRepo.patients.set(clinicId, []);
  // types19: the type offered by these doctors only (as the types tab saves it)
  if (offeredBy)
    made.clinicWorld.types.set(
      clinicId,
      made.clinicWorld.types.get(clinicId)!.map((x) => ({ ...x, practitionerIds: offeredBy })),
    );
  const onClose = vi.fn();
  await renderWithServices(
    <DeskBookingDialog
      clinicId={clinicId}
      practitioners={[
        { id: 'doc-1', displayName: 'Dr Idrissi', role: 'practitioner' },
        { id: 'own-1', displayName: 'Dr Owner', role: 'owner' },
        ...(offeredBy ? [{ id: 'doc-2', displayName: 'Dr Zahra', role: 'practitioner' }] : []),
      ]}
      onClose={onClose}
    />,
    made.services,
    { lng, page: ['dash', 'records'] },
  );
  const dialog = within(await screen.findByTestId('desk-booking'));
  return { made, clinicId, typeId, onClose, dialog };
}

const confirmButton = (name: string) => screen.getByRole('button', { name });
const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
/** Amina Alaoui, a patient of the clinic (p-amina): found by the desk search and chosen for the booking. */
async function chooseKnownPatient(made: Awaited<ReturnType<typeof desk>>['made'], clinicId: string) {
  made.bookingWorld.addPatient(clinicId, 'p-amina', 'Amina Alaoui', null, '+212612345678');
  made.reportsRepo.patients.set(clinicId, [
    { id: 'p-amina', fullName: 'Amina Alaoui', phone: '+212612345678', lastDay: null, lastTicket: null },
  ]);
  type(recordsEn.bookName, 'Amina');
  fireEvent.click(
    await screen.findByRole('button', { name: recordsEn.bookUse.replace('{{name}}', 'Amina Alaoui') }),
  );
}

describe('DeskBookingDialog (issue 17)', () => {
  it('offers only the doctors who offer the visit type (types19), and “any doctor”', async () => {
    await desk('slotted', 'en', ['doc-2']);
    const doctors = within(screen.getByLabelText(recordsEn.bookPractitioner)).getAllByRole('option');
    expect(doctors.map((o) => o.textContent)).toEqual(['Any doctor', 'Dr Zahra']);
  });

  it('DR1: offers the owner who sees patients by name, also when a type is offered by the owner alone', async () => {
    await desk('slotted', 'en', ['own-1']);
    const doctors = within(screen.getByLabelText(recordsEn.bookPractitioner)).getAllByRole('option');
    expect(doctors.map((o) => o.textContent)).toEqual(['Any doctor', 'Dr Owner']);
  });

  it('says what is missing, on the field, and books nothing: the phone, the name, then the slot', async () => {
    const { made } = await desk('slotted');
    // DR1: a doctor is a practitioner or an owner (private.book takes both since 20261220900001)
    const doctors = within(screen.getByLabelText(recordsEn.bookPractitioner)).getAllByRole('option');
    expect(doctors.map((o) => o.textContent)).toEqual(['Any doctor', 'Dr Idrissi', 'Dr Owner']);
    fireEvent.click(confirmButton(recordsEn.bookConfirm));
    expect((await screen.findByRole('alert')).textContent).toBe(recordsEn.bookPhoneRequired);
    expect(document.activeElement).toBe(screen.getByLabelText(recordsEn.bookPhone));
    type(recordsEn.bookPhone, '0612000447');
    fireEvent.click(confirmButton(recordsEn.bookConfirm));
    expect((await screen.findByRole('alert')).textContent).toBe(recordsEn.bookNameRequired);
    expect(document.activeElement).toBe(screen.getByLabelText(recordsEn.bookName));
    type(recordsEn.bookName, 'سلمى 🌙');
    await screen.findByTestId('slots');
    fireEvent.click(confirmButton(recordsEn.bookConfirm));
    expect((await screen.findByRole('alert')).textContent).toBe(recordsEn.bookPickSlot);
    expect(made.bookingWorld.visits).toHaveLength(0);
    expect(made.bookingWorld.patients.size).toBe(0);
  });

  it('H2 the chosen doctor’s slots: a doctor on leave that day offers none; "any doctor" offers the clinic’s again', async () => {
    const { made } = await desk('slotted');
    made.bookingWorld.leave.push({ practitionerId: 'doc-1', fromDay: '2026-11-24', toDay: '2026-12-31' });
    const anyDoctor = within(await screen.findByTestId('slots')).getAllByRole('button').length;
    expect(anyDoctor).toBeGreaterThan(0);
    fireEvent.change(screen.getByLabelText(recordsEn.bookPractitioner), { target: { value: 'doc-1' } });
    expect(await screen.findByText(bookingEn.noSlots)).toBeTruthy();
    expect(screen.queryByTestId('slots')).toBeNull();
    fireEvent.change(screen.getByLabelText(recordsEn.bookPractitioner), { target: { value: 'any' } });
    expect(within(await screen.findByTestId('slots')).getAllByRole('button')).toHaveLength(anyDoctor);
  });

  it('a malformed phone is refused on the phone field (PHONE.INVALID) and nothing is written', async () => {
    const { made } = await desk('slotted');
    type(recordsEn.bookPhone, '06 12 ab');
    type(recordsEn.bookName, 'Salma');
    const slots = await screen.findByTestId('slots');
    fireEvent.click(within(slots).getAllByRole('button')[2]!);
    fireEvent.click(confirmButton(recordsEn.bookConfirm));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(en.errors['PHONE.INVALID']));
    expect(screen.getByLabelText(recordsEn.bookPhone).getAttribute('aria-invalid')).toBe('true');
    expect(made.bookingWorld.patients.size).toBe(0);
    expect(made.bookingWorld.visits).toHaveLength(0);
  });

  it('a new caller: books the chosen slot once on a double click, in E.164, confirms with the ticket and closes', async () => {
    const { made, onClose } = await desk('slotted');
    type(recordsEn.bookPhone, '06 12 00 04 47');
    type(recordsEn.bookName, 'سلمى 🌙');
    const slots = await screen.findByTestId('slots');
    const chosen = within(slots).getAllByRole('button')[1]!;
    const time = chosen.textContent ?? '';
    expect(time).toMatch(/^\d\d:\d\d$/);
    fireEvent.click(chosen);
    const sent = vi.spyOn(made.services.booking, 'deskBook');
    const confirm = confirmButton(recordsEn.bookConfirm);
    // both clicks before React renders again (the busy flag comes late, as react-query's isPending does)
    act(() => {
      confirm.click();
      confirm.click();
    });
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(sent).toHaveBeenCalledTimes(1);
    expect(made.bookingWorld.visits).toHaveLength(1);
    expect(made.bookingWorld.patients.size).toBe(1);
    const [patient] = [...made.bookingWorld.patients.values()];
    expect(patient).toMatchObject({ fullName: 'سلمى 🌙', phone: '+212612000447', userId: null });
    const toast = await screen.findByText(/سلمى 🌙/);
    expect(toast.textContent).toMatch(new RegExp(`^Booked A-\\d+ for سلمى 🌙, .* ${time}\\.$`));
  });

  it('a server refusal shows its coded message in the desk’s language (ar) and keeps the form', async () => {
    const { made, clinicId, typeId, onClose } = await desk('slotted', 'ar');
    type(recordsAr.bookPhone, '0612000447');
    type(recordsAr.bookName, 'سلمى');
    const slots = await screen.findByTestId('slots');
    fireEvent.click(within(slots).getAllByRole('button')[0]!);
    // another desk takes that slot (today's first free one) meanwhile (capacity 1)
    const free = await made.services.booking.freeSlots({
      clinicId,
      from: '2026-11-24',
      to: '2026-11-24',
      appointmentTypeId: typeId,
    });
    if (!free.ok) throw new Error(free.error.code);
    made.bookingWorld.addPatient(clinicId, 'p-other', 'Other');
    const other = await made.services.booking.staffBook({
      clinicId,
      patientId: 'p-other',
      slotStart: free.value[0]!.start,
      appointmentTypeId: typeId,
    });
    if (!other.ok) throw new Error(other.error.code);
    fireEvent.click(confirmButton(recordsAr.bookConfirm));
    const alert = await screen.findByTestId('desk-booking-error');
    expect(Object.values(errorsAr.errors)).toContain(alert.textContent);
    expect(alert.textContent).not.toBe(errorsEn.errors['BOOKING.SLOT_FULL']);
    expect(onClose).not.toHaveBeenCalled();
    expect((screen.getByLabelText(recordsAr.bookName) as HTMLInputElement).value).toBe('سلمى');
    expect(made.bookingWorld.visits).toHaveLength(1);
  });

  it('a refusal that arrives before the error texts have loaded is said in words once they are (not "Chargement…")', async () => {
    const release = holdErrorTexts();
    const { made, clinicId, typeId } = await desk('slotted', 'fr');
    type(recordsFr.bookPhone, '0612000447');
    type(recordsFr.bookName, 'Salma');
    const slots = await screen.findByTestId('slots');
    fireEvent.click(within(slots).getAllByRole('button')[0]!);
    // another desk takes that slot (today's first free one) meanwhile (capacity 1)
    const free = await made.services.booking.freeSlots({
      clinicId,
      from: '2026-11-24',
      to: '2026-11-24',
      appointmentTypeId: typeId,
    });
    if (!free.ok) throw new Error(free.error.code);
    made.bookingWorld.addPatient(clinicId, 'p-other', 'Other');
    const other = await made.services.booking.staffBook({
      clinicId,
      patientId: 'p-other',
      slotStart: free.value[0]!.start,
      appointmentTypeId: typeId,
    });
    if (!other.ok) throw new Error(other.error.code);
    fireEvent.click(confirmButton(recordsFr.bookConfirm));
    expect((await screen.findByTestId('desk-booking-error')).textContent).toBe('Chargement…');
    release();
    await waitFor(() =>
      expect(screen.getByTestId('desk-booking-error').textContent).toBe(errorsFr.errors['BOOKING.SLOT_FULL']),
    );
  });

  it('a patient found by the desk search is booked a fluid day’s place (no time)', async () => {
    const { made, clinicId, onClose } = await desk('fluid');
    await chooseKnownPatient(made, clinicId);
    expect(screen.getByTestId('desk-booking-patient').textContent).toBe(
      recordsEn.bookFor.replace('{{name}}', 'Amina Alaoui'),
    );
    const days = await screen.findByTestId('fluid-days');
    expect(screen.queryByTestId('slots')).toBeNull();
    fireEvent.click(within(days).getAllByRole('button')[1]!); // tomorrow, 2026-11-25
    fireEvent.click(confirmButton(recordsEn.bookConfirm));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(made.bookingWorld.visits).toHaveLength(1);
    expect(made.bookingWorld.visits[0]).toMatchObject({ patientId: 'p-amina' });
    expect(made.bookingWorld.patients.size).toBe(1); // nobody new
    expect((await screen.findByText(/in the line of/)).textContent).toMatch(
      /^Booked A-\d+ for Amina Alaoui, /,
    );
  });

  it('F7 a fluid type takes a doctor as a slotted one does: the days listed are hers (not her leave) and the place is in her line', async () => {
    const { made, clinicId, onClose } = await desk('fluid');
    // Dr Idrissi is on leave tomorrow (2026-11-25)
    made.bookingWorld.leave.push({ practitionerId: 'doc-1', fromDay: '2026-11-25', toDay: '2026-11-25' });
    await chooseKnownPatient(made, clinicId);
    // the same doctor choice as for a slotted type (DR1: the owner too)
    const doctors = within(screen.getByLabelText(recordsEn.bookPractitioner)).getAllByRole('option');
    expect(doctors.map((o) => o.textContent)).toEqual(['Any doctor', 'Dr Idrissi', 'Dr Owner']);
    const dayButtons = async () => within(await screen.findByTestId('fluid-days')).getAllByRole('button');
    const anyDoctor = (await dayButtons()).map((b) => b.textContent);
    expect(anyDoctor.length).toBeGreaterThan(2);
    fireEvent.change(screen.getByLabelText(recordsEn.bookPractitioner), { target: { value: 'doc-1' } });
    // her leave day (the second of the list for "any doctor") is gone, every other day stays
    await waitFor(async () => expect(await dayButtons()).toHaveLength(anyDoctor.length - 1));
    const hers = (await dayButtons()).map((b) => b.textContent);
    expect(hers).toEqual(anyDoctor.filter((_, i) => i !== 1));
    const sent = vi.spyOn(made.services.booking, 'deskBook');
    fireEvent.click((await dayButtons())[1]!); // 2026-11-26
    fireEvent.click(confirmButton(recordsEn.bookConfirm));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(sent).toHaveBeenCalledWith(
      expect.objectContaining({
        day: '2026-11-26',
        practitionerId: 'doc-1',
        patient: { patientId: 'p-amina' },
      }),
    );
    expect(made.bookingWorld.visits).toHaveLength(1);
    expect(made.bookingWorld.visits[0]).toMatchObject({ patientId: 'p-amina', practitionerId: 'doc-1' });
  });
});
