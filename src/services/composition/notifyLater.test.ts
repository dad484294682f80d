// notifyLater (issue 14): the staff browser's notification code loads on the first event, and no event is lost
// or reordered while it loads, nor after a failed load.
import { describe, expect, it } from 'vitest';
import { createEventBus, type EventBus } from '../shared/EventBus';
import type { AppEvents } from './AppServices';
import { notifyLater } from './notifyLater';

type Ev = AppEvents['PatientCalled'];
const ev = (id: string) => ({ entryId: id }) as unknown as Ev;

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const bus = createEventBus<AppEvents>();
  const heard: string[] = [];
  const attach = (local: EventBus<AppEvents>) =>
    local.subscribe('PatientCalled', (e) => void heard.push((e as unknown as { entryId: string }).entryId));
  return { bus, heard, attach };
}

describe('notifyLater', () => {
  it('loads nothing before the first event', () => {
    const { bus } = setup();
    let loads = 0;
    notifyLater(bus, () => (loads++, new Promise(() => undefined)));
    expect(loads).toBe(0);
  });
  it('hands over, in order, the events published while loading, then the next ones directly; loads once', async () => {
    const { bus, heard, attach } = setup();
    const d = deferred<typeof attach>();
    let loads = 0;
    notifyLater(bus, () => (loads++, d.promise));
    bus.publish('PatientCalled', ev('a'));
    bus.publish('PatientCalled', ev('b'));
    expect(heard).toEqual([]);
    d.resolve(attach);
    await settle();
    expect(heard).toEqual(['a', 'b']);
    bus.publish('PatientCalled', ev('c'));
    expect(heard).toEqual(['a', 'b', 'c']);
    expect(loads).toBe(1);
  });
  it('a failed load is reported, keeps the events and is retried at the next event', async () => {
    const { bus, heard, attach } = setup();
    const errors: string[] = [];
    let loads = 0;
    notifyLater(
      bus,
      () => (++loads === 1 ? Promise.reject(new Error('offline')) : Promise.resolve(attach)),
      (_e, what) => void errors.push(what),
    );
    bus.publish('PatientCalled', ev('a'));
    await settle();
    expect(errors).toEqual(['notifications failed to load']);
    expect(heard).toEqual([]);
    bus.publish('PatientCalled', ev('b'));
    await settle();
    expect(heard).toEqual(['a', 'b']);
    expect(loads).toBe(2);
  });
  it('after dispose nothing is handed over, even when the load finishes later', async () => {
    const { bus, heard, attach } = setup();
    const d = deferred<typeof attach>();
    const dispose = notifyLater(bus, () => d.promise);
    bus.publish('PatientCalled', ev('a'));
    dispose();
    d.resolve(attach);
    await settle();
    bus.publish('PatientCalled', ev('b'));
    expect(heard).toEqual([]);
  });
});
