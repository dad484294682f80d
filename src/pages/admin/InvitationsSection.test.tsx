// @vitest-environment jsdom
// The members tab's pending invitations on the in-memory services (issue 17): an owner sees who was invited
// (contact left-to-right even in Arabic), revokes one after confirming, and a refusal shows its coded message.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { installDialogShim } from '../../../test/fixtures/dialogShim';
import { ManualClock } from '../../services/shared/Clock';
import { MembersTab } from './MembersTab';

beforeAll(installDialogShim);
afterEach(() => cleanup());

async function setup(opts: { lng?: 'en' | 'fr' | 'ar'; invite?: boolean } = {}) {
  const clock = new ManualClock('2026-11-24T08:00:00Z');
  const made = createInMemoryServices({ actorId: 'me', clock });
  made.clinicWorld.addUser('me', { email: 'me@example.test' });
  const created = await made.services.clinic.createClinic({
    name: 'Atlas',
    slug: 'atlas',
    displayName: 'Dr Me',
  });
  if (!created.ok) throw new Error(created.error.code);
  const { clinicId, memberId } = created.value;
  const ids: string[] = [];
  if (opts.invite !== false) {
    for (const inv of [
      { role: 'practitioner' as const, displayName: 'Dr Salma', email: 'salma@example.test' },
      { role: 'receptionist' as const, displayName: 'Youssef', phone: '+212612345678' },
    ]) {
      const r = await made.services.staff.invite(clinicId, inv);
      if (!r.ok) throw new Error(r.error.code);
      ids.push(r.value.invitationId);
    }
  }
  await renderWithServices(<MembersTab clinicId={clinicId} canInvite myRole="owner" />, made.services, {
    lng: opts.lng ?? 'en',
    page: ['admin', 'dash'],
  });
  const pendingIds = async () => {
    const r = await made.services.staff.invitations(clinicId);
    if (!r.ok) throw new Error(r.error.code);
    return r.value.filter((i) => !i.revokedAt && !i.acceptedAt).map((i) => i.id);
  };
  return { ids, pendingIds, world: made.clinicWorld, memberId, clock };
}

describe('pending invitations on the members tab', () => {
  it('lists each pending invitation with its contact (left-to-right), role and expiry', async () => {
    const { ids } = await setup({ lng: 'ar' });
    const salma = await screen.findByTestId(`invitation-${ids[0]}`);
    expect(within(salma).getByText('Dr Salma')).toBeTruthy();
    expect(within(salma).getByText('salma@example.test').getAttribute('dir')).toBe('ltr');
    expect(within(salma).getByText(/^تنتهي في /)).toBeTruthy();
    const youssef = screen.getByTestId(`invitation-${ids[1]}`);
    expect(within(youssef).getByText('+212612345678').getAttribute('dir')).toBe('ltr');
    expect(within(youssef).getByRole('button', { name: 'إلغاء دعوة Youssef' })).toBeTruthy();
  });

  it('revokes an invitation only after confirming, then says so and drops it from the list', async () => {
    const { ids, pendingIds } = await setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke the invitation of Dr Salma' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke this invitation?' });
    // cancelling changes nothing
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(await pendingIds()).toEqual(ids);
    fireEvent.click(screen.getByRole('button', { name: 'Revoke the invitation of Dr Salma' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    await screen.findByText('Invitation revoked');
    await waitFor(() => expect(screen.queryByTestId(`invitation-${ids[0]}`)).toBeNull());
    expect(screen.getByTestId(`invitation-${ids[1]}`)).toBeTruthy();
    expect(await pendingIds()).toEqual([ids[1]]);
  });

  it('shows an empty state when nobody is invited', async () => {
    await setup({ lng: 'fr', invite: false });
    expect(await screen.findByText('Aucune invitation en attente.')).toBeTruthy();
  });

  it('a revoke the server refuses shows the coded message and revokes nothing', async () => {
    const { ids, pendingIds, world, memberId } = await setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke the invitation of Youssef' }));
    // meanwhile this owner lost their rights: revoke_staff_invitation refuses
    world.members.set(memberId, { ...world.members.get(memberId)!, role: 'practitioner' });
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    // the database answers NOT_FOUND (it does not tell an outsider the invitation exists): its coded text
    expect((await screen.findByTestId('toast-error')).textContent).toContain('Not found.');
    world.members.set(memberId, { ...world.members.get(memberId)!, role: 'owner' });
    expect(await pendingIds()).toEqual(ids);
  });

  it('resends an expired invitation: a new link in its row, 7 days from now; the old link stops working', async () => {
    const { ids, world, clock } = await setup();
    await screen.findByTestId(`invitation-${ids[0]}`);
    const oldToken = world.invitations.get(ids[0]!)!.token;
    clock.set('2026-12-05T08:00:00Z'); // 11 days later: the 7-day link has expired
    fireEvent.click(screen.getByRole('button', { name: 'Resend the invitation of Dr Salma' }));
    await screen.findByText('New link ready: send it again');
    const link = (await screen.findByTestId(`invitation-link-${ids[0]}`)).textContent ?? '';
    const stored = world.invitations.get(ids[0]!)!;
    expect(link).toBe(`${window.location.origin}/invite/${stored.token}`);
    expect(stored.token).not.toBe(oldToken);
    expect(stored.expiresAt).toBe('2026-12-12T08:00:00.000Z');
    // the other invitation is untouched and shows no link
    expect(screen.queryByTestId(`invitation-link-${ids[1]}`)).toBeNull();
  });

  it('a resend the server refuses shows the coded message in the reader’s language and shows no link', async () => {
    const { ids, world, memberId } = await setup({ lng: 'fr' });
    await screen.findByTestId(`invitation-${ids[1]}`);
    const before = world.invitations.get(ids[1]!)!;
    // meanwhile this owner lost their rights: resend_staff_invitation refuses
    world.members.set(memberId, { ...world.members.get(memberId)!, role: 'practitioner' });
    fireEvent.click(screen.getByRole('button', { name: 'Renvoyer l’invitation de Youssef' }));
    expect((await screen.findByTestId('toast-error')).textContent).toContain(
      "Vous n'avez pas l'autorisation de faire cela.",
    );
    expect(screen.queryByTestId(`invitation-link-${ids[1]}`)).toBeNull();
    expect(world.invitations.get(ids[1]!)).toEqual(before);
  });
});
