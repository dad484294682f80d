/**
 * What the tracker needs to render the server's first view again, identically, when the browser hydrates it
 * (lcp23: src/entry-tracker-server.tsx renders it, main.tsx hydrates it).
 */
import { Suspense, lazy, useSyncExternalStore } from 'react';
import { useTrackerSeed } from '../../hooks/trackerSeed';
import { useBackendConfig } from '../../hooks/BackendConfig';
import { useT } from '../../i18n/TranslatorContext';
import { Button } from '../../components/ui';
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

/** What PushOptIn first shows, inert: the server's HTML paints it, so that the page's largest text is there at once. */
function PushHint() {
  const { t } = useT();
  return (
    <section className="rounded-2xl bg-white p-4 text-center text-sm shadow-[var(--shadow-card)]">
      <p className="text-muted">{t('tracker.push.hint')}</p>
      <Button className="mt-2" disabled>
        {t('tracker.push.enable')}
      </Button>
    </section>
  );
}

/**
 * Web push's offer, where the server has a push key and this browser has push. The server cannot know the browser:
 * its HTML (and the browser while hydrating it) shows the offer's inert hint when the server has a key — it is the
 * tracker's largest text, which would otherwise paint only after the JS (LCP) — then the browser's own answer.
 */
export function PushButton({ token }: { token: string }) {
  const { vapidPublicKey } = useBackendConfig();
  const can = useSyncExternalStore(
    noSubscription,
    () => ('PushManager' in window ? 1 : 0),
    () => (vapidPublicKey ? 2 : 0),
  );
  if (!can) return null;
  return (
    <Suspense fallback={vapidPublicKey ? <PushHint /> : null}>
      {can === 1 ? <PushOptIn token={token} /> : <PushHint />}
    </Suspense>
  );
}
