// @vitest-environment jsdom
// Issue 17, My visits: a running waitlist offer says how many minutes are left to take it, by the server's
// clock (the clinic clock's `now`), not the browser's — and says when it has ended; in en, fr and ar.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { ok } from '../../services/shared/Result';
import type { WaitlistRequest } from '../../hooks/useWaitlist';
import { EarlierSlot } from './EarlierSlot';
import { offerMinutesLeft, serverNowMs } from './offerCountdown';

afterEach(() => cleanup());

const SERVER_NOW = '2026-11-24T09:00:00.000Z';
const offer = (expiresAt: string): WaitlistRequest => ({
  requestId: 'r1',
  entryId: 'e1',
  day: '2026-11-24',
  status: 'offered',
  requestedAt: '2026-11-24T08:00:00.000Z',
  visitSlotStart: '2026-11-24T11:00:00.000Z',
  ticket: 'A-004',
  position: null,
  offeredSlotStart: '2026-11-24T10:00:00.000Z',
  offerExpiresAt: expiresAt,
});

const show = async (request: WaitlistRequest, lng: 'en' | 'fr' | 'ar' = 'en') => {
  const made = createInMemoryServices({ actorId: 'u1', clock: new ManualClock(SERVER_NOW) });
  await renderWithServices(
    <EarlierSlot
      entryId="e1"
      request={request}
      timeOf={(i) => i.slice(11, 16)}
      dateTimeOf={(i) => i.slice(0, 16)}
      serverNow={() => Date.parse(SERVER_NOW)}
    />,
    made.services,
    { lng, page: 'visits' },
  );
  return (await screen.findByTestId('offer-countdown')).textContent;
};

describe('EarlierSlot offer countdown (My visits)', () => {
  it('shows the minutes left by the server clock, rounded up, in en, fr and ar', async () => {
    // 7 min 30 s left by the server's instant (whatever the machine running the test says)
    const expires = '2026-11-24T09:07:30.000Z';
    expect(await show(offer(expires))).toBe('8 min left to take it');
    cleanup();
    expect(await show(offer(expires), 'fr')).toBe('Encore 8 min pour le prendre');
    cleanup();
    expect(await show(offer(expires), 'ar')).toBe('الوقت المتبقي لأخذه: 8 د');
  });

  it('says the offer has ended once its time is over on the server', async () => {
    expect(await show(offer('2026-11-24T08:59:59.000Z'))).toBe('This offer has ended.');
  });

  it('the server’s instant moves on by the time elapsed since its answer, never by the browser’s own clock', () => {
    // answer received at browser ms 1_000_000 (any clock); 90 s later in the browser = server + 90 s
    const now = serverNowMs(SERVER_NOW, 1_000_000, 1_090_000);
    expect(now).toBe(Date.parse(SERVER_NOW) + 90_000);
    expect(offerMinutesLeft('2026-11-24T09:15:00.000Z', now)).toBe(14); // 13.5 min → 14
    expect(offerMinutesLeft('2026-11-24T09:01:30.000Z', now)).toBe(0);
    // a browser clock that went backwards does not add time
    expect(serverNowMs(SERVER_NOW, 1_000_000, 900_000)).toBe(Date.parse(SERVER_NOW));
  });
});

describe('EarlierSlot asks once (issue 12: double submit outside Dialog)', () => {
  it('a double tap on "Ask for an earlier time" sends one request', async () => {
    const made = createInMemoryServices({ actorId: 'u1', clock: new ManualClock(SERVER_NOW) });
    const service = await made.services.waitlist();
    const asked: string[] = [];
    service.request = async (entryId: string) => {
      asked.push(entryId);
      return ok({ requestId: 'r1', position: 1 });
    };
    await renderWithServices(
      <EarlierSlot
        entryId="e1"
        request={undefined}
        timeOf={(i) => i.slice(11, 16)}
        dateTimeOf={(i) => i.slice(0, 16)}
        serverNow={() => Date.parse(SERVER_NOW)}
      />,
      made.services,
      { page: 'visits' },
    );
    const button = await screen.findByRole('button', { name: 'Ask for an earlier time' });
    fireEvent.click(button);
    fireEvent.click(button);
    await waitFor(() => expect(asked).toEqual(['e1']));
    await screen.findByText(/You are on the waitlist/);
    expect(asked).toEqual(['e1']);
  });
});
