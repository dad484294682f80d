// @vitest-environment jsdom
// fix24b (review 24): the desk's dialogs and a patient's record/transfer take their strings from the `records`
// section (size24). When that chunk cannot be loaded (offline, or a deploy removed the old hashed file) a dialog
// asked for must not say "Loading…" (or nothing) for ever: the error boundary shows its message with Reload, as a
// failure of the screen's `dash` strings did before size24. With no dialog open, the desk stays usable.
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { uiAr } from '../../i18n/locales/ui/ar';
import { uiEn } from '../../i18n/locales/ui/en';
import DeskRecords from './DeskRecords';
import { LazyDeskDialogs } from './LazyDeskDialogs';
import type { DialogState } from './types';

vi.mock('../../i18n/locales/ui/records.en', () => {
  throw new TypeError('Failed to fetch dynamically imported module: /assets/records.en-1a2b.js');
});
vi.mock('../../i18n/locales/ui/records.ar', () => {
  throw new TypeError('Failed to fetch dynamically imported module: /assets/records.ar-1a2b.js');
});

afterEach(() => cleanup());

// DeskDialogs itself never renders here (its strings never arrive): only the dialog asked for matters
const dialogs = (dialog: DialogState) => (
  <ErrorBoundary>
    <LazyDeskDialogs {...({ dialog } as Parameters<typeof LazyDeskDialogs>[0])} />
  </ErrorBoundary>
);

describe('the desk’s records strings cannot be loaded', () => {
  it.each([
    ['en', uiEn],
    ['ar', uiAr],
  ] as const)(
    '%s: a dialog asked for shows the error screen with Reload, not "Loading…" for ever',
    async (lng, ui) => {
      vi.spyOn(console, 'error').mockImplementation(() => undefined); // React reports the caught render error
      await renderWithServices(dialogs({ kind: 'walkIn' }), createInMemoryServices({}).services, { lng });
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toContain(ui.shell.errorTitle);
      expect(screen.getByRole('button', { name: ui.shell.reload })).toBeTruthy();
      expect(screen.queryByTestId('desk-dialog-loading')).toBeNull();
    },
  );

  it('a patient’s record asked for shows the error screen with Reload, not an empty screen', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await renderWithServices(
      <ErrorBoundary>
        <DeskRecords show="record" patientId="p-1" onClose={() => undefined} />
      </ErrorBoundary>,
      createInMemoryServices({}).services,
    );
    expect((await screen.findByRole('alert')).textContent).toContain(uiEn.shell.errorTitle);
    expect(screen.getByRole('button', { name: uiEn.shell.reload })).toBeTruthy();
  });

  it('with no dialog open, the failure stays silent: the desk (its queue) stays usable', async () => {
    let settled = false;
    await renderWithServices(
      <ErrorBoundary>
        <p>queue</p>
        <LazyDeskDialogs {...({ dialog: { kind: 'none' } } as Parameters<typeof LazyDeskDialogs>[0])} />
      </ErrorBoundary>,
      createInMemoryServices({}).services,
    );
    await import('../../i18n/locales/ui/records.en').catch(() => (settled = true));
    await new Promise((r) => setTimeout(r, 0));
    expect(settled).toBe(true);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('queue')).toBeTruthy();
  });
});
