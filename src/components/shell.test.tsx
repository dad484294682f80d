// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { ErrorBoundary } from './ErrorBoundary';
import { ToastProvider, useToast } from './Toasts';
import { createAppI18n } from '../i18n/lazy';
import { fr } from '../i18n/locales/fr';
import { ar } from '../i18n/locales/ar';

afterEach(cleanup);

function Boom(): never {
  throw new Error('secret stack detail at QueueAggregate.ts:123');
}

describe('ErrorBoundary', () => {
  it('shows a calm translated message and never the error or its stack', async () => {
    const i18n = await createAppI18n('fr');
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { container } = render(
      <I18nextProvider i18n={i18n}>
        <ErrorBoundary>
          <Boom />
        </ErrorBoundary>
      </I18nextProvider>,
    );
    expect(screen.getByRole('alert').textContent).toContain(fr.shell.errorTitle);
    expect(container.textContent).not.toContain('secret stack detail');
    expect(container.textContent).not.toContain('QueueAggregate');
    spy.mockRestore();
  });
});

describe('toasts', () => {
  let api: ReturnType<typeof useToast> | null = null;
  function Grab() {
    api = useToast();
    return null;
  }
  it('translates a coded error in the reader’s language and hides unknown codes behind a generic message', async () => {
    const i18n = await createAppI18n('ar');
    render(
      <I18nextProvider i18n={i18n}>
        <ToastProvider>
          <Grab />
        </ToastProvider>
      </I18nextProvider>,
    );
    act(() => api!.error({ code: 'BOOKING.SLOT_FULL', message: 'duplicate key value violates constraint' }));
    expect(screen.getByRole('alert').textContent).toContain(ar.errors['BOOKING.SLOT_FULL']);
    act(() => api!.error(new Error('PGRST999 raw')));
    const texts = screen.getAllByRole('alert').map((a) => a.textContent ?? '');
    expect(texts.some((t) => t.includes(ar.errors.unknown))).toBe(true);
    expect(texts.join(' ')).not.toContain('PGRST999');
    expect(texts.join(' ')).not.toContain('duplicate key');
  });
});
