/**
 * The light screens' port as the browser's composition root loads it (main.tsx), with the tracker's seed (lcp23):
 * the first read of the link the server rendered answers what the server read and embedded in the page, so the
 * hydrated tracker asks for the status no second time (tracker-board-load.spec). Loaded with the port, in the
 * `public` chunk (vite.config.ts), not in the entry every screen loads.
 */
import type { TrackerSeed } from '../../../hooks/trackerSeed';
import type { PublicScreensRepository } from './PublicScreensRepository';

export { createFetchPublicScreensRepository } from './FetchPublicScreensRepository';

export function seededPublicScreens(
  seed: TrackerSeed | null,
  repo: PublicScreensRepository,
): PublicScreensRepository {
  let unread = seed;
  return {
    ...repo,
    visit(token) {
      const s = unread?.token === token ? unread : null;
      unread = null;
      return s ? Promise.resolve({ ok: true, value: s.visit }) : repo.visit(token);
    },
  };
}
