// @vitest-environment jsdom
// types19 (issue 17): the booking page names each visit type in the reader's language (a language the clinic
// left empty reads the type's default name) and shows its colour, as the owner set them on the types tab.
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { CASABLANCA_AT_PLUS_ONE } from '../../../test/fixtures/zoneRules';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import ClinicPage from '../ClinicPage';

afterEach(() => cleanup());

async function clinic() {
  const made = createInMemoryServices({
    actorId: 'owner-1',
    clock: new ManualClock('2026-11-24T08:00:00Z'),
    zones: CASABLANCA_AT_PLUS_ONE,
  });
  made.clinicWorld.addUser('owner-1');
  const c = await made.services.clinic.createClinic({ name: 'Cabinet Atlas', slug: 'atlas' });
  if (!c.ok) throw new Error(c.error.code);
  const saved = await made.services.clinic.saveVisitTypes(c.value.clinicId, [
    { name: 'Consultation', durationMinutes: 20, names: { ar: 'استشارة', en: 'Check-up' }, color: '#dc2626' },
    { name: 'Suivi', durationMinutes: 15 },
  ]);
  if (!saved.ok) throw new Error(saved.error.code);
  return made;
}

// the type buttons: the row that holds "Suivi" (named the same in every language)
const typeButtons = () => [
  ...screen.getByText('Suivi').closest('button')!.parentElement!.querySelectorAll('button'),
];

describe('booking page, visit type names per language', () => {
  it.each([
    ['ar', 'استشارة'],
    ['en', 'Check-up'],
    ['fr', 'Consultation'], // no French name: the default
  ] as const)('in %s the first type reads “%s”, with its colour', async (lng, label) => {
    const made = await clinic();
    await renderWithServices(<ClinicPage params={{ slug: 'atlas' }} />, made.services, { lng });
    await screen.findByText('Suivi');
    const [first, second] = typeButtons();
    expect(first!.querySelector('bdi')!.textContent).toBe(label);
    expect(second!.querySelector('bdi')!.textContent).toBe('Suivi');
    const dot = first!.querySelector('span[aria-hidden]') as HTMLElement | null;
    expect(dot?.style.backgroundColor).toBe('rgb(220, 38, 38)');
    expect(second!.querySelector('span[aria-hidden]')).toBeNull();
  });
});
