// @vitest-environment jsdom
// Issue 20: the message log names each message's channel, and a message skipped because the patient opted
// out (or has no phone) says so — in the admin's language, with no phone number.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ensurePageStrings, I18nTestRoot } from '../../../test/fixtures/I18nTestRoot';
import { afterEach, describe, expect, it } from 'vitest';
import { ToastProvider } from '../../components/Toasts';
import { ServicesProvider } from '../../hooks/ServicesContext';
import { createAppI18n } from '../../i18n/lazy';
import { adminFr } from '../../i18n/locales/ui/admin.fr';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { BudgetTab } from './BudgetTab';

afterEach(() => cleanup());

describe('BudgetTab message log', () => {
  it('shows the channel of each message and the reason of a skipped one', async () => {
    const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
    made.clinicWorld.addUser('owner', { email: 'o@example.test' });
    const created = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
    if (!created.ok) throw new Error(created.error.code);
    const clinicId = created.value.clinicId;
    made.notificationAdminRepo.messages.set(clinicId, [
      {
        id: 'm1',
        kind: 'appointment_reminder',
        status: 'skipped',
        language: 'fr',
        body: null,
        segments: null,
        channel: 'sms',
        skipReason: 'opted_out',
        createdAt: '2026-11-24T07:00:00.000Z',
      },
      {
        id: 'm2',
        kind: 'your_turn',
        status: 'simulated',
        language: 'fr',
        body: 'Ticket A-001',
        segments: 1,
        channel: 'sms',
        skipReason: null,
        createdAt: '2026-11-24T07:30:00.000Z',
      },
    ]);
    const i18n = await createAppI18n('fr');
    await ensurePageStrings(i18n, 'admin', 'fr');
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const Wrapper = ({ children }: { children: ReactNode }) => (
      <I18nTestRoot i18n={i18n}>
        <QueryClientProvider client={qc}>
          <ServicesProvider services={made.services}>
            <ToastProvider>{children}</ToastProvider>
          </ServicesProvider>
        </QueryClientProvider>
      </I18nTestRoot>
    );
    render(<BudgetTab clinicId={clinicId} />, { wrapper: Wrapper });
    const items = await screen.findAllByRole('listitem');
    expect(items).toHaveLength(2);
    const skipped = items.find((li) => li.textContent?.includes(adminFr.kinds.appointment_reminder))!;
    expect(skipped.textContent).toContain(adminFr.skipReasons.opted_out);
    expect(skipped.textContent).toContain(adminFr.channels.sms);
    expect(screen.getAllByTestId('skip-reason')).toHaveLength(1);
  });

  it('an SMS sent instead of a refused email points at that email; a hard bounce says the address is no longer used', async () => {
    const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
    made.clinicWorld.addUser('owner', { email: 'o@example.test' });
    const created = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
    if (!created.ok) throw new Error(created.error.code);
    const clinicId = created.value.clinicId;
    const common = { kind: 'booking_confirmed', language: 'fr', body: 'Bonjour', skipReason: null } as const;
    made.notificationAdminRepo.messages.set(clinicId, [
      {
        ...common,
        id: 'e1',
        status: 'failed',
        segments: 0,
        channel: 'email',
        hardBounce: true,
        fallbackOf: null,
        createdAt: '2026-11-24T07:00:00.000Z',
      },
      {
        ...common,
        id: 's1',
        status: 'sent',
        segments: 1,
        channel: 'sms',
        hardBounce: false,
        fallbackOf: 'e1',
        createdAt: '2026-11-24T07:00:01.000Z',
      },
      {
        ...common,
        id: 's2',
        status: 'sent',
        segments: 1,
        channel: 'sms',
        createdAt: '2026-11-24T07:10:00.000Z',
      },
    ]);
    const i18n = await createAppI18n('fr');
    await ensurePageStrings(i18n, 'admin', 'fr');
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <I18nTestRoot i18n={i18n}>
        <QueryClientProvider client={qc}>
          <ServicesProvider services={made.services}>
            <ToastProvider>
              <BudgetTab clinicId={clinicId} />
            </ToastProvider>
          </ServicesProvider>
        </QueryClientProvider>
      </I18nTestRoot>,
    );
    await screen.findAllByRole('listitem');
    const bounce = screen.getAllByTestId('hard-bounce');
    expect(bounce).toHaveLength(1);
    expect(bounce[0]!.textContent).toBe(adminFr.hardBounce);
    expect(bounce[0]!.closest('li')!.id).toBe('message-e1');
    const links = screen.getAllByTestId('fallback-of');
    expect(links).toHaveLength(1);
    expect(links[0]!.textContent).toBe(adminFr.fallbackOf);
    expect(links[0]!.getAttribute('href')).toBe('#message-e1');
    expect(links[0]!.closest('li')!.id).toBe('message-s1');
  });
});

describe('BudgetTab SMS approval (abuse17)', () => {
  const renderBudget = async (lang: 'ar' | 'en', held: boolean) => {
    const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
    made.clinicWorld.addUser('owner', { email: 'o@example.test' });
    const created = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
    if (!created.ok) throw new Error(created.error.code);
    if (held) made.notificationAdminRepo.held.add(created.value.clinicId);
    const i18n = await createAppI18n(lang);
    await ensurePageStrings(i18n, 'admin', lang);
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <I18nTestRoot i18n={i18n}>
        <QueryClientProvider client={qc}>
          <ServicesProvider services={made.services}>
            <ToastProvider>
              <BudgetTab clinicId={created.value.clinicId} />
            </ToastProvider>
          </ServicesProvider>
        </QueryClientProvider>
      </I18nTestRoot>,
    );
    await screen.findByRole('progressbar');
  };

  it('a clinic the operator has not approved tells the owner SMS start once QueueMed approves it, in their language', async () => {
    const { adminAr } = await import('../../i18n/locales/ui/admin.ar');
    await renderBudget('ar', true);
    expect(screen.getByTestId('sms-held').textContent).toBe(adminAr.smsHeld);
  });

  it('an approved clinic shows no such note', async () => {
    await renderBudget('en', false);
    expect(screen.queryByTestId('sms-held')).toBeNull();
  });
});
