// @vitest-environment jsdom
// The public clinic directory (issue 17, dir20; D1–D6) on the in-memory services, reached the normal way
// (DirectoryPage → useDirectorySearch → ClinicDirectoryService → the directory repository): the listed clinics and
// only them, each linking to its page; a search by city without its accent; the empty state; the error state with
// its retry; Arabic right-to-left.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../services/composition/inMemory';
import { renderWithServices } from '../../test/fixtures/renderWithServices';
import { appError, ErrorCodes } from '../services/shared/AppError';
import { err } from '../services/shared/Result';
import type { ClinicDirectoryService } from '../services/clinic/ClinicDirectoryService';
import DirectoryPage from './DirectoryPage';

afterEach(() => cleanup());

async function setup() {
  const made = createInMemoryServices({ actorId: 'owner' });
  made.clinicWorld.addUser('owner', { email: 'o@example.test' });
  const directory = await made.services.directory();
  const add = async (name: string, slug: string, listing: { city: string | null; listed: boolean }) => {
    const c = await made.services.clinic.createClinic({ name, slug, displayName: 'Dr Owner' });
    if (!c.ok) throw new Error(c.error.code);
    const l = await directory.setListing(c.value.clinicId, { ...listing, specialty: 'dentistry' });
    if (!l.ok) throw new Error(l.error.code);
    return c.value.clinicId;
  };
  await add('Cabinet Atlas', 'atlas', { city: 'Fès', listed: true });
  await add('عيادة الأمل', 'amal', { city: 'الدار البيضاء', listed: true });
  await add('Clinique Cachée', 'cachee', { city: 'Fès', listed: false });
  const held = await add('Clinique Retenue', 'retenue', { city: 'Fès', listed: true });
  made.clinicDirectory.held.add(held);
  return made;
}

const results = () => screen.findByTestId('directory-results');

describe('DirectoryPage', () => {
  it('D1/D2 lists the listed clinics only, each linking to its public page; a city search folds accents', async () => {
    const { services } = await setup();
    await renderWithServices(<DirectoryPage />, services);
    const list = await results();
    const links = within(list).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/c/atlas', '/c/amal']);
    expect(within(list).getByRole('link', { name: 'Open the page of Cabinet Atlas' })).toBeTruthy();
    expect(within(list).getAllByText('Dentistry')).toHaveLength(2);
    expect(screen.queryByText('Clinique Cachée')).toBeNull();
    expect(screen.queryByText('Clinique Retenue')).toBeNull();

    fireEvent.change(screen.getByLabelText('City'), { target: { value: 'fes' } });
    act(() => screen.getByRole('button', { name: 'Search' }).click());
    await waitFor(() =>
      expect(within(screen.getByTestId('directory-results')).getAllByRole('link')).toHaveLength(1),
    );
    expect(screen.getByText('Cabinet Atlas')).toBeTruthy();
    expect(window.location.search).toBe('?city=fes');
  });

  it('says so when nothing matches, and offers a retry when the directory cannot be loaded', async () => {
    const { services } = await setup();
    window.history.replaceState(null, '', '/clinics?city=Nowhere');
    await renderWithServices(<DirectoryPage />, services);
    expect(await screen.findByText('No clinic matches this search.')).toBeTruthy();
    cleanup();

    let calls = 0;
    const real = await services.directory();
    const failing = {
      ...services,
      directory: async () =>
        ({
          search: async (q: Parameters<ClinicDirectoryService['search']>[0]) =>
            ++calls === 1 ? err(appError(ErrorCodes.INTERNAL, 'down')) : real.search(q),
        }) as unknown as ClinicDirectoryService,
    };
    window.history.replaceState(null, '', '/clinics');
    await renderWithServices(<DirectoryPage />, failing);
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('The directory could not be loaded.')).toBeTruthy();
    act(() => within(alert).getByRole('button', { name: 'Try again' }).click());
    expect(within(await results()).getAllByRole('link')).toHaveLength(2);
  });

  it('renders right-to-left in Arabic and finds an Arabic clinic without its hamza', async () => {
    const { services } = await setup();
    window.history.replaceState(null, '', '/clinics');
    await renderWithServices(<DirectoryPage />, services, { lng: 'ar' });
    expect(await screen.findByRole('heading', { name: 'ابحث عن عيادة' })).toBeTruthy();
    expect(document.documentElement.dir).toBe('rtl');
    fireEvent.change(screen.getByLabelText('اسم العيادة'), { target: { value: 'الامل' } });
    act(() => screen.getByRole('button', { name: 'بحث' }).click());
    await waitFor(() =>
      expect(
        within(screen.getByTestId('directory-results'))
          .getAllByRole('link')
          .map((a) => a.getAttribute('href')),
      ).toEqual(['/c/amal']),
    );
  });
});
