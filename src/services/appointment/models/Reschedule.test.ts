import { describe, expect, it } from 'vitest';
import {
  canReschedule,
  rescheduleDecision,
  rescheduleFluidDecision,
  type ReschedulableFluidVisit,
  type ReschedulableVisit,
} from './Reschedule';

const now = new Date('2026-12-01T08:00:00Z');
const at = (minutesFromNow: number) => new Date(now.getTime() + minutesFromNow * 60_000).toISOString();
const notice = { minCancelNoticeMinutes: 120, minBookingNoticeMinutes: 60 };
const visit = (over: Partial<ReschedulableVisit> = {}): ReschedulableVisit => ({
  status: 'scheduled',
  kind: 'booked',
  slotStart: at(24 * 60),
  ...over,
});
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('Reschedule rules', () => {
  it('RS1 only a scheduled booked visit with a slot can be moved', () => {
    expect(code(canReschedule(visit(), notice, now))).toBe('ok');
    for (const status of ['waiting', 'called', 'in_service', 'completed', 'cancelled', 'no_show', 'absent'])
      expect(code(canReschedule(visit({ status }), notice, now))).toBe('QUEUE.ILLEGAL_TRANSITION');
    expect(code(canReschedule(visit({ kind: 'walk_in' }), notice, now))).toBe('QUEUE.ILLEGAL_TRANSITION');
    expect(code(canReschedule(visit({ slotStart: null }), notice, now))).toBe('QUEUE.ILLEGAL_TRANSITION');
  });

  it('RS2 the patient moves a visit no later than min_cancel_notice_minutes before its current slot', () => {
    expect(code(canReschedule(visit({ slotStart: at(120) }), notice, now))).toBe('ok');
    expect(code(canReschedule(visit({ slotStart: at(119) }), notice, now))).toBe(
      'BOOKING.RESCHEDULE_TOO_LATE',
    );
    expect(code(rescheduleDecision(visit({ slotStart: at(119) }), at(600), notice, now))).toBe(
      'BOOKING.RESCHEDULE_TOO_LATE',
    );
    // the clinic's own notice, not a fixed figure
    expect(code(canReschedule(visit({ slotStart: at(119) }), { minCancelNoticeMinutes: 30 }, now))).toBe(
      'ok',
    );
  });

  it('RS3 the new slot obeys the booking notice', () => {
    expect(code(rescheduleDecision(visit(), at(60), notice, now))).toBe('ok');
    expect(code(rescheduleDecision(visit(), at(59), notice, now))).toBe('BOOKING.TOO_SOON');
    expect(code(rescheduleDecision(visit(), at(-10), { ...notice, minBookingNoticeMinutes: 0 }, now))).toBe(
      'BOOKING.TOO_SOON',
    );
    expect(code(rescheduleDecision(visit(), 'not a time', notice, now))).toBe('VALIDATION.FAILED');
  });

  it('RS4 the new slot differs from the current one', () => {
    const v = visit();
    expect(code(rescheduleDecision(v, v.slotStart ?? '', notice, now))).toBe('BOOKING.RESCHEDULE_SAME_SLOT');
    expect(code(rescheduleDecision(v, at(24 * 60 + 20), notice, now))).toBe('ok');
  });
});

describe('Reschedule rules for a fluid visit (a place in a day, no time)', () => {
  const fluid = (over: Partial<ReschedulableFluidVisit> = {}): ReschedulableFluidVisit => ({
    status: 'scheduled',
    kind: 'booked',
    fluid: true,
    day: '2026-12-03',
    dayOpensAt: at(24 * 60),
    ...over,
  });

  it('RS1 fluid: only a scheduled booked fluid visit moves to another day; a visit with a time is MODE_MISMATCH', () => {
    expect(code(rescheduleFluidDecision(fluid(), '2026-12-04', notice, now))).toBe('ok');
    for (const status of ['waiting', 'called', 'completed', 'cancelled', 'no_show'])
      expect(code(rescheduleFluidDecision(fluid({ status }), '2026-12-04', notice, now))).toBe(
        'QUEUE.ILLEGAL_TRANSITION',
      );
    expect(code(rescheduleFluidDecision(fluid({ kind: 'walk_in' }), '2026-12-04', notice, now))).toBe(
      'QUEUE.ILLEGAL_TRANSITION',
    );
    expect(code(rescheduleFluidDecision(fluid({ fluid: false }), '2026-12-04', notice, now))).toBe(
      'BOOKING.MODE_MISMATCH',
    );
  });

  it('RS2 fluid: no later than min_cancel_notice_minutes before the visit’s day opens', () => {
    expect(code(rescheduleFluidDecision(fluid({ dayOpensAt: at(120) }), '2026-12-04', notice, now))).toBe(
      'ok',
    );
    expect(code(rescheduleFluidDecision(fluid({ dayOpensAt: at(119) }), '2026-12-04', notice, now))).toBe(
      'BOOKING.RESCHEDULE_TOO_LATE',
    );
  });

  it('RS4 fluid: the new day differs from the visit’s day', () => {
    expect(code(rescheduleFluidDecision(fluid(), '2026-12-03', notice, now))).toBe(
      'BOOKING.RESCHEDULE_SAME_DAY',
    );
  });
});
