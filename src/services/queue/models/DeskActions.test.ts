import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueueAggregate } from './QueueAggregate';
import { allowedActions, nextToCall } from './DeskActions';
import { ENTRY_STATUSES } from './QueueEntry';
import { ctx, newQueue, snapshot, walkIn } from './testing/queueTestKit';

describe('allowedActions (the row actions a desk offers come from the domain)', () => {
  it('offers only the moves DOMAIN.md allows from each status', () => {
    expect(allowedActions({ status: 'scheduled' })).toEqual({
      primary: ['checkIn'],
      more: ['transfer', 'cancel'],
    });
    expect(allowedActions({ status: 'waiting' }).primary).toEqual(['call', 'absent']);
    expect(allowedActions({ status: 'called' }).primary).toEqual(['start', 'absent']);
    expect(allowedActions({ status: 'in_service' })).toEqual({ primary: ['finish'], more: [] });
    expect(allowedActions({ status: 'absent' }).primary).toEqual(['return']);
    expect(allowedActions({ status: 'no_show' }).primary).toEqual(['reactivate']);
    expect(allowedActions({ status: 'completed' })).toEqual({ primary: [], more: [] });
    expect(allowedActions({ status: 'cancelled' })).toEqual({ primary: [], more: [] });
  });
  it('offers transfer exactly where QueueAggregate.transfer accepts it (waiting, booked not yet arrived)', () => {
    const offered = ENTRY_STATUSES.filter((status) => allowedActions({ status }).more.includes('transfer'));
    expect(offered.sort()).toEqual(['scheduled', 'waiting']);
  });
  it('offers nothing on a closed queue', () => {
    for (const status of ENTRY_STATUSES)
      expect(allowedActions({ status }, true)).toEqual({ primary: [], more: [] });
  });
});

describe('nextToCall (who "call next" calls for a desk)', () => {
  const POOLS = ['dr-a', 'dr-b', null] as const;
  it('is exactly the entry QueueAggregate.callNext calls, for any line and any desk', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            pool: fc.constantFrom(...POOLS),
            priority: fc.constantFrom('normal' as const, 'urgent' as const, 'emergency' as const),
            skips: fc.nat({ max: 4 }),
            status: fc.constantFrom('waiting' as const, 'scheduled' as const, 'completed' as const),
          }),
          { maxLength: 12 },
        ),
        fc.constantFrom('dr-a', 'dr-b', null),
        fc.integer({ min: 1, max: 3 }),
        (rows, desk, maxSkips) => {
          const built = newQueue({ max_skips: maxSkips });
          rows.forEach((r, i) =>
            walkIn(built, `e${i}`, `08:${String(10 + i).padStart(2, '0')}`, {
              practitionerId: r.pool,
              ...(r.priority === 'urgent' ? { priority: 'urgent' } : {}),
            }),
          );
          const entries = built.entries().map((e, i) => ({
            ...e,
            status: rows[i]!.status,
            skipCount: rows[i]!.skips,
            priority: rows[i]!.priority,
          }));
          const q = QueueAggregate.load(
            snapshot({ max_skips: maxSkips, auto_finish_on_next: false }, entries),
          );
          const expected = nextToCall(entries, desk, maxSkips);
          const r = q.callNext(ctx('09:00'), { practitionerId: desk, room: 'R' });
          const called = r.ok ? (q.entries().find((e) => e.status === 'called')?.id ?? null) : null;
          expect(expected?.id ?? null).toBe(called);
        },
      ),
      { numRuns: 300 },
    );
  });
});
