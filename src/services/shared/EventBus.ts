/**
 * The in-process, typed event bus (mitt). Services publish domain events here only after the save that
 * recorded them succeeded; listeners (notifications, analytics, UI) react. A listener that throws must not
 * break the publisher or the other listeners, so `publish` isolates each handler and reports failures.
 */
import mittImport, { type Emitter, type EventType, type Handler } from 'mitt';

// mitt ships CommonJS types: Deno (the API edge function imports the services) sees the default import as
// the module object, Node/Vite as the function. Both are the same function at run time.
type Mitt = <E extends Record<EventType, unknown>>() => Emitter<E>;
const mitt: Mitt = (mittImport as unknown as { default?: Mitt }).default ?? (mittImport as unknown as Mitt);

export type EventMap = Record<EventType, unknown>;

export interface EventBus<Events extends EventMap> {
  publish<K extends keyof Events>(type: K, event: Events[K]): void;
  subscribe<K extends keyof Events>(type: K, handler: (event: Events[K]) => void | Promise<void>): () => void;
  subscribeAll(
    handler: <K extends keyof Events>(type: K, event: Events[K]) => void | Promise<void>,
  ): () => void;
}

export interface EventBusOptions {
  /** Called when a listener throws or rejects; the default swallows so a bad listener cannot break a save. */
  onListenerError?: (error: unknown, type: PropertyKey) => void;
}

export function createEventBus<Events extends EventMap>(options: EventBusOptions = {}): EventBus<Events> {
  const emitter: Emitter<Events> = mitt<Events>();
  const report = options.onListenerError ?? (() => undefined);
  const guard =
    <A extends unknown[]>(type: PropertyKey, fn: (...args: A) => void | Promise<void>) =>
    (...args: A) => {
      try {
        const out = fn(...args);
        if (out && typeof (out as Promise<void>).catch === 'function')
          (out as Promise<void>).catch((e) => report(e, type));
      } catch (e) {
        report(e, type);
      }
    };
  return {
    publish(type, event) {
      emitter.emit(type, event);
    },
    subscribe(type, handler) {
      const wrapped = guard(type, handler) as Handler<Events[typeof type]>;
      emitter.on(type, wrapped);
      return () => emitter.off(type, wrapped);
    },
    subscribeAll(handler) {
      const wrapped = (type: keyof Events, event: Events[keyof Events]) =>
        guard(type, () => handler(type, event))();
      emitter.on('*', wrapped);
      return () => emitter.off('*', wrapped);
    },
  };
}
