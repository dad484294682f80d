// @vitest-environment jsdom
// Issue 20: the owner sets the clinic's default channel from the admin page (the server routes: the patient's
// choice, then this default, then SMS, then email); a receptionist sees it but cannot change it.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ensurePageStrings, I18nTestRoot } from '../../../test/fixtures/I18nTestRoot';
import { afterEach, describe, expect, it } from 'vitest';
import { ToastProvider } from '../../components/Toasts';
import { ServicesProvider } from '../../hooks/ServicesContext';
import { createAppI18n } from '../../i18n/lazy';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { DefaultChannelSection } from './DefaultChannelSection';

afterEach(() => cleanup());

async function setup(lng: 'en' | 'fr' | 'ar', canEdit = true) {
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
  render(<DefaultChannelSection clinicId={clinicId} canEdit={canEdit} />, { wrapper: Wrapper });
  const stored = async () => {
    const r = await (await made.services.notificationAdmin()).defaultChannel(clinicId);
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };
  return { stored };
}

describe('DefaultChannelSection', () => {
  it('none for a new clinic; the owner sets email, then clears it', async () => {
    const { stored } = await setup('en');
    const select = (await screen.findByLabelText('When the patient has not chosen')) as HTMLSelectElement;
    expect(select.value).toBe('');
    expect(screen.getByRole('option', { name: 'No default (SMS, then email)' })).toBeTruthy();
    fireEvent.change(select, { target: { value: 'email' } });
    act(() => screen.getByRole('button', { name: 'Save' }).click());
    await waitFor(async () => expect(await stored()).toBe('email'));
    fireEvent.change(select, { target: { value: '' } });
    act(() => screen.getByRole('button', { name: 'Save' }).click());
    await waitFor(async () => expect(await stored()).toBeNull());
  });

  it("is in the admin's language (Arabic) and read-only without the right to edit", async () => {
    await setup('ar', false);
    const select = (await screen.findByLabelText('عندما لا يختار المريض')) as HTMLSelectElement;
    expect(select.disabled).toBe(true);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
