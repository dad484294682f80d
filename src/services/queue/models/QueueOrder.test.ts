import { describe, expect, it } from 'vitest';
import { callerServes, compareEntries, sortInOrder } from './QueueOrder';
import { entry, newQueue, walkIn } from './testing/queueTestKit';

describe('QueueOrder', () => {
  const base = () => {
    const q = newQueue();
    walkIn(q, 'w', '08:00');
    return entry(q, 'w');
  };

  it('breaks ties by order key, then tiebreak, then ticket number, then id — a total order', () => {
    const e = base();
    const a = { ...e, id: 'a', orderKey: 100, orderTiebreak: 5, ticketNumber: 5 };
    expect(compareEntries(a, { ...a, orderKey: 101 })).toBeLessThan(0);
    expect(compareEntries(a, { ...a, orderTiebreak: 6 })).toBeLessThan(0);
    expect(compareEntries({ ...a, ticketNumber: 9 }, { ...a, ticketNumber: 7 })).toBeGreaterThan(0);
    expect(compareEntries({ ...a, ticketNumber: 7 }, { ...a, ticketNumber: 9 })).toBeLessThan(0);
    expect(compareEntries(a, { ...a, id: 'b' })).toBeLessThan(0);
    expect(compareEntries({ ...a, id: 'b' }, a)).toBeGreaterThan(0);
    expect(compareEntries(a, { ...a })).toBe(0);
    expect(compareEntries({ ...a, priority: 'urgent', orderKey: 999 }, a)).toBeLessThan(0);
    const shuffled = [
      { ...a, id: 'c' },
      { ...a, id: 'a' },
      { ...a, id: 'b' },
    ];
    expect(sortInOrder(shuffled).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });

  it('a practitioner serves their pool and "any"; a room desk serves "any" only', () => {
    const e = base();
    expect(callerServes('dr-a', { ...e, practitionerId: 'dr-a' })).toBe(true);
    expect(callerServes('dr-a', { ...e, practitionerId: null })).toBe(true);
    expect(callerServes('dr-a', { ...e, practitionerId: 'dr-b' })).toBe(false);
    expect(callerServes(null, { ...e, practitionerId: null })).toBe(true);
    expect(callerServes(null, { ...e, practitionerId: 'dr-a' })).toBe(false);
  });
});
