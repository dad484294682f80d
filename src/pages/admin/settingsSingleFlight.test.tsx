// @vitest-environment jsdom
// Issue 12 (session 14): the admin settings saves are single-flight — a double click on Save sends one save
// (react-query publishes isPending a macrotask after mutate, so the button was still enabled for the second
// click and the settings were saved twice). In-memory services; each save call is counted at the service.
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { ManualClock } from '../../services/shared/Clock';
import { loadPhoneNumber } from '../../services/shared/loadPhoneNumber';
import { ProfileTab } from './ProfileTab';
import { RulesTab } from './RulesTab';

afterEach(() => cleanup());

async function setup() {
  await loadPhoneNumber(); // the profile form's phone parser is a lazy chunk: loaded before any assertion
  const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
  made.clinicWorld.addUser('owner', { email: 'o@example.test' });
  const created = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
  if (!created.ok) throw new Error(created.error.code);
  const clinic = made.services.clinic;
  const calls = { settings: 0, profile: 0 };
  const updateSettings = clinic.updateSettings.bind(clinic);
  clinic.updateSettings = (...args) => {
    calls.settings += 1;
    return updateSettings(...args);
  };
  const updateProfile = clinic.updateProfile.bind(clinic);
  clinic.updateProfile = (...args) => {
    calls.profile += 1;
    return updateProfile(...args);
  };
  return { services: made.services, clinicId: created.value.clinicId, calls };
}

describe('admin settings saves are single-flight', () => {
  it('a double click on the rules tab’s Save saves the settings once', async () => {
    const { services, clinicId, calls } = await setup();
    await renderWithServices(<RulesTab clinicId={clinicId} canEdit />, services, { page: 'admin' });
    const save = await screen.findByRole('button', { name: 'Save' });
    fireEvent.click(save);
    fireEvent.click(save);
    await screen.findByText('Saved');
    expect(calls.settings).toBe(1);
    // settled: the button saves again (a refused or finished save never leaves it dead)
    fireEvent.click(save);
    await screen.findAllByText('Saved');
    expect(calls.settings).toBe(2);
  }, 20_000); // several renders on a shared 2-core machine; no timed assertion

  it('a double click on the profile tab’s Save saves the profile once', async () => {
    const { services, clinicId, calls } = await setup();
    await renderWithServices(<ProfileTab clinicId={clinicId} canEdit />, services, { page: 'admin' });
    await screen.findByDisplayValue('Atlas'); // the form is filled from the loaded profile first
    const name = screen.getByLabelText('Name');
    fireEvent.change(name, { target: { value: 'Atlas Santé' } });
    // the profile form's own Save: the directory listing section (its own chunk) has one too once it has loaded
    const save = within(name.closest('form')!).getByRole('button', { name: 'Save' });
    fireEvent.click(save);
    fireEvent.click(save);
    await screen.findByText('Saved');
    expect(calls.profile).toBe(1);
    const p = await services.clinic.profile(clinicId);
    expect(p.ok && p.value.name).toBe('Atlas Santé');
  }, 20_000);
});
