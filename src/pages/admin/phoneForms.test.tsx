// @vitest-environment jsdom
// One phone rule for every form (issue 15 item 10): the staff-invitation form (admin members tab) and the
// walk-in / emergency form accept and refuse the same inputs, through the components themselves, and
// both hand on E.164 — the invite RPC used to receive the typed text ('0612000111') and refuse it.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installDialogShim } from '../../../test/fixtures/dialogShim';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { MembersTab } from './MembersTab';
import { PatientFormDialog } from '../dashboard/forms';

afterEach(() => cleanup());
beforeAll(installDialogShim);

const ACCEPTED: readonly [string, string][] = [
  ['0612000111', '+212612000111'],
  ['0612345678', '+212612345678'],
  ['06 12 00 01 11', '+212612000111'],
  ['06-12-00-01-11', '+212612000111'],
  ['0712345678', '+212712345678'],
  ['+212612000111', '+212612000111'],
  ['+212 6 12 00 01 11', '+212612000111'],
  ['00212612000111', '+212612000111'],
  ['٠٦١٢٠٠٠١١١', '+212612000111'],
  ['٠٠٢١٢٦١٢٠٠٠١١١', '+212612000111'],
];
const REFUSED = ['12345', '061200011', '06120001112345', 'abc', '06 12 ab 01 11', '+999 123'];

type Outcome = { ok: true; phone: string | null } | { ok: false };

/** Types `typed` into the invitation form and submits: what the stored invitation got, or refused on the form. */
async function throughInviteForm(typed: string): Promise<Outcome> {
  const { services, clinicWorld } = createInMemoryServices({ actorId: 'owner' });
  clinicWorld.addUser('owner', { email: 'owner@example.test' });
  const made = await services.clinic.createClinic({ name: 'Cabinet', slug: 'cabinet' });
  if (!made.ok) throw new Error(made.error.code);
  const calls = () => [...clinicWorld.invitations.values()];
  await renderWithServices(<MembersTab clinicId={made.value.clinicId} canInvite myRole="owner" />, services, {
    page: 'admin',
  });
  fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Dr Amina' } });
  // an invitation needs an email or a phone (the service and the RPC say so): the email makes a blank phone valid
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'amina@example.test' } });
  fireEvent.change(screen.getByLabelText('Phone'), { target: { value: typed } });
  act(() => screen.getByRole('button', { name: 'Create invitation' }).click());
  // the phone parser loads on demand (issue 14): the form answers once it has read the number
  await waitFor(() =>
    expect(screen.queryByTestId('invite-phone-error') ?? screen.queryByTestId('invite-link')).not.toBeNull(),
  );
  const outcome: Outcome = screen.queryByTestId('invite-phone-error')
    ? { ok: false }
    : { ok: true, phone: calls()[0]?.phone ?? null };
  if (!outcome.ok) expect(calls()).toEqual([]);
  cleanup();
  return outcome;
}

/** Types `typed` into the walk-in (or emergency) form and confirms: what the desk receives, or refused. */
async function throughWalkInForm(typed: string, emergency = false): Promise<Outcome> {
  const submitted: { phone: string }[] = [];
  await renderWithServices(
    <PatientFormDialog
      open
      emergency={emergency}
      practitioners={[]}
      types={[]}
      busy={false}
      onClose={() => {}}
      onSubmit={(v) => submitted.push(v)}
    />,
    createInMemoryServices().services,
    { page: ['admin', 'dash', 'records'] }, // the walk-in form is the desk's (its strings: records.desk.*)
  );
  fireEvent.change(screen.getByLabelText(/Patient name/), { target: { value: 'Karim' } });
  fireEvent.change(screen.getByLabelText('Phone (optional)'), { target: { value: typed } });
  const confirm = screen.getByRole('button', { name: 'Add to queue', hidden: true });
  act(() => {
    fireEvent.submit(confirm.closest('form')!);
  });
  // the phone parser loads on demand (issue 14): the form answers once it has read the number
  await waitFor(() =>
    expect(submitted.length > 0 || screen.queryByTestId('phone-error') !== null).toBe(true),
  );
  const refused = screen.queryByTestId('phone-error') !== null;
  cleanup();
  if (refused) {
    expect(submitted).toEqual([]);
    return { ok: false };
  }
  expect(submitted).toHaveLength(1);
  return { ok: true, phone: submitted[0]!.phone || null };
}

describe('one phone rule for the invitation and walk-in forms', () => {
  it.each(ACCEPTED)('both accept %s and hand on %s', async (typed, e164) => {
    expect(await throughInviteForm(typed)).toEqual({ ok: true, phone: e164 });
    expect(await throughWalkInForm(typed)).toEqual({ ok: true, phone: e164 });
    expect(await throughWalkInForm(typed, true)).toEqual({ ok: true, phone: e164 });
  });

  it.each(REFUSED)('both refuse %s on the form, nothing sent', async (typed) => {
    expect(await throughInviteForm(typed)).toEqual({ ok: false });
    expect(await throughWalkInForm(typed)).toEqual({ ok: false });
  });

  it('a blank phone is no phone in both forms', async () => {
    expect(await throughInviteForm('')).toEqual({ ok: true, phone: null });
    expect(await throughWalkInForm('  ')).toEqual({ ok: true, phone: null });
  });
});
