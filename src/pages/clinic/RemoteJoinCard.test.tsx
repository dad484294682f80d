// @vitest-environment jsdom
// The clinic page's "join today's queue" card (issue 17) on the in-memory composition root: hidden while the
// clinic does not take remote joins; shown with the places left when it does; a patient unknown to the
// clinic gives a name and lands on the tracker of the new ticket; a signed-out visitor is sent to sign in.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { joinEn } from '../../i18n/locales/ui/join.en';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { CASABLANCA_AT_PLUS_ONE } from '../../../test/fixtures/zoneRules';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { RemoteJoinCard } from './RemoteJoinCard';

afterEach(() => cleanup());

// 2026-11-24T08:00Z is a Tuesday, 09:00 in Casablanca (+01 by the fixture's zone rules, not Node's tz release): open by these hours (a split day)
const SPLIT_DAY = {
  2: [
    { start: '08:30', end: '12:30' },
    { start: '15:00', end: '19:00' },
  ],
};

function world(actorId: string | null, cap: number | null, at = '2026-11-24T08:00:00Z') {
  const made = createInMemoryServices({ actorId, clock: new ManualClock(at), zones: CASABLANCA_AT_PLUS_ONE });
  made.bookingWorld.addClinic({ id: 'c1', hours: SPLIT_DAY, remoteJoinCap: cap });
  return made;
}

describe('RemoteJoinCard', () => {
  it('is not shown while the clinic does not take remote joins', async () => {
    const made = world('patient-1', null);
    const { queryClient } = await renderWithServices(
      <RemoteJoinCard clinicId="c1" slug="c1" signedIn />,
      made.services,
    );
    await waitFor(() => expect(queryClient.isFetching()).toBe(0));
    expect(screen.queryByRole('heading', { name: joinEn.title })).toBeNull();
    expect(screen.getByTestId('remote-join-closed').textContent).toBe(joinEn.why.off);
  });

  it('outside opening hours (the break of a split day) it says so, with no join button', async () => {
    const made = world('patient-1', 3, '2026-11-24T13:00:00Z'); // 14:00 in Casablanca, between 12:30 and 15:00
    await renderWithServices(<RemoteJoinCard clinicId="c1" slug="c1" signedIn />, made.services);
    expect((await screen.findByTestId('remote-join-closed')).textContent).toBe(joinEn.why.outside_hours);
    expect(screen.queryByRole('button', { name: joinEn.join })).toBeNull();
  });

  it('a patient unknown to the clinic gives a name, joins, and lands on the tracker of the new ticket', async () => {
    const made = world('patient-1', 3);
    window.history.replaceState(null, '', '/c/c1');
    await renderWithServices(<RemoteJoinCard clinicId="c1" slug="c1" signedIn />, made.services);
    expect(await screen.findByRole('heading', { name: joinEn.title })).toBeTruthy();
    expect(screen.getByTestId('remote-left').textContent).toBe(joinEn.left.replace('{{count}}', '3'));
    const join = screen.getByRole('button', { name: joinEn.join }) as HTMLButtonElement;
    expect(join.disabled).toBe(true); // a name first
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'Yasmine Idrissi' } });
    expect(join.disabled).toBe(false);
    fireEvent.click(join);
    await waitFor(() => expect(window.location.pathname).toMatch(/^\/t\/[0-9a-f]{32,}$/));
    const token = window.location.pathname.slice(3);
    const seen = await made.services.booking.visitStatus(token);
    expect(seen.ok && seen.value).toMatchObject({ status: 'waiting', ticket: 'A-001' });
  });

  it('a double click on "Join" sends one join (issue 12: the button is disabled a macrotask late)', async () => {
    const made = world('patient-1', 3);
    window.history.replaceState(null, '', '/c/c1');
    const service = await made.services.remoteJoin();
    let joins = 0;
    const join = service.join.bind(service);
    service.join = (input) => {
      joins += 1;
      return join(input);
    };
    await renderWithServices(<RemoteJoinCard clinicId="c1" slug="c1" signedIn />, made.services);
    await screen.findByRole('heading', { name: joinEn.title });
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'Yasmine Idrissi' } });
    const button = screen.getByRole('button', { name: joinEn.join });
    fireEvent.click(button);
    fireEvent.click(button);
    await waitFor(() => expect(window.location.pathname).toMatch(/^\/t\/[0-9a-f]{32,}$/));
    expect(joins).toBe(1);
  });

  it('signed out: a link to sign in that comes back to the clinic’s page', async () => {
    const made = world(null, 3);
    await renderWithServices(<RemoteJoinCard clinicId="c1" slug="c1" signedIn={false} />, made.services);
    const link = await screen.findByRole('link', { name: joinEn.signIn });
    expect(link.getAttribute('href')).toBe(`/sign-in?as=patient&next=${encodeURIComponent('/c/c1')}`);
  });
});
