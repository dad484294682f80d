import { describe, expect, it } from 'vitest';
import { ENTRY_STATUSES, isFinal } from './QueueEntry';
import { ErrorCodes } from '../../shared/AppError';
import { percentile, serviceMinutes, summarizeDay, waitMinutes } from './DaySummary';
import { GracePeriod, graceExpired } from './GracePeriod';
import { QueuePosition } from './QueuePosition';
import { renderTicket, TicketNumber } from './TicketNumber';
import { must, newQueue, walkIn, entry } from './testing/queueTestKit';

describe('TicketNumber', () => {
  it("renders the clinic's prefix and at least three digits, whatever the entry's kind", () => {
    expect(must(TicketNumber.of(14)).render()).toBe('A-014');
    expect(must(TicketNumber.of(14, 'A')).render()).toBe('A-014');
    expect(must(TicketNumber.of(3, 'QM')).toString()).toBe('QM-003');
    expect(must(TicketNumber.of(1203, 'A')).render()).toBe('A-1203');
    expect(renderTicket({ ticketNumber: 7 })).toBe('A-007');
    expect(renderTicket({ ticketNumber: 7 }, 'B')).toBe('B-007');
    expect(renderTicket({ ticketNumber: 1203 }, 'XYZ')).toBe('XYZ-1203');
  });
  it('parses what it renders and refuses anything else with a code', () => {
    const t = must(TicketNumber.parse(' w-042 '));
    expect([t.number, t.prefix]).toEqual([42, 'W']);
    expect(must(TicketNumber.parse('A-100')).prefix).toBe('A');
    expect(must(TicketNumber.parse('XYZ-100')).render()).toBe('XYZ-100');
    for (const bad of ['A-14', 'A014', '', 'WXYZ-014', 'A-014X', '1-014', 'A--014']) {
      expect(TicketNumber.parse(bad)).toMatchObject({
        ok: false,
        error: { code: ErrorCodes.VALIDATION_FAILED },
      });
    }
    expect(TicketNumber.parse('A-000').ok).toBe(false);
    expect(TicketNumber.of(1.5, 'A').ok).toBe(false);
    expect(TicketNumber.of(0, 'A').ok).toBe(false);
    expect(TicketNumber.of(1, 'A').ok).toBe(true);
    for (const bad of ['', 'a', 'ABCD', 'A1', 'A-']) {
      expect(TicketNumber.of(1, bad)).toMatchObject({
        ok: false,
        error: { code: ErrorCodes.VALIDATION_FAILED },
      });
    }
  });
});

describe('GracePeriod', () => {
  it('ends grace_period_minutes after it starts; the end instant itself is expired', () => {
    const g = must(GracePeriod.start('2026-11-24T08:00:00.000Z', 10));
    expect(g.endsAt).toBe('2026-11-24T08:10:00.000Z');
    expect(g.minutes).toBe(10);
    expect(g.isExpiredAt('2026-11-24T08:09:59.999Z')).toBe(false);
    expect(g.isExpiredAt(new Date('2026-11-24T08:10:00.000Z'))).toBe(true);
    expect(graceExpired(g.endsAt, g.endsAtMs - 1)).toBe(false);
    expect(graceExpired(g.endsAt, g.endsAtMs)).toBe(true);
  });
  it('says how many whole minutes are left, rounded up, never negative', () => {
    const g = must(GracePeriod.start(new Date('2026-11-24T08:00:00.000Z'), 10));
    expect(g.remainingMinutesAt('2026-11-24T08:00:00.000Z')).toBe(10);
    expect(g.remainingMinutesAt('2026-11-24T08:00:01.000Z')).toBe(10);
    expect(g.remainingMinutesAt('2026-11-24T08:09:00.000Z')).toBe(1);
    expect(g.remainingMinutesAt('2026-11-24T08:30:00.000Z')).toBe(0);
  });
  it('refuses invalid input with a code', () => {
    expect(GracePeriod.start('nope', 10)).toMatchObject({
      ok: false,
      error: { code: ErrorCodes.VALIDATION_FAILED },
    });
    expect(GracePeriod.start('2026-11-24T08:00:00Z', 0).ok).toBe(false);
    expect(GracePeriod.start('2026-11-24T08:00:00Z', 2.5).ok).toBe(false);
    expect(GracePeriod.start('2026-11-24T08:00:00Z', 1).ok).toBe(true);
  });
});

describe('QueuePosition', () => {
  it('starts at 1 (next) and knows when it is almost the patient’s turn', () => {
    const one = must(QueuePosition.of(1));
    expect(one.isNext()).toBe(true);
    const three = must(QueuePosition.of(3));
    expect([three.value, three.isNext(), three.isAlmostTurn(3), three.isAlmostTurn(2)]).toEqual([
      3,
      false,
      true,
      false,
    ]);
    expect(QueuePosition.of(0)).toMatchObject({
      ok: false,
      error: { code: ErrorCodes.QUEUE_INVALID_POSITION },
    });
    expect(QueuePosition.of(1.5).ok).toBe(false);
  });
});

describe('DaySummary', () => {
  it('uses the nearest-rank 90th percentile', () => {
    expect(percentile([], 0.9)).toBeNull();
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10);
    expect(percentile([1, 2], 0.01)).toBe(1);
  });

  it('measures the wait from max(check-in, slot) to the call, never negative, and service from start to finish', () => {
    const q = newQueue();
    walkIn(q, 'w', '08:00');
    const base = entry(q, 'w');
    const e = { ...base, calledAt: '2026-11-24T08:30:00.000Z', checkedInAt: '2026-11-24T08:00:00.000Z' };
    expect(waitMinutes(e)).toBe(30);
    expect(waitMinutes({ ...e, slotAt: '2026-11-24T08:20:00.000Z' })).toBe(10);
    expect(waitMinutes({ ...e, slotAt: '2026-11-24T09:00:00.000Z' })).toBe(0);
    expect(waitMinutes({ ...e, calledAt: null })).toBeNull();
    expect(waitMinutes({ ...e, checkedInAt: null })).toBeNull();
    expect(
      serviceMinutes({ ...e, startedAt: '2026-11-24T08:31:00.000Z', finishedAt: '2026-11-24T08:46:30.000Z' }),
    ).toBe(15.5);
    expect(serviceMinutes({ ...e, startedAt: null, finishedAt: '2026-11-24T08:46:00.000Z' })).toBeNull();
    expect(serviceMinutes({ ...e, startedAt: '2026-11-24T08:46:00.000Z', finishedAt: null })).toBeNull();
  });

  it('averages and ranks waits whatever the order of the entries, skipping entries without both times', () => {
    const q = newQueue();
    walkIn(q, 'w', '08:00');
    const done = {
      ...entry(q, 'w'),
      status: 'completed' as const,
      checkedInAt: '2026-11-24T08:00:00.000Z',
      startedAt: '2026-11-24T09:00:00.000Z',
    };
    const calledAfter = (min: number) =>
      new Date(Date.parse('2026-11-24T08:00:00.000Z') + min * 60_000).toISOString();
    const entries = [40, 10, 30, 20].map((m, i) => ({ ...done, id: `e${i}`, calledAt: calledAfter(m) }));
    const s = summarizeDay([...entries, { ...done, id: 'x', calledAt: null }]);
    expect(s).toMatchObject({ served: 5, averageWaitMinutes: 25, p90WaitMinutes: 40 });
    expect(summarizeDay(entries.slice(1)).p90WaitMinutes).toBe(30);
  });

  it('a completed visit never started (only called when the day ended) is not served; its wait still counts', () => {
    const q = newQueue();
    walkIn(q, 'w', '08:00');
    const base = {
      ...entry(q, 'w'),
      status: 'completed' as const,
      checkedInAt: '2026-11-24T08:00:00.000Z',
      calledAt: '2026-11-24T08:10:00.000Z',
    };
    const s = summarizeDay([
      { ...base, id: 'seen', startedAt: '2026-11-24T08:11:00.000Z', finishedAt: '2026-11-24T08:20:00.000Z' },
      { ...base, id: 'notSeen', startedAt: null, finishedAt: '2026-11-24T18:00:00.000Z' },
    ]);
    expect(s).toMatchObject({ served: 1, averageWaitMinutes: 10 });
  });

  it('groups service time by who served, else the assigned practitioner, else "unassigned"', () => {
    const q = newQueue();
    walkIn(q, 'w', '08:00');
    const done = {
      ...entry(q, 'w'),
      status: 'completed' as const,
      calledAt: '2026-11-24T08:10:00.000Z',
      startedAt: '2026-11-24T08:10:00.000Z',
      finishedAt: '2026-11-24T08:20:00.000Z',
    };
    const s = summarizeDay([
      { ...done, id: '1', servedBy: 'dr-z', practitionerId: 'dr-a' },
      { ...done, id: '2', servedBy: null, practitionerId: 'dr-a', finishedAt: '2026-11-24T08:40:00.000Z' },
      { ...done, id: '3', servedBy: null, practitionerId: null },
      { ...done, id: '4', status: 'cancelled' },
      { ...done, id: '5', status: 'no_show' },
    ]);
    expect(s).toMatchObject({ served: 3, noShows: 1, cancelled: 1 });
    expect(s.serviceByPractitioner).toEqual([
      { practitionerId: 'dr-a', served: 1, averageServiceMinutes: 30 },
      { practitionerId: 'dr-z', served: 1, averageServiceMinutes: 10 },
      { practitionerId: 'unassigned', served: 1, averageServiceMinutes: 10 },
    ]);
    expect(summarizeDay([])).toEqual({
      served: 0,
      noShows: 0,
      cancelled: 0,
      averageWaitMinutes: null,
      p90WaitMinutes: null,
      serviceByPractitioner: [],
    });
  });
});

describe('QueueEntry statuses', () => {
  it('knows the final statuses', () => {
    expect(ENTRY_STATUSES.filter(isFinal)).toEqual(['completed', 'cancelled', 'no_show']);
  });
});
