// @vitest-environment jsdom
// The desk's staff-only notes dialog (issue 17) on the in-memory composition root: lists a visit's notes,
// adds one (trimmed) and shows it with its author, and shows a translated error for a visit it cannot read.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nTestRoot } from '../../../test/fixtures/I18nTestRoot';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ToastProvider } from '../../components/Toasts';
import { ServicesProvider } from '../../hooks/ServicesContext';
import { createAppI18n } from '../../i18n/lazy';
import { recordsEn } from '../../i18n/locales/ui/records.en';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import VisitNotesDialog from './VisitNotesDialog';

const E1 = 'a5000000-0000-4000-8000-000000000001';
const OTHER = 'a5000000-0000-4000-8000-0000000000ff';

beforeAll(() => {
  // jsdom has <dialog> but not its modal methods; the open attribute is what matters here.
  const proto = HTMLDialogElement.prototype as unknown as Record<string, unknown>;
  if (typeof proto.showModal !== 'function')
    proto.showModal = function (this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
  if (typeof proto.close !== 'function')
    proto.close = function (this: HTMLDialogElement) {
      this.removeAttribute('open');
    };
});
afterEach(() => cleanup());

async function renderDialog(entryId: string) {
  const made = createInMemoryServices({ actorId: 'staff-1', clock: new ManualClock('2026-11-24T08:00:00Z') });
  made.reportsRepo.author = { name: 'Dr Idrissi', role: 'practitioner' };
  made.reportsRepo.notes.set(E1, [
    {
      id: 'n0',
      entryId: E1,
      authorName: 'Recep A',
      authorRole: 'receptionist',
      body: 'Vient avec sa fille',
      createdAt: '2026-11-24T07:00:00Z',
    },
  ]);
  const i18n = await createAppI18n('en');
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
  render(
    <VisitNotesDialog
      entry={{ id: entryId, ticket: 'A-007' }}
      onClose={() => undefined}
      timeOf={() => '08:00'}
    />,
    { wrapper: Wrapper },
  );
  return made;
}

describe('VisitNotesDialog', () => {
  it('lists the visit’s notes and adds one, trimmed, with its author', async () => {
    const made = await renderDialog(E1);
    const list = await screen.findByTestId('visit-notes', {}, { timeout: 10_000 });
    expect(within(list).getByText('Vient avec sa fille')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(recordsEn.noteLabel), { target: { value: '  Allergique  ' } });
    fireEvent.click(screen.getByRole('button', { name: recordsEn.noteAdd }));
    await waitFor(
      () => expect(within(screen.getByTestId('visit-notes')).getByText('Allergique')).toBeTruthy(),
      {
        timeout: 10_000,
      },
    );
    expect(made.reportsRepo.notes.get(E1)?.map((n) => [n.body, n.authorName])).toEqual([
      ['Vient avec sa fille', 'Recep A'],
      ['Allergique', 'Dr Idrissi'],
    ]);
    expect((screen.getByLabelText(recordsEn.noteLabel) as HTMLTextAreaElement).value).toBe('');
  });

  it('a double click on "Add" adds the note once (issue 12: the dialog is busy a macrotask late)', async () => {
    const made = await renderDialog(E1);
    await screen.findByTestId('visit-notes', {}, { timeout: 10_000 });
    fireEvent.change(screen.getByLabelText(recordsEn.noteLabel), { target: { value: 'Allergique' } });
    const button = screen.getByRole('button', { name: recordsEn.noteAdd });
    fireEvent.click(button);
    fireEvent.click(button);
    await waitFor(
      () => expect(within(screen.getByTestId('visit-notes')).getByText('Allergique')).toBeTruthy(),
      { timeout: 10_000 },
    );
    expect(made.reportsRepo.notes.get(E1)?.map((n) => n.body)).toEqual(['Vient avec sa fille', 'Allergique']);
  });

  it('a visit the staff member may not read shows a translated error, never a raw code', async () => {
    await renderDialog(OTHER);
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert.textContent).toBeTruthy();
    expect(alert.textContent).not.toContain('NOT_FOUND');
    expect(screen.queryByTestId('visit-notes')).toBeNull();
  });
});
