import { describe, expect, it, vi } from 'vitest';
import { createEventBus } from './EventBus';

type Events = { PatientCalled: { entryId: string }; PatientSkipped: { entryId: string; by: string } };

describe('EventBus', () => {
  it('delivers a published event to the subscribers of its type only', () => {
    const bus = createEventBus<Events>();
    const called = vi.fn();
    const skipped = vi.fn();
    bus.subscribe('PatientCalled', called);
    bus.subscribe('PatientSkipped', skipped);
    bus.publish('PatientCalled', { entryId: 'e1' });
    expect(called).toHaveBeenCalledWith({ entryId: 'e1' });
    expect(skipped).not.toHaveBeenCalled();
  });

  it('stops delivering after unsubscribe, and subscribeAll sees every type', () => {
    const bus = createEventBus<Events>();
    const h = vi.fn();
    const all = vi.fn();
    const off = bus.subscribe('PatientCalled', h);
    bus.subscribeAll(all);
    off();
    bus.publish('PatientCalled', { entryId: 'e1' });
    bus.publish('PatientSkipped', { entryId: 'e2', by: 'e3' });
    expect(h).not.toHaveBeenCalled();
    expect(all.mock.calls).toEqual([
      ['PatientCalled', { entryId: 'e1' }],
      ['PatientSkipped', { entryId: 'e2', by: 'e3' }],
    ]);
  });

  it('a throwing or rejecting listener neither breaks the publisher nor the other listeners', async () => {
    const errors: unknown[] = [];
    const bus = createEventBus<Events>({ onListenerError: (e) => errors.push(e) });
    const good = vi.fn();
    bus.subscribe('PatientCalled', () => {
      throw new Error('boom');
    });
    bus.subscribe('PatientCalled', async () => {
      throw new Error('async boom');
    });
    bus.subscribe('PatientCalled', good);
    expect(() => bus.publish('PatientCalled', { entryId: 'e1' })).not.toThrow();
    await new Promise((r) => setTimeout(r, 0));
    expect(good).toHaveBeenCalledOnce();
    expect(errors.map((e) => (e as Error).message).sort()).toEqual(['async boom', 'boom']);
  });
});
