// @vitest-environment jsdom
/**
 * lcp23b: the hydrated tracker's first read answers from the server's seed (no status request), so a queue change
 * made between the server's render and the moment the realtime subscription is live must still reach the screen.
 * It does, through usePublicScreens' own rules (unchanged): the seed carries the queue's version (queue_version) and
 * the first read makes it the version shown; on 'subscribed' one tiny version read compares it, and a realtime change
 * newer than it is read once (after its estimates' touch). The read after the seed is the port's real one.
 */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nTestRoot } from '../fixtures/I18nTestRoot';
import { ToastProvider } from '../../src/components/Toasts';
import { BackendConfigProvider } from '../../src/hooks/BackendConfig';
import { PublicScreensProvider } from '../../src/hooks/PublicScreensContext';
import { TrackerSeedProvider, type TrackerSeed } from '../../src/hooks/trackerSeed';
import { createAppI18n } from '../../src/i18n/lazy';
import type { TrackedVisit } from '../../src/services/queue/api/publicScreens';
import type { PublicScreensRepository } from '../../src/services/queue/repositories/PublicScreensRepository';
import type { FeedStatus, QueueChange } from '../../src/services/queue/repositories/QueueChangeFeed';
import { seededPublicScreens } from '../../src/services/queue/repositories/seededPublicScreens';
import { ok } from '../../src/services/shared/Result';
import TrackerPage from '../../src/pages/TrackerPage';

afterEach(cleanup);

const SEEDED: TrackedVisit = {
  entry_id: 'e1',
  clinic: {
    id: 'c1',
    name: 'Clinique A',
    slug: 'clinic-a',
    default_language: 'fr',
    time_zone: 'Africa/Casablanca',
  },
  day: '2026-12-03',
  ticket: 'A-007',
  status: 'waiting',
  slot_start: null,
  room: null,
  grace_ends_at: null,
  late: false,
  position: 3,
  queue_version: 4,
  clock: {
    time_zone: 'Africa/Casablanca',
    now: '2026-12-03T09:00:00Z',
    today: '2026-12-03',
    offsets: [{ from: '2026-01-01T00:00:00Z', offset_minutes: 60 }],
  },
};
/** The queue after a change the server's render did not see: the patient moved up. */
const NEWER: TrackedVisit = { ...SEEDED, position: 2, queue_version: 5 };

/** The network port: what the database says now (NEWER), the version read's answer, and a realtime feed to drive. */
function networkPort(versionNow: number) {
  const subscribers: { onChange(c: QueueChange): void; onStatus?(s: FeedStatus): void }[] = [];
  const visit = vi.fn(async () => ok(NEWER));
  const queueVersion = vi.fn(async () => ok(versionNow));
  // a plain object, as the real port is (the seeded wrapper spreads it)
  const port = {
    visit,
    queueVersion,
    signedIn: async () => false,
    feed: {
      subscribe: (_clinic: string, h: (typeof subscribers)[number]) => {
        subscribers.push(h);
        return () => void subscribers.splice(subscribers.indexOf(h), 1);
      },
    },
  } as unknown as PublicScreensRepository;
  return { port, visit, queueVersion, subscribers };
}

async function renderSeeded(net: ReturnType<typeof networkPort>) {
  const seed: TrackerSeed = { token: 'a-link', lng: 'en', visit: SEEDED };
  // as main.tsx composes it: the seeded wrapper around the network port, the seed's context from seededBoot
  const port = seededPublicScreens(seed, net.port);
  const i18n = await createAppI18n('en');
  render(
    <I18nTestRoot i18n={i18n}>
      <ToastProvider>
        <BackendConfigProvider config={{ supabaseUrl: 'http://test', supabaseAnonKey: 'anon' }}>
          <PublicScreensProvider load={async () => port}>
            <TrackerSeedProvider seed={seed}>
              <TrackerPage params={{ token: 'a-link' }} />
            </TrackerSeedProvider>
          </PublicScreensProvider>
        </BackendConfigProvider>
      </ToastProvider>
    </I18nTestRoot>,
  );
  expect(screen.getByTestId('tracker-position').textContent).toBe('3'); // the seed, at the first render
  await waitFor(() => expect(net.subscribers).toHaveLength(1)); // subscribed after the seeded first read
  expect(net.visit).not.toHaveBeenCalled(); // the first read answered from the seed
}

describe('the seeded tracker stays fresh (lcp23b)', () => {
  it('a change made before the subscription was live: the version read on subscribe sees it → one read', async () => {
    const net = networkPort(5);
    await renderSeeded(net);
    await act(async () => net.subscribers.forEach((s) => s.onStatus?.('subscribed')));
    await waitFor(() => expect(screen.getByTestId('tracker-position').textContent).toBe('2'));
    expect(net.queueVersion).toHaveBeenCalledTimes(1);
    expect(net.visit).toHaveBeenCalledTimes(1);
  });

  it('a change newer than the seed arriving right after subscribe → one read, the new position shown', async () => {
    const net = networkPort(4); // the version read ran before the change
    await renderSeeded(net);
    await act(async () => net.subscribers.forEach((s) => s.onStatus?.('subscribed')));
    expect(net.visit).not.toHaveBeenCalled(); // same version as the seed: nothing to read
    const change = { clinicId: 'c1', queueId: 'q1', day: SEEDED.day, version: 5 };
    await act(async () =>
      net.subscribers.forEach((s) => {
        s.onChange({ ...change, touchedAt: '2026-12-03T09:00:01Z' }); // the desk's save
        s.onChange({ ...change, touchedAt: '2026-12-03T09:00:02Z' }); // its estimates stored (the touch)
      }),
    );
    await waitFor(() => expect(screen.getByTestId('tracker-position').textContent).toBe('2'));
    expect(net.visit).toHaveBeenCalledTimes(1);
  });
});
