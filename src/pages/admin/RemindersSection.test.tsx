// @vitest-environment jsdom
// Issue 20: the owner turns appointment reminders on (N minutes before) and off from the admin page; a value
// outside 5–2880 is named on the form in the admin's language (REMINDER.INVALID_MINUTES) and nothing is stored.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ensurePageStrings, I18nTestRoot } from '../../../test/fixtures/I18nTestRoot';
import { afterEach, describe, expect, it } from 'vitest';
import { ToastProvider } from '../../components/Toasts';
import { ServicesProvider } from '../../hooks/ServicesContext';
import { createAppI18n } from '../../i18n/lazy';
import { errorsAr } from '../../i18n/locales/errors.ar';
import { errorsFr } from '../../i18n/locales/errors.fr';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { RemindersSection } from './RemindersSection';

afterEach(() => cleanup());

async function setup(lng: 'en' | 'fr' | 'ar' = 'en') {
  const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
  made.clinicWorld.addUser('owner', { email: 'o@example.test' });
  const created = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
  if (!created.ok) throw new Error(created.error.code);
  const clinicId = created.value.clinicId;
  const i18n = await createAppI18n(lng);
  await ensurePageStrings(i18n, 'admin', lng);
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <I18nTestRoot i18n={i18n}>
      <QueryClientProvider client={qc}>
        <ServicesProvider services={made.services}>
          <ToastProvider>{children}</ToastProvider>
        </ServicesProvider>
      </QueryClientProvider>
    </I18nTestRoot>
  );
  render(<RemindersSection clinicId={clinicId} canEdit />, { wrapper: Wrapper });
  const stored = async () => {
    const r = await (await made.services.notificationAdmin()).reminderMinutes(clinicId);
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };
  return { i18n, stored, toggle: await screen.findByRole('checkbox') };
}

describe('RemindersSection', () => {
  it('is off for a new clinic; the owner turns it on at 60 minutes, then off again', async () => {
    const { stored, toggle } = await setup();
    expect(screen.getByTestId('reminders-off').textContent).toBe('Off');
    fireEvent.click(toggle);
    fireEvent.change(screen.getByLabelText('Minutes before the visit'), { target: { value: '60' } });
    act(() => screen.getByRole('button', { name: 'Save' }).click());
    await waitFor(async () => expect(await stored()).toBe(60));
    fireEvent.click(screen.getByRole('checkbox'));
    act(() => screen.getByRole('button', { name: 'Save' }).click());
    await waitFor(async () => expect(await stored()).toBeNull());
  });

  it.each([
    ['en', '4', 'A reminder is sent between 5 minutes and 2 days before the visit.'],
    ['fr', '2881', errorsFr.errors['REMINDER.INVALID_MINUTES']],
    ['ar', '', errorsAr.errors['REMINDER.INVALID_MINUTES']],
  ] as const)(
    'in %s, %j minutes is refused on the form with the coded message, nothing stored',
    async (lng, typed, msg) => {
      const { stored, toggle } = await setup(lng);
      fireEvent.click(toggle);
      const input = screen.getByRole('spinbutton');
      fireEvent.change(input, { target: { value: typed } });
      act(() => screen.getByRole('button', { name: /.+/ }).click());
      // the error messages load on demand (src/i18n/README.md)
      await waitFor(() => expect(screen.getByTestId('reminder-error').textContent).toBe(msg));
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(await stored()).toBeNull();
    },
  );
});
