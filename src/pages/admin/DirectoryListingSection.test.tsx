// @vitest-environment jsdom
// The profile tab's "Clinic directory" section (dir20; D1, D3) on the in-memory services: not listed by default;
// listing without a city is refused on the field and stores nothing; with a city it is saved and listed; a
// non-editing member sees it read-only.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import DirectoryListingSection from './DirectoryListingSection';

afterEach(() => cleanup());

async function setup(canEdit: boolean) {
  const made = createInMemoryServices({ actorId: 'owner' });
  made.clinicWorld.addUser('owner', { email: 'o@example.test' });
  const c = await made.services.clinic.createClinic({
    name: 'Atlas',
    slug: 'atlas',
    displayName: 'Dr Atlas',
  });
  if (!c.ok) throw new Error(c.error.code);
  await renderWithServices(
    <DirectoryListingSection clinicId={c.value.clinicId} canEdit={canEdit} />,
    made.services,
  );
  const form = await screen.findByRole('form', { name: 'Clinic directory' });
  return { ...made, clinicId: c.value.clinicId, form };
}

describe('DirectoryListingSection', () => {
  it('D1/D3 starts unlisted; listing needs a city; saved, the clinic is listed', async () => {
    const { services, clinicId, form } = await setup(true);
    expect(screen.getByTestId('directory-listing-state').textContent).toBe('Not listed');
    act(() => within(form).getByLabelText('List this clinic in the directory').click());
    act(() => within(form).getByRole('button', { name: 'Save' }).click());
    expect(within(form).getByRole('alert').textContent).toContain('A listed clinic needs a city');
    const unchanged = await (await services.directory()).listing(clinicId);
    expect(unchanged.ok && unchanged.value.listed).toBe(false);

    fireEvent.change(within(form).getByLabelText('City'), { target: { value: 'Ifrane' } });
    fireEvent.change(within(form).getByLabelText('Specialty'), { target: { value: 'ent' } });
    act(() => within(form).getByRole('button', { name: 'Save' }).click());
    await waitFor(() =>
      expect(screen.getByTestId('directory-listing-state').textContent).toBe('Listed in the directory'),
    );
    const saved = await (await services.directory()).listing(clinicId);
    expect(saved.ok && saved.value).toEqual({
      city: 'Ifrane',
      specialty: 'ent',
      listed: true,
      smsHeld: false,
    });
  });

  it('is read-only for a member who cannot edit', async () => {
    const { form } = await setup(false);
    expect(within(form).queryByRole('button', { name: 'Save' })).toBeNull();
    expect(
      (within(form).getByLabelText('List this clinic in the directory') as HTMLInputElement).disabled,
    ).toBe(true);
  });
});
