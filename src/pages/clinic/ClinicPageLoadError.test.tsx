// @vitest-environment jsdom
// size14f made the booking adapters a lazy chunk (composition/lazyPort): when that chunk cannot be loaded (offline,
// or a deploy removed the old hashed file) the clinic's page must show the coded error in the reader's language,
// not "This page does not exist" — a patient told the page does not exist does not try again. A clinic that truly
// does not exist still says so.
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { lazyPort } from '../../services/composition/lazyPort';
import type { BookingService } from '../../services/appointment/BookingService';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import ClinicPage from '../ClinicPage';
import { uiAr } from '../../i18n/locales/ui/ar';
import { uiEn } from '../../i18n/locales/ui/en';
import { errorsAr } from '../../i18n/locales/errors.ar';
import { errorsEn } from '../../i18n/locales/errors.en';

afterEach(() => cleanup());

type PublicClinics = { publicClinic: BookingService['publicClinic'] };

/** The in-memory world, with the clinic directory behind a lazyPort whose chunk fails to load. */
function servicesWithUnloadableChunk() {
  const made = createInMemoryServices({ actorId: null });
  const unloadable = lazyPort<PublicClinics>(() =>
    Promise.reject(
      new TypeError('Failed to fetch dynamically imported module: /assets/bookingAdapters-1a2b.js'),
    ),
  );
  const booking: BookingService = Object.create(made.services.booking);
  booking.publicClinic = (slugOrId) => unloadable.publicClinic(slugOrId);
  return { ...made.services, booking };
}

describe('a clinic page whose booking code cannot be loaded', () => {
  it.each([
    ['en', errorsEn.errors.INTERNAL, uiEn.shell.notFound],
    ['ar', errorsAr.errors.INTERNAL, uiAr.shell.notFound],
  ] as const)('%s: shows the coded error, not "page not found"', async (lng, message, notFound) => {
    await renderWithServices(<ClinicPage params={{ slug: 'atlas' }} />, servicesWithUnloadableChunk(), {
      lng,
    });
    expect((await screen.findByRole('alert')).textContent).toContain(message);
    expect(screen.queryByText(notFound)).toBeNull();
  });

  it('a clinic that does not exist is still "page not found"', async () => {
    await renderWithServices(
      <ClinicPage params={{ slug: 'nowhere' }} />,
      createInMemoryServices({}).services,
    );
    expect(await screen.findByText(uiEn.shell.notFound)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
