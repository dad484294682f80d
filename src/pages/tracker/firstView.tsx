/**
 * What the tracker needs to render the server's first view again, identically, when the browser hydrates it
 * (lcp23: src/entry-tracker-server.tsx renders it, main.tsx hydrates it).
 */
import { Suspense, lazy, useSyncExternalStore } from 'react';
import { useTrackerSeed } from '../../hooks/PublicScreensContext';
import type { TrackedVisit } from '../../hooks/usePublicScreens';

// its own small chunk, fetched after the visit shows, where push exists (issue 20)
const PushOptIn = lazy(() => import('./PushOptIn'));
const noSubscription = () => () => {};

/** The visit read, else — until the first read answers — the one the server read into the page's HTML. */
export function useShownVisit(
  q: { data: TrackedVisit | undefined; isPending: boolean },
  token: string,
): TrackedVisit | undefined {
  const seeded = useTrackerSeed(token);
  return q.data ?? (q.isPending ? seeded : undefined);
}

/**
 * Web push's button, where this browser has push: not on the server nor while hydrating its HTML (which has no
 * button), then by the browser's own answer.
 */
export function PushButton({ token }: { token: string }) {
  const push = useSyncExternalStore(
    noSubscription,
    () => 'PushManager' in window,
    () => false,
  );
  return push ? (
    <Suspense fallback={null}>
      <PushOptIn token={token} />
    </Suspense>
  ) : null;
}
