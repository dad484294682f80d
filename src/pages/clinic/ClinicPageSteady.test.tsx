// @vitest-environment jsdom
// flakewl19 (issue 14, determinism): the clinic page's visit types come in the same render as everything that
// goes above them — the "join today's queue" line or card (its strings, its lazily loaded service, its RPC, and,
// for a signed-in patient the clinic does not know yet, its name field). On the old page the booking card came
// first and the join card a moment later, pushing the types down under a patient's finger (CI lost a tap in
// waitlist-sms.spec; test/e2e/clinic-page-steady.spec.ts measures the move in Chromium). A MutationObserver
// checks every DOM state the page goes through, so nothing here depends on timing.
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { joinEn } from '../../i18n/locales/ui/join.en';
import { bookingEn } from '../../i18n/locales/ui/booking.en';
import { createInMemoryServices } from '../../services/composition/inMemory';
import type { AppServices } from '../../services/composition/AppServices';
import { ManualClock } from '../../services/shared/Clock';
import { CASABLANCA_AT_PLUS_ONE } from '../../../test/fixtures/zoneRules';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import ClinicPage from '../ClinicPage';

afterEach(() => cleanup());

const MORNINGS = Object.fromEntries(
  [0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: '09:00', end: '12:00' }]]),
);

/** Atlas, open every morning, one visit type; 2026-11-24T08:00Z is Tuesday 09:00 in Casablanca. */
async function atlas(remoteJoinCap: number | null) {
  const made = createInMemoryServices({
    actorId: 'owner-1',
    clock: new ManualClock('2026-11-24T08:00:00Z'),
    zones: CASABLANCA_AT_PLUS_ONE,
  });
  made.clinicWorld.addUser('owner-1');
  const c = await made.services.clinic.createClinic({ name: 'Cabinet Atlas', slug: 'atlas' });
  if (!c.ok) throw new Error(c.error.code);
  const { clinicId } = c.value;
  const week = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
  const hours = await made.services.clinic.setWorkingHours(
    clinicId,
    Object.fromEntries(week.map((d) => [d, [{ start: '09:00', end: '12:00' }]])),
  );
  if (!hours.ok) throw new Error(hours.error.code);
  const saved = await made.services.clinic.saveVisitTypes(clinicId, [
    { name: 'Échographie', durationMinutes: 30, bookingMode: 'slotted' },
  ]);
  if (!saved.ok) throw new Error(saved.error.code);
  made.bookingWorld.addClinic({
    id: clinicId,
    hours: MORNINGS,
    remoteJoinCap,
    appointmentTypes: [{ id: saved.value[0]!, durationMinutes: 30, bookingMode: 'slotted' }],
  });
  return made;
}

/** Every DOM state in which the visit type is shown while `above` (what goes above it) is not. */
function watchTypeWithout(above: () => boolean) {
  const early: string[] = [];
  const observer = new MutationObserver(() => {
    const type = [...document.querySelectorAll('button')].some((b) => b.textContent?.includes('Échographie'));
    if (type && !above()) early.push(document.body.textContent ?? '');
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  return { early, stop: () => observer.disconnect() };
}

const joinLine = () => document.querySelector('[data-testid=remote-join-closed]') !== null;
const typeButton = () => screen.findByRole('button', { name: /Échographie/ });

describe('the clinic page shows its visit types only with what goes above them', () => {
  it('a visitor: the join line comes in the same render as the visit types', async () => {
    const made = await atlas(null);
    const watch = watchTypeWithout(joinLine);
    const { queryClient } = await renderWithServices(
      <ClinicPage params={{ slug: 'atlas' }} />,
      made.services,
    );
    await typeButton();
    await waitFor(() => expect(queryClient.isFetching()).toBe(0));
    watch.stop();
    expect(screen.getByTestId('remote-join-closed').textContent).toBe(joinEn.why.off);
    expect(watch.early, 'DOM states with the visit types but not yet the join line').toEqual([]);
  });

  it('a signed-in patient the clinic does not know: the join card and its name field come with the types', async () => {
    const made = await atlas(3);
    await made.auth.signUp({ email: 'amal@example.test', password: 'pw-amal-2026' });
    const nameField = () =>
      document.querySelector('#remote-join-title') !== null &&
      [...document.querySelectorAll('label')].some((l) => l.textContent === bookingEn.yourName);
    const watch = watchTypeWithout(nameField);
    const { queryClient } = await renderWithServices(
      <ClinicPage params={{ slug: 'atlas' }} />,
      made.services,
    );
    await typeButton();
    await waitFor(() => expect(queryClient.isFetching()).toBe(0));
    watch.stop();
    expect(screen.getByRole('button', { name: joinEn.join })).toBeTruthy();
    expect(
      watch.early,
      'DOM states with the visit types but not yet the join card with its name field',
    ).toEqual([]);
  });

  it('a join card that cannot be loaded (its chunk is gone) does not keep the booking from showing', async () => {
    const made = await atlas(3);
    const services: AppServices = {
      ...made.services,
      remoteJoin: () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')),
    };
    await renderWithServices(<ClinicPage params={{ slug: 'atlas' }} />, services);
    expect((await typeButton()).getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByTestId('remote-join-closed')).toBeNull();
    expect(screen.queryByRole('heading', { name: joinEn.title })).toBeNull();
  });
});
