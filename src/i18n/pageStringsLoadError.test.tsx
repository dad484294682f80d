// @vitest-environment jsdom
// size14f moved the booking screens' strings (`booking.*`) out of the core bundle into a chunk loaded with the page
// (pageStrings.ts). When that chunk cannot be loaded (offline, or a deploy removed the old hashed file) the clinic's
// page must not say "Loading…" for ever: the error boundary shows its message in the reader's language, with Reload.
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { createInMemoryServices } from '../services/composition/inMemory';
import { renderWithServices } from '../../test/fixtures/renderWithServices';
import ClinicPage from '../pages/ClinicPage';
import { uiAr } from './locales/ui/ar';
import { uiEn } from './locales/ui/en';

vi.mock('./locales/ui/booking.en', () => {
  throw new TypeError('Failed to fetch dynamically imported module: /assets/booking.en-1a2b.js');
});
vi.mock('./locales/ui/booking.ar', () => {
  throw new TypeError('Failed to fetch dynamically imported module: /assets/booking.ar-1a2b.js');
});

afterEach(() => cleanup());

describe('a page whose own strings cannot be loaded', () => {
  it.each([
    ['en', uiEn],
    ['ar', uiAr],
  ] as const)('%s: the error screen in the reader’s language, not "Loading…" for ever', async (lng, ui) => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // React reports the caught render error
    await renderWithServices(
      <ErrorBoundary>
        <ClinicPage params={{ slug: 'atlas' }} />
      </ErrorBoundary>,
      createInMemoryServices({}).services,
      { lng },
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(ui.shell.errorTitle);
    expect(screen.getByRole('button', { name: ui.shell.reload })).toBeTruthy();
  });
});
