// @vitest-environment jsdom
// The visit types tab on the in-memory services (issue 17): add, rename, archive after a confirmation and
// restore, each saved through the clinic service; a refused name is said next to its field with what was typed
// kept and nothing stored changed; empty and failed loads say so; Arabic; read-only for non-admins.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installDialogShim } from '../../../test/fixtures/dialogShim';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { ManualClock } from '../../services/shared/Clock';
import { appError, ErrorCodes } from '../../services/shared/AppError';
import { err } from '../../services/shared/Result';
import TypesTab from './TypesTab';

afterEach(() => cleanup());
beforeAll(installDialogShim);

async function setup(
  opts: { lng?: 'en' | 'ar'; types?: boolean; canEdit?: boolean; failLoad?: boolean } = {},
) {
  const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
  made.clinicWorld.addUser('owner', { email: 'o@example.test' });
  const created = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
  if (!created.ok) throw new Error(created.error.code);
  const clinicId = created.value.clinicId;
  if (opts.types !== false) {
    const saved = await made.services.clinic.saveVisitTypes(clinicId, [
      { name: 'Consultation', durationMinutes: 15 },
      { name: 'Échographie', durationMinutes: 30 },
    ]);
    if (!saved.ok) throw new Error(saved.error.code);
  }
  // two doctors and a receptionist (only doctors can offer a type)
  const team = made.clinicWorld.members;
  const add = (id: string, role: 'practitioner' | 'receptionist', displayName: string) =>
    team.set(id, { id, clinicId, userId: `u-${id}`, role, displayName, room: null, active: true });
  add(DR_AMINA, 'practitioner', 'Dr Amina');
  add(DR_BILAL, 'practitioner', 'Dr Bilal');
  add('00000000-0000-4000-8000-0000000000c3', 'receptionist', 'Rania Desk');
  let failing = opts.failLoad === true;
  const visitTypes = made.services.clinic.visitTypes.bind(made.services.clinic);
  made.services.clinic.visitTypes = (id: string) =>
    failing ? Promise.resolve(err(appError(ErrorCodes.INTERNAL, 'offline'))) : visitTypes(id);
  await renderWithServices(<TypesTab clinicId={clinicId} canEdit={opts.canEdit ?? true} />, made.services, {
    lng: opts.lng ?? 'en',
    page: 'admin',
  });
  const stored = async () => {
    const r = await visitTypes(clinicId);
    if (!r.ok) throw new Error(r.error.code);
    return r.value.map((t) => [t.name, t.durationMinutes, t.active]);
  };
  return { ...made, clinicId, stored, recover: () => (failing = false) };
}

const DR_AMINA = '00000000-0000-4000-8000-0000000000c1';
const DR_BILAL = '00000000-0000-4000-8000-0000000000c2';
const row = (name: string) => screen.getByText(name).closest('li')!;

describe('TypesTab', () => {
  it('adds a visit type with its length', async () => {
    const { stored } = await setup();
    await screen.findByText('Consultation');
    fireEvent.change(screen.getByLabelText('New visit type'), { target: { value: 'Vaccination' } });
    fireEvent.change(screen.getByLabelText('Minutes'), { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add type' }));
    await screen.findByText('Saved');
    await screen.findByText('Vaccination');
    expect(await stored()).toEqual([
      ['Consultation', 15, true],
      ['Échographie', 30, true],
      ['Vaccination', 10, true],
    ]);
    expect((screen.getByLabelText('New visit type') as HTMLInputElement).value).toBe('');
  });

  it('refuses a name already used: says so next to the field, keeps what was typed, changes nothing', async () => {
    const { stored } = await setup();
    await screen.findByText('Consultation');
    fireEvent.change(screen.getByLabelText('New visit type'), { target: { value: ' consultation ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add type' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'A visit type with this name already exists.',
    );
    expect((screen.getByLabelText('New visit type') as HTMLInputElement).value).toBe(' consultation ');
    expect(await stored()).toEqual([
      ['Consultation', 15, true],
      ['Échographie', 30, true],
    ]);
  });

  it('renames a type; an empty name is refused in place', async () => {
    const { stored } = await setup();
    await screen.findByText('Consultation');
    fireEvent.click(within(row('Consultation')).getByRole('button', { name: 'Edit Consultation' }));
    const form = screen.getByRole('form', { name: 'Edit “Consultation”' });
    const field = within(form).getByLabelText('Name (default)');
    fireEvent.change(field, { target: { value: '   ' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('Enter a name of 1 to 120 characters.');
    fireEvent.change(field, { target: { value: 'Consultation générale' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await screen.findByText('Consultation générale');
    expect(await stored()).toEqual([
      ['Consultation générale', 15, true],
      ['Échographie', 30, true],
    ]);
  });

  it('gives a type its name in each language and a colour; an empty language is left out', async () => {
    const { services, clinicId } = await setup();
    await screen.findByText('Consultation');
    fireEvent.click(within(row('Consultation')).getByRole('button', { name: 'Edit Consultation' }));
    const form = screen.getByRole('form', { name: 'Edit “Consultation”' });
    fireEvent.change(within(form).getByLabelText('Name in Arabic'), { target: { value: 'استشارة' } });
    fireEvent.change(within(form).getByLabelText('Name in English'), { target: { value: '  ' } });
    fireEvent.click(within(form).getByLabelText('Green'));
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved');
    const r = await services.clinic.visitTypes(clinicId);
    expect(r.ok && r.value.map((t) => [t.name, t.names, t.color])).toEqual([
      ['Consultation', { ar: 'استشارة' }, '#16a34a'],
      ['Échographie', {}, null],
    ]);
    // the public page reads them: the reader's language, else the default name
    const pub = await services.booking.publicClinic(clinicId);
    expect(pub.ok && pub.value.appointmentTypes.map((t) => [t.names, t.color])).toEqual([
      [{ ar: 'استشارة' }, '#16a34a'],
      [{}, null],
    ]);
  });

  it('says a refused name in one language next to the form, what was typed kept', async () => {
    const { stored } = await setup();
    await screen.findByText('Consultation');
    fireEvent.click(within(row('Consultation')).getByRole('button', { name: 'Edit Consultation' }));
    const form = screen.getByRole('form', { name: 'Edit “Consultation”' });
    const french = within(form).getByLabelText('Name in French');
    fireEvent.change(french, { target: { value: 'x'.repeat(121) } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect((await within(form).findByRole('alert')).textContent).toBe(
      'A name per language is at most 120 characters.',
    );
    expect((french as HTMLInputElement).value).toHaveLength(121);
    expect(await stored()).toEqual([
      ['Consultation', 15, true],
      ['Échographie', 30, true],
    ]);
  });

  it('says which doctors offer a type (none ticked: every doctor); only doctors are offered', async () => {
    const { services, clinicId } = await setup();
    await screen.findByText('Échographie');
    fireEvent.click(within(row('Échographie')).getByRole('button', { name: 'Edit Échographie' }));
    const form = screen.getByRole('form', { name: 'Edit “Échographie”' });
    const doctors = await within(form).findByRole('group', { name: 'Doctors who offer it' });
    expect(within(doctors).queryByLabelText('Rania Desk')).toBeNull();
    fireEvent.click(await within(doctors).findByLabelText('Dr Amina'));
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved');
    const typesOf = async () => {
      const r = await services.clinic.visitTypes(clinicId);
      if (!r.ok) throw new Error(r.error.code);
      return r.value.map((t) => [t.name, t.practitionerIds]);
    };
    expect(await typesOf()).toEqual([
      ['Consultation', null],
      ['Échographie', [DR_AMINA]],
    ]);
    // untick her again: every doctor
    fireEvent.click(within(row('Échographie')).getByRole('button', { name: 'Edit Échographie' }));
    const again = screen.getByRole('form', { name: 'Edit “Échographie”' });
    fireEvent.click(await within(again).findByLabelText('Dr Amina'));
    fireEvent.click(within(again).getByRole('button', { name: 'Save' }));
    await waitFor(async () => expect((await typesOf())[1]).toEqual(['Échographie', null]));
  });

  it('DR1: offers the owner who sees patients as a doctor of a type', async () => {
    const { services, clinicId, clinicWorld } = await setup();
    const owner = [...clinicWorld.members.values()].find(
      (m) => m.clinicId === clinicId && m.role === 'owner',
    )!;
    clinicWorld.members.set(owner.id, { ...owner, displayName: 'Dr Karim Alaoui' });
    await screen.findByText('Échographie');
    fireEvent.click(within(row('Échographie')).getByRole('button', { name: 'Edit Échographie' }));
    const form = screen.getByRole('form', { name: 'Edit “Échographie”' });
    const doctors = await within(form).findByRole('group', { name: 'Doctors who offer it' });
    fireEvent.click(await within(doctors).findByLabelText('Dr Karim Alaoui'));
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved');
    const r = await services.clinic.visitTypes(clinicId);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.find((t) => t.name === 'Échographie')?.practitionerIds).toEqual([owner.id]);
  });

  it('archives a type only after the confirmation, and restores it', async () => {
    const { stored } = await setup();
    await screen.findByText('Échographie');
    fireEvent.click(within(row('Échographie')).getByRole('button', { name: 'Archive Échographie' }));
    const ask = screen.getByRole('dialog', { name: 'Archive “Échographie”?' });
    fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' }));
    expect(await stored()).toEqual([
      ['Consultation', 15, true],
      ['Échographie', 30, true],
    ]);
    fireEvent.click(within(row('Échographie')).getByRole('button', { name: 'Archive Échographie' }));
    const again = screen.getByRole('dialog', { name: 'Archive “Échographie”?' });
    fireEvent.click(within(again).getByRole('button', { name: 'Archive' }));
    const archived = await screen.findByTestId('types-archived');
    await within(archived).findByText('Échographie');
    expect(await stored()).toEqual([
      ['Consultation', 15, true],
      ['Échographie', 30, false],
    ]);
    fireEvent.click(within(archived).getByRole('button', { name: 'Restore Échographie' }));
    await waitFor(() => expect(screen.queryByTestId('types-archived')).toBeNull());
    expect(await stored()).toEqual([
      ['Consultation', 15, true],
      ['Échographie', 30, true],
    ]);
  });

  it('says when the clinic has no types yet, and when the list cannot be loaded (then retries)', async () => {
    await setup({ types: false });
    await screen.findByText('No visit types yet');
    cleanup();
    const { recover } = await setup({ failLoad: true });
    expect((await screen.findByRole('alert')).textContent).toBe('The visit types could not be loaded.');
    recover();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('Consultation');
  });

  it('speaks Arabic: adds and asks before archiving in Arabic', async () => {
    const { stored } = await setup({ lng: 'ar' });
    await screen.findByText('Consultation');
    fireEvent.change(screen.getByLabelText('نوع زيارة جديد'), { target: { value: 'تلقيح' } });
    fireEvent.click(screen.getByRole('button', { name: 'إضافة النوع' }));
    await screen.findByText('تلقيح');
    fireEvent.click(within(row('تلقيح')).getByRole('button', { name: 'أرشفة تلقيح' }));
    const ask = screen.getByRole('dialog', { name: 'أرشفة «تلقيح»؟' });
    fireEvent.click(within(ask).getByRole('button', { name: 'أرشفة' }));
    await within(await screen.findByTestId('types-archived')).findByText('تلقيح');
    expect((await stored()).find((t) => t[0] === 'تلقيح')).toEqual(['تلقيح', 15, false]);
  });

  it('is read-only for a member who is not an owner or admin', async () => {
    await setup({ canEdit: false });
    await screen.findByText('Consultation');
    expect(screen.queryByLabelText('New visit type')).toBeNull();
    expect(screen.queryByRole('button', { name: /Archive|Edit/ })).toBeNull();
  });
});
