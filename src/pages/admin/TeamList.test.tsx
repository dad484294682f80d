// @vitest-environment jsdom
// The admin team list on the in-memory services: an owner changes roles and deactivates in one save; the
// last active owner can be neither demoted nor deactivated; an admin cannot touch an owner nor make one.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installDialogShim } from '../../../test/fixtures/dialogShim';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { ManualClock } from '../../services/shared/Clock';
import { MembersTab } from './MembersTab';

beforeAll(installDialogShim);
afterEach(() => cleanup());

type Role = 'owner' | 'admin' | 'practitioner' | 'receptionist';

/** A clinic whose team is `others` plus the signed-in user (`me`, with `myRole`). */
async function setup(myRole: Role, lng: 'en' | 'fr' | 'ar' = 'en') {
  const made = createInMemoryServices({ actorId: 'me', clock: new ManualClock('2026-11-24T08:00:00Z') });
  made.clinicWorld.addUser('me', { email: 'me@example.test' });
  const created = await made.services.clinic.createClinic({
    name: 'Atlas',
    slug: 'atlas',
    displayName: 'Dr Me',
  });
  if (!created.ok) throw new Error(created.error.code);
  const clinicId = created.value.clinicId;
  const meId = created.value.memberId;
  const w = made.clinicWorld.members;
  w.set(meId, { ...w.get(meId)!, role: myRole });
  const add = (id: string, role: Role, displayName: string, room: string | null = null) =>
    w.set(id, { id, clinicId, userId: `u-${id}`, role, displayName, room, active: true });
  if (myRole !== 'owner') add('00000000-0000-4000-8000-00000000000a', 'owner', 'Dr Owner');
  add('00000000-0000-4000-8000-00000000000b', 'admin', 'Amal Admin', '2');
  add('00000000-0000-4000-8000-00000000000c', 'practitioner', 'Dr Chafik');
  await renderWithServices(
    <MembersTab clinicId={clinicId} canInvite={myRole === 'owner' || myRole === 'admin'} myRole={myRole} />,
    made.services,
    { lng: lng, page: ['admin', 'dash'] }, // as AdminPage loads them
  );
  await screen.findByText('Dr Chafik');
  const stored = async () => {
    const r = await made.services.staff.members(clinicId);
    if (!r.ok) throw new Error(r.error.code);
    return Object.fromEntries(r.value.map((m) => [m.displayName, { role: m.role, active: m.active }]));
  };
  const rooms = async () => {
    const r = await made.services.staff.members(clinicId);
    if (!r.ok) throw new Error(r.error.code);
    return Object.fromEntries(r.value.map((m) => [m.displayName, m.room]));
  };
  return { stored, rooms, meId, world: w, history: made.clinicWorld.history, clinicWorld: made.clinicWorld };
}

const roleOptions = (name: string) =>
  within(screen.getByLabelText(`Role of ${name}`))
    .getAllByRole('option')
    .map((o) => o.textContent);
const activeBox = (memberId: string) =>
  within(screen.getByTestId(`member-${memberId}`)).getByRole('checkbox', { name: 'Active' });

describe('the admin team list', () => {
  it("an owner changes a member's role and deactivates another in one save", async () => {
    const { stored } = await setup('owner');
    fireEvent.change(screen.getByLabelText('Role of Dr Chafik'), { target: { value: 'receptionist' } });
    fireEvent.click(activeBox('00000000-0000-4000-8000-00000000000b'));
    act(() => screen.getByRole('button', { name: 'Save team changes' }).click());
    await screen.findByText('Saved');
    expect(await stored()).toEqual({
      'Dr Me': { role: 'owner', active: true },
      'Amal Admin': { role: 'admin', active: false },
      'Dr Chafik': { role: 'receptionist', active: true },
    });
  });

  it.each([
    ['en', 'Save team changes', '2 upcoming visits are still booked with this doctor'],
    ['fr', 'Enregistrer l’équipe', '2 rendez-vous à venir restent prévus avec ce médecin'],
    ['ar', 'حفظ تغييرات الفريق', 'ما زال موعدان قادمان محجوزين مع هذا الطبيب'],
  ] as const)(
    'review20 L1: deactivating a doctor with booked visits says how many are left to move (%s)',
    async (lng, save, text) => {
      const { stored, clinicWorld } = await setup('owner', lng);
      clinicWorld.openVisits.set('00000000-0000-4000-8000-00000000000c', 2);
      expect(screen.queryByTestId('team-future-visits')).toBeNull();
      fireEvent.click(
        within(screen.getByTestId('member-00000000-0000-4000-8000-00000000000c')).getByRole('checkbox'),
      );
      act(() => screen.getByRole('button', { name: save }).click());
      const status = await screen.findByTestId('team-future-visits');
      expect(status.getAttribute('role')).toBe('status');
      expect(status.textContent).toContain(text);
      expect((await stored())['Dr Chafik']).toEqual({ role: 'practitioner', active: false });
    },
  );

  it('never the last owner: the only owner can be neither demoted nor deactivated', async () => {
    const { stored, meId } = await setup('owner');
    const mine = screen.getByLabelText('Role of Dr Me') as HTMLSelectElement;
    expect(mine.disabled).toBe(true);
    expect(roleOptions('Dr Me')).toEqual(['Owner']);
    expect((activeBox(meId) as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText('The clinic needs at least one active owner.')).toBeTruthy();
    // make Amal a second owner: now either could step down, but not both
    fireEvent.change(screen.getByLabelText('Role of Amal Admin'), { target: { value: 'owner' } });
    expect(mine.disabled).toBe(false);
    fireEvent.change(mine, { target: { value: 'admin' } });
    expect((screen.getByLabelText('Role of Amal Admin') as HTMLSelectElement).disabled).toBe(true);
    act(() => screen.getByRole('button', { name: 'Save team changes' }).click());
    await screen.findByText('Saved');
    expect(await stored()).toMatchObject({
      'Dr Me': { role: 'admin', active: true },
      'Amal Admin': { role: 'owner', active: true },
    });
  });

  it('an admin cannot change an owner nor make one', async () => {
    const { stored } = await setup('admin');
    const ownerRow = screen.getByTestId('member-00000000-0000-4000-8000-00000000000a');
    expect(within(ownerRow).queryByRole('combobox')).toBeNull();
    expect(within(ownerRow).queryByRole('checkbox')).toBeNull();
    expect(within(ownerRow).getByText('Only an owner can change an owner.')).toBeTruthy();
    expect(roleOptions('Dr Chafik')).toEqual(['Admin', 'Doctor', 'Receptionist']);
    fireEvent.change(screen.getByLabelText('Role of Dr Chafik'), { target: { value: 'admin' } });
    act(() => screen.getByRole('button', { name: 'Save team changes' }).click());
    await screen.findByText('Saved');
    expect((await stored())['Dr Chafik']).toEqual({ role: 'admin', active: true });
    expect((await stored())['Dr Owner']).toEqual({ role: 'owner', active: true });
  });

  it('a member who is not an admin sees the team read-only, in their language', async () => {
    await setup('practitioner', 'fr');
    expect(screen.getByText('Dr Owner')).toBeTruthy();
    expect(screen.queryAllByRole('combobox')).toEqual([]);
    expect(screen.queryAllByRole('checkbox')).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Enregistrer l’équipe' })).toBeNull();
  });

  it('a save the server refuses changes nobody: the error is shown and the list rolls back', async () => {
    const { stored, meId, world } = await setup('admin');
    fireEvent.change(screen.getByLabelText('Role of Dr Chafik'), { target: { value: 'receptionist' } });
    // meanwhile an owner took this admin's rights away: set_team refuses
    world.set(meId, { ...world.get(meId)!, role: 'practitioner' });
    act(() => screen.getByRole('button', { name: 'Save team changes' }).click());
    await screen.findByText('You do not have permission to do this.');
    await waitFor(() =>
      expect((screen.getByLabelText('Role of Dr Chafik') as HTMLSelectElement).value).toBe('practitioner'),
    );
    expect((await stored())['Dr Chafik']).toEqual({ role: 'practitioner', active: true });
  });

  it('the save button waits for a change', async () => {
    await setup('owner');
    const save = screen.getByRole('button', { name: 'Save team changes' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Role of Dr Chafik'), { target: { value: 'receptionist' } });
    expect(save.disabled).toBe(false);
    fireEvent.change(screen.getByLabelText('Role of Dr Chafik'), { target: { value: 'practitioner' } });
    expect(save.disabled).toBe(true);
  });

  it("an owner sets one member's room and clears another's in the same save (set_team)", async () => {
    const { rooms } = await setup('owner');
    const amalRoom = screen.getByLabelText('Room of Amal Admin') as HTMLInputElement;
    expect(amalRoom.value).toBe('2');
    fireEvent.change(screen.getByLabelText('Room of Dr Chafik'), { target: { value: '  5B ' } });
    fireEvent.change(amalRoom, { target: { value: '  ' } });
    act(() => screen.getByRole('button', { name: 'Save team changes' }).click());
    await screen.findByText('Saved');
    expect(await rooms()).toEqual({ 'Dr Me': null, 'Amal Admin': null, 'Dr Chafik': '5B' });
    expect((screen.getByLabelText('Room of Dr Chafik') as HTMLInputElement).value).toBe('5B');
  });

  it('a member who cannot edit sees rooms read-only, in their language', async () => {
    await setup('practitioner', 'fr');
    expect(screen.queryByLabelText('Salle de Amal Admin')).toBeNull();
    expect(
      within(screen.getByTestId('member-00000000-0000-4000-8000-00000000000b')).getByText('Salle 2'),
    ).toBeTruthy();
  });

  it('an owner removes a member after confirming; cancelling keeps them', async () => {
    const { stored } = await setup('owner');
    const chafik = '00000000-0000-4000-8000-00000000000c';
    fireEvent.click(screen.getByRole('button', { name: 'Remove Dr Chafik' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove Dr Chafik from the team?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(Object.keys(await stored())).toContain('Dr Chafik');
    fireEvent.click(screen.getByRole('button', { name: 'Remove Dr Chafik' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Remove' }));
    await screen.findByText('Removed from the team');
    await waitFor(() => expect(screen.queryByTestId(`member-${chafik}`)).toBeNull());
    expect(Object.keys(await stored()).sort()).toEqual(['Amal Admin', 'Dr Me']);
  });

  it("the last owner cannot be removed; if the server finds it so, its coded error shows in the user's language", async () => {
    const { stored, meId, world } = await setup('owner', 'fr');
    expect((screen.getByRole('button', { name: 'Retirer Dr Me' }) as HTMLButtonElement).disabled).toBe(true);
    // Amal becomes a second owner (another session); the list learns it after a save
    const amal = '00000000-0000-4000-8000-00000000000b';
    world.set(amal, { ...world.get(amal)!, role: 'owner' });
    fireEvent.change(screen.getByLabelText('Salle de Dr Chafik'), { target: { value: '3' } });
    act(() => screen.getByRole('button', { name: 'Enregistrer l’équipe' }).click());
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Retirer Dr Me' }) as HTMLButtonElement).disabled).toBe(
        false,
      ),
    );
    // …and is demoted again elsewhere before this owner removes themself: the database refuses
    world.set(amal, { ...world.get(amal)!, role: 'admin' });
    fireEvent.click(screen.getByRole('button', { name: 'Retirer Dr Me' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Retirer' }));
    // remove_member's own code (MEMBER.LAST_OWNER), not the generic "invalid input"
    expect((await screen.findByTestId('toast-error')).textContent).toContain(
      'Le cabinet doit garder au moins un propriétaire actif.',
    );
    expect((await stored())['Dr Me']).toEqual({ role: 'owner', active: true });
    expect(world.has(meId)).toBe(true);
  });

  it('a member with visits on record is not removed: the dialog says why and deactivates them instead', async () => {
    const { stored, history } = await setup('owner');
    const chafik = '00000000-0000-4000-8000-00000000000c';
    history.add(chafik); // Dr Chafik has seen patients (remove_member: MEMBER.HAS_HISTORY)
    fireEvent.click(screen.getByRole('button', { name: 'Remove Dr Chafik' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Remove' }));
    const dialog = await screen.findByRole('dialog', {
      description: /This member has visits on record, so they cannot be removed\./,
    });
    expect(screen.queryByText('Removed from the team')).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Deactivate instead' }));
    await screen.findByText('Deactivated: they can no longer work in this clinic');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await stored())['Dr Chafik']).toEqual({ role: 'practitioner', active: false });
  });

  it('a save that would leave no active owner, refused by the server, says so in the reader’s language (MEMBER.LAST_OWNER)', async () => {
    const { stored, meId, world } = await setup('owner', 'ar');
    const myBox = () =>
      within(screen.getByTestId(`member-${meId}`)).getByRole<HTMLInputElement>('checkbox', { name: 'نشط' });
    const amal = '00000000-0000-4000-8000-00000000000b';
    // Amal becomes a second owner (another session); the list learns it after a save
    world.set(amal, { ...world.get(amal)!, role: 'owner' });
    fireEvent.change(screen.getByLabelText('قاعة Dr Chafik'), { target: { value: '3' } });
    act(() => screen.getByRole('button', { name: 'حفظ تغييرات الفريق' }).click());
    await waitFor(() => expect(myBox().disabled).toBe(false));
    // …and is demoted again elsewhere before this owner deactivates themself: set_team refuses
    world.set(amal, { ...world.get(amal)!, role: 'admin' });
    fireEvent.click(myBox());
    act(() => screen.getByRole('button', { name: 'حفظ تغييرات الفريق' }).click());
    expect((await screen.findByTestId('toast-error')).textContent).toContain(
      'يجب أن يبقى للعيادة مالك نشط واحد على الأقل.',
    );
    expect((await stored())['Dr Me']).toEqual({ role: 'owner', active: true });
  });
});
