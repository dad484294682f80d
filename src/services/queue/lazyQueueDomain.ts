/**
 * Loads the queue's domain chunk (./queueDomain.ts) once, on the first queue read or command, not with the
 * staff screen (issue 14). A failed load (a network blip on a chunk) is forgotten, so the next read tries again
 * instead of failing for the rest of the session.
 */
import type * as Domain from './queueDomain';

export type QueueDomain = typeof Domain;

let ready: QueueDomain | null = null;
let loading: Promise<QueueDomain> | null = null;

export function loadQueueDomain(): Promise<QueueDomain> {
  if (ready !== null) return Promise.resolve(ready);
  return (loading ??= import('./queueDomain').then(
    (m) => (ready = m),
    (e: unknown) => {
      loading = null;
      throw e;
    },
  ));
}

/** The domain if it has loaded (null before the first read or command has loaded it). */
export function loadedQueueDomain(): QueueDomain | null {
  return ready;
}
