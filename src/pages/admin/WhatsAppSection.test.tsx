// @vitest-environment jsdom
// Issue 20: the owner sets the clinic's WhatsApp number and approved templates (Content SID + the variables
// filling {{1}}, {{2}} …) from the admin page; a bad SID is refused on the spot and nothing is saved; a
// receptionist sees them but cannot change them.
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
import { WhatsAppSection } from './WhatsAppSection';

afterEach(() => cleanup());

const SID = `HX${'a1'.repeat(16)}`;

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
  render(<WhatsAppSection clinicId={clinicId} canEdit={canEdit} />, { wrapper: Wrapper });
  const stored = async () => {
    const r = await (await made.services.notificationAdmin()).whatsAppSettings(clinicId);
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };
  return { stored };
}

describe('WhatsAppSection', () => {
  it('the owner sets the number and a booking-confirmation template; a bad SID is refused and nothing saved', async () => {
    const { stored } = await setup('en');
    const sender = await screen.findByLabelText('The clinic’s WhatsApp number (empty: QueueMed’s)');
    expect(screen.getByText(/No approved template/)).toBeTruthy();
    fireEvent.change(sender, { target: { value: '+212522000777' } });
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'booking_confirmed' } });
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'fr' } });
    fireEvent.change(screen.getByLabelText('Content SID (Twilio)'), { target: { value: 'HX123' } });
    act(() => screen.getByRole('button', { name: 'Add a template' }).click());
    expect(screen.getByTestId('whatsapp-problem').textContent).toMatch(/HX followed by 32/);
    fireEvent.change(screen.getByLabelText('Content SID (Twilio)'), { target: { value: SID } });
    fireEvent.change(screen.getByLabelText(/Variables of the template/), {
      target: { value: 'patient_name, appointment_time' },
    });
    act(() => screen.getByRole('button', { name: 'Add a template' }).click());
    expect(screen.queryByTestId('whatsapp-problem')).toBeNull();
    expect(screen.getByText('{{1}}=patient_name {{2}}=appointment_time')).toBeTruthy();
    expect((await stored()).templates).toEqual([]); // nothing saved before Save
    act(() => screen.getByRole('button', { name: 'Save' }).click());
    await waitFor(async () =>
      expect(await stored()).toEqual({
        sender: '+212522000777',
        templates: [
          {
            kind: 'booking_confirmed',
            language: 'fr',
            sid: SID,
            variables: ['patient_name', 'appointment_time'],
          },
        ],
      }),
    );
  });

  it("a variable that is not the kind's is refused on the spot", async () => {
    await setup('fr');
    await screen.findByLabelText('Content SID (Twilio)');
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'your_turn' } });
    fireEvent.change(screen.getByLabelText('Content SID (Twilio)'), { target: { value: SID } });
    fireEvent.change(screen.getByLabelText(/Variables du modèle/), { target: { value: 'offer_url' } });
    act(() => screen.getByRole('button', { name: 'Ajouter un modèle' }).click());
    expect(screen.getByTestId('whatsapp-problem').textContent).toMatch(/n’appartient pas/);
  });

  it("is in the admin's language (Arabic) and read-only without the right to edit", async () => {
    await setup('ar', false);
    const sender = (await screen.findByLabelText(
      'رقم واتساب الخاص بالعيادة (فارغ: رقم QueueMed)',
    )) as HTMLInputElement;
    expect(sender.disabled).toBe(true);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
