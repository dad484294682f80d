/**
 * Patients' messages from a staff browser, loaded when the first event arrives instead of with the screen
 * (issue 14: the notification service, its templates and the SMS channel were ≈ 8 KiB gzipped of the
 * dashboard's first render, which sends nothing). Every event published before the code has loaded is kept
 * and handed over in order once it has; a failed load is reported and retried at the next event, the events
 * kept meanwhile.
 */
import { createEventBus, type EventBus } from '../shared/EventBus';
import type { AppEvents } from './AppServices';

type Attach = (bus: EventBus<AppEvents>) => () => void;

export function notifyLater(
  bus: EventBus<AppEvents>,
  load: () => Promise<Attach>,
  onError: (error: unknown, what: string) => void = () => undefined,
): () => void {
  const local = createEventBus<AppEvents>({ onListenerError: (e, type) => onError(e, String(type)) });
  const kept: Array<[keyof AppEvents, AppEvents[keyof AppEvents]]> = [];
  let state: 'idle' | 'loading' | 'ready' | 'disposed' = 'idle';
  let detach = () => undefined as void;
  const flush = () => {
    for (const [type, event] of kept.splice(0)) local.publish(type, event);
  };
  const off = bus.subscribeAll((type, event) => {
    if (state === 'disposed') return;
    kept.push([type, event]);
    if (state === 'ready') return flush();
    if (state === 'loading') return;
    state = 'loading';
    load().then(
      (attach) => {
        if (state === 'disposed') return;
        detach = attach(local);
        state = 'ready';
        flush();
      },
      (e: unknown) => {
        if (state === 'disposed') return;
        state = 'idle';
        onError(e, 'notifications failed to load');
      },
    );
  });
  return () => {
    state = 'disposed';
    kept.length = 0;
    off();
    detach();
  };
}
