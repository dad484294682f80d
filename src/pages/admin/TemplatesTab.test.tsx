// @vitest-environment jsdom
// Issue 17: the remote-join confirmation is a message kind the clinic edits like the others — the admin's
// template editor lists it (named in ar/fr/en), shows its built-in text and its variables ({arrive_by} among
// them), previews it, and saves a clinic's own text for it.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ensurePageStrings, I18nTestRoot } from '../../../test/fixtures/I18nTestRoot';
import { afterEach, describe, expect, it } from 'vitest';
import { ToastProvider } from '../../components/Toasts';
import { ServicesProvider } from '../../hooks/ServicesContext';
import { createAppI18n } from '../../i18n/lazy';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { defaultTemplateText } from '../../services/notification/api';
import { ManualClock } from '../../services/shared/Clock';
import { TemplatesTab } from './TemplatesTab';

afterEach(() => cleanup());

async function setup(lng: 'en' | 'fr' | 'ar') {
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
  render(<TemplatesTab clinicId={clinicId} canEdit />, { wrapper: Wrapper });
  const stored = async () => {
    const r = await (await made.services.notificationAdmin()).templates(clinicId);
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };
  return { stored };
}

const LABELS = {
  en: { kind: 'Message', name: 'Remote join confirmed' },
  fr: { kind: 'Message', name: 'Inscription à distance confirmée' },
  ar: { kind: 'الرسالة', name: 'تأكيد الانضمام عن بعد' },
} as const;

describe('TemplatesTab', () => {
  it.each(['en', 'fr', 'ar'] as const)(
    'lists the remote-join confirmation in %s with its built-in text and {arrive_by}',
    async (lng) => {
      await setup(lng);
      const select = (await screen.findByLabelText(LABELS[lng].kind)) as HTMLSelectElement;
      const option = Array.from(select.options).find((o) => o.value === 'remote_join_confirmed');
      expect(option?.textContent).toBe(LABELS[lng].name);
      fireEvent.change(select, { target: { value: 'remote_join_confirmed' } });
      const body = screen.getByRole('textbox') as HTMLTextAreaElement;
      await waitFor(() => expect(body.value).toBe(defaultTemplateText('remote_join_confirmed', 'fr')));
      expect(screen.getByText('{arrive_by}')).toBeTruthy();
      expect(screen.getByText('{tracking_url}')).toBeTruthy();
      // the preview fills the sample values: no variable left
      expect(screen.getByTestId('template-preview').textContent).toContain('A-014');
      expect(screen.getByTestId('template-preview').textContent).not.toMatch(/\{[a-z_]+\}/);
    },
  );

  it('the owner saves a clinic text for the remote-join confirmation that uses {arrive_by}', async () => {
    const { stored } = await setup('en');
    fireEvent.change(await screen.findByLabelText('Message'), { target: { value: 'remote_join_confirmed' } });
    const text = '{clinic_name}: ticket {ticket}. Please arrive by {arrive_by}. {tracking_url}';
    fireEvent.change(screen.getByRole('textbox'), { target: { value: text } });
    act(() => screen.getByRole('button', { name: 'Save' }).click());
    await waitFor(async () =>
      expect(await stored()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'remote_join_confirmed', language: 'fr', body: text }),
        ]),
      ),
    );
  });
});
