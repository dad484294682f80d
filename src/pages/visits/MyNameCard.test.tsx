// @vitest-environment jsdom
// Issue 12: from My visits, a patient sees their name as each clinic knows it and corrects it (the desk's
// normalisation); the 4th rename of the clinic's day is refused in the patient's language and nothing changes.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { holdErrorTexts } from '../../../test/fixtures/heldErrorTexts';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import MyNameCards from './MyNameCard';

const USER = 'u1000000-0000-4000-8000-000000000001';
const PATIENT = 'p1000000-0000-4000-8000-000000000001';

afterEach(() => cleanup());
vi.mock('../../i18n/translator', async (real) =>
  (await import('../../../test/fixtures/heldErrorTexts')).withHeldErrorTexts(await real()),
);

const setup = async (lng: 'en' | 'fr' | 'ar' = 'en') => {
  const made = createInMemoryServices({ actorId: USER, clock: new ManualClock('2026-11-24T10:00:00Z') });
  made.clinicWorld.addUser(USER, { email: 'amina@example.test' });
  const created = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
  if (!created.ok) throw new Error(created.error.code);
  const clinicId = created.value.clinicId;
  made.bookingWorld.addClinic({ id: clinicId, hours: {} });
  made.bookingWorld.addPatient(clinicId, PATIENT, 'Amina Patiant', USER, '+212600000049');
  // a second clinic where this account has no record (its visit there was another family member's booking)
  const other = await made.services.clinic.createClinic({ name: 'Rif', slug: 'rif' });
  if (!other.ok) throw new Error(other.error.code);
  made.bookingWorld.addClinic({ id: other.value.clinicId, hours: {} });
  const ids = [clinicId, other.value.clinicId, clinicId];
  await renderWithServices(<MyNameCards clinicIds={ids} />, made.services, {
    lng,
    page: 'myName',
  });
  return { name: () => made.bookingWorld.patients.get(PATIENT)?.fullName };
};

const rename = async (edit: string, field: string, save: string, value: string) => {
  fireEvent.click(await screen.findByRole('button', { name: edit }));
  fireEvent.change(screen.getByRole('textbox', { name: field }), { target: { value } });
  fireEvent.click(screen.getByRole('button', { name: save }));
};

describe('MyNameCard (My visits)', () => {
  it('shows the name the clinic knows once per clinic and corrects it, white space collapsed as the desk does', async () => {
    const { name } = await setup();
    expect(await screen.findByRole('heading', { name: 'Your name at Atlas' })).toBeTruthy();
    expect(screen.getAllByRole('heading', { name: 'Your name at Atlas' })).toHaveLength(1);
    expect(screen.getByText('Amina Patiant')).toBeTruthy();
    await rename('Correct my name', 'Full name', 'Save my name', '  Amina   Patient ');
    await waitFor(() => expect(name()).toBe('Amina Patient'));
    expect(await screen.findByText('Name saved: Amina Patient')).toBeTruthy();
    // the card shows the corrected name (its query is invalidated)
    expect(
      await screen.findByText('Amina Patient', { selector: '[data-testid="my-name-current"]' }),
    ).toBeTruthy();
  });

  it('an empty name is refused on the field and nothing is sent', async () => {
    const { name } = await setup();
    await rename('Correct my name', 'Full name', 'Save my name', '   ');
    expect((await screen.findByRole('alert')).textContent).toBe('Enter your name.');
    expect(name()).toBe('Amina Patiant');
  });

  it('the fourth rename of the day is refused in French and the name stays', async () => {
    const { name } = await setup('fr');
    for (const n of ['Amina B', 'Amina C', 'Amina D']) {
      await rename('Corriger mon nom', 'Nom complet', 'Enregistrer mon nom', n);
      await waitFor(() => expect(name()).toBe(n));
      await screen.findByText(`Nom enregistré : ${n}`);
    }
    await rename('Corriger mon nom', 'Nom complet', 'Enregistrer mon nom', 'Amina E');
    expect((await screen.findByTestId('my-name-error')).textContent).toMatch(
      /changé votre nom le nombre maximal de fois/,
    );
    expect(name()).toBe('Amina D');
  });

  it('a refusal that arrives before the error texts have loaded is said in words once they are (not "Chargement…")', async () => {
    const release = holdErrorTexts();
    const { name } = await setup('fr');
    for (const n of ['Amina B', 'Amina C', 'Amina D']) {
      await rename('Corriger mon nom', 'Nom complet', 'Enregistrer mon nom', n);
      await waitFor(() => expect(name()).toBe(n));
      await screen.findByText(`Nom enregistré : ${n}`);
    }
    await rename('Corriger mon nom', 'Nom complet', 'Enregistrer mon nom', 'Amina E');
    expect((await screen.findByTestId('my-name-error')).textContent).toBe('Chargement…');
    release();
    await waitFor(() =>
      expect(screen.getByTestId('my-name-error').textContent).toMatch(
        /changé votre nom le nombre maximal de fois/,
      ),
    );
    expect(name()).toBe('Amina D');
  });

  it('in Arabic, the refusal too', async () => {
    const { name } = await setup('ar');
    expect(await screen.findByRole('heading', { name: 'اسمك لدى Atlas' })).toBeTruthy();
    for (const n of ['أمينة ب', 'أمينة ج', 'أمينة د']) {
      await rename('تصحيح اسمي', 'الاسم الكامل', 'حفظ اسمي', n);
      await waitFor(() => expect(name()).toBe(n));
    }
    await rename('تصحيح اسمي', 'الاسم الكامل', 'حفظ اسمي', 'أمينة هـ');
    expect((await screen.findByTestId('my-name-error')).textContent).toMatch(/لقد غيّرت اسمك العدد الأقصى/);
    expect(name()).toBe('أمينة د');
  });

  it('one card per clinic with the patient’s record: none for a clinic without one, none twice', async () => {
    await setup();
    await screen.findByRole('heading', { name: 'Your name at Atlas' });
    await waitFor(() => expect(screen.getAllByRole('heading')).toHaveLength(1));
    expect(screen.queryByRole('heading', { name: /Rif/ })).toBeNull();
  });
});
