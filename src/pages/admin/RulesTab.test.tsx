// @vitest-environment jsdom
// Issue 17 (session 17): the fluid day-before reminder's hour is a clinic setting (fluid_reminder_time, 'HH:MM'
// 00:00–23:59 in the clinic's zone, default 18:00). The owner sets it on Admin → Queue rules, in ar/fr/en; a
// value outside 00:00–23:59 is refused with the coded message and nothing is stored. In-memory services.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { adminAr } from '../../i18n/locales/ui/admin.ar';
import { adminFr } from '../../i18n/locales/ui/admin.fr';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { RulesTab } from './RulesTab';

afterEach(() => cleanup());

async function setup(lng: 'en' | 'fr' | 'ar') {
  const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
  made.clinicWorld.addUser('owner', { email: 'o@example.test' });
  const created = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
  if (!created.ok) throw new Error(created.error.code);
  const clinicId = created.value.clinicId;
  const stored = async () => {
    const p = await made.services.clinic.profile(clinicId);
    if (!p.ok) throw new Error(p.error.code);
    return p.value.settings.fluid_reminder_time;
  };
  await renderWithServices(<RulesTab clinicId={clinicId} canEdit />, made.services, { lng, page: 'admin' });
  return { stored };
}

const LABELS = {
  en: 'Fluid line: day-before reminder at (clinic time)',
  fr: adminFr.rules.fluid_reminder_time,
  ar: adminAr.rules.fluid_reminder_time,
} as const;

describe("F6 fluid: the day-before reminder at the clinic's hour — Admin → Queue rules", () => {
  it.each(['en', 'fr', 'ar'] as const)(
    'in %s, the field shows 18:00 for a new clinic and the owner sets 20:30',
    async (lng) => {
      const { stored } = await setup(lng);
      const field = await screen.findByLabelText<HTMLInputElement>(LABELS[lng]);
      expect(field.type).toBe('time');
      expect(field.value).toBe('18:00');
      expect(await stored()).toBe('18:00');
      fireEvent.change(field, { target: { value: '20:30' } });
      fireEvent.submit(field.form!);
      await waitFor(async () => expect(await stored()).toBe('20:30'));
    },
    20_000, // several renders on a shared 2-core machine; no timed assertion
  );

  it('a time outside 00:00–23:59 is refused with the coded message; nothing is stored', async () => {
    const { stored } = await setup('en');
    const field = await screen.findByLabelText<HTMLInputElement>(LABELS.en);
    // what a browser without a time picker (or a forged form) sends
    fireEvent.change(field, { target: { type: 'text', value: '24:00' } });
    fireEvent.submit(field.form!);
    expect(await screen.findByText('Some information is missing or not valid.')).toBeTruthy();
    expect(await stored()).toBe('18:00');
  }, 20_000);
});
