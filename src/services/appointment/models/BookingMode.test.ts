import { describe, expect, it } from 'vitest';
import {
  bookingModeDecision,
  effectiveBookingMode,
  fluidDayDecision,
  fluidPlaceDecision,
  fluidPlacesLeft,
  type FluidDayInput,
} from './BookingMode';

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('BookingMode (issue 17, docs/fluid-queues.md)', () => {
  it('F1 fluid: a booking takes a place in the day, not a time', () => {
    expect(code(bookingModeDecision('fluid', 'day'))).toBe('ok');
    expect(code(bookingModeDecision('fluid', 'slot'))).toBe('BOOKING.MODE_MISMATCH'); // a forged slot
    expect(code(bookingModeDecision('slotted', 'slot'))).toBe('ok');
    expect(code(bookingModeDecision('slotted', 'day'))).toBe('BOOKING.MODE_MISMATCH');
  });

  it("F2 fluid: the day's places", () => {
    // 09:00–13:00 + 15:00–19:00 = 480 open minutes, 20-minute visits, one patient at a time
    expect(fluidPlacesLeft({ openMinutes: 480, slotCapacity: 1, heldMinutes: 0, durationMinutes: 20 })).toBe(
      24,
    );
    // two doctors: twice the places
    expect(fluidPlacesLeft({ openMinutes: 480, slotCapacity: 2, heldMinutes: 0, durationMinutes: 20 })).toBe(
      48,
    );
    // slotted bookings (3 × 15 min) and fluid ones (2 × 20 min) hold their minutes: floor(395 / 20)
    expect(fluidPlacesLeft({ openMinutes: 480, slotCapacity: 1, heldMinutes: 85, durationMinutes: 20 })).toBe(
      19,
    );
    // overbooked by staff: never below 0
    expect(fluidPlacesLeft({ openMinutes: 60, slotCapacity: 1, heldMinutes: 90, durationMinutes: 20 })).toBe(
      0,
    );
    expect(code(fluidPlaceDecision(1))).toBe('ok');
    expect(code(fluidPlaceDecision(0))).toBe('BOOKING.DAY_FULL');
  });

  it('F2 fluid: a closed, past, over or too distant day is refused as for slots', () => {
    const now = Date.UTC(2026, 11, 1, 9, 0); // today 09:00 (+00)
    const base: FluidDayInput = {
      day: '2026-12-03',
      today: '2026-12-01',
      horizonDay: '2026-12-31',
      closed: false,
      lastCloseMs: Date.UTC(2026, 11, 3, 19, 0),
      nowMs: now,
      noticeMinutes: 60,
      enforceNotice: true,
    };
    expect(code(fluidDayDecision(base))).toBe('ok');
    expect(code(fluidDayDecision({ ...base, closed: true }))).toBe('BOOKING.CLINIC_CLOSED');
    expect(code(fluidDayDecision({ ...base, lastCloseMs: null }))).toBe('BOOKING.CLINIC_CLOSED');
    expect(code(fluidDayDecision({ ...base, day: '2026-11-30' }))).toBe('BOOKING.TOO_SOON');
    expect(code(fluidDayDecision({ ...base, day: '2027-01-01' }))).toBe('BOOKING.BEYOND_HORIZON');
    expect(code(fluidDayDecision({ ...base, day: '2027-01-01', enforceNotice: false }))).toBe('ok');
    // today closes at 19:00: a patient may take a place until 18:00 (60 minutes' notice), staff until 19:00
    const today = { ...base, day: '2026-12-01', lastCloseMs: Date.UTC(2026, 11, 1, 19, 0) };
    expect(code(fluidDayDecision({ ...today, nowMs: Date.UTC(2026, 11, 1, 17, 59) }))).toBe('ok');
    expect(code(fluidDayDecision({ ...today, nowMs: Date.UTC(2026, 11, 1, 18, 0) }))).toBe(
      'BOOKING.TOO_SOON',
    );
    expect(
      code(fluidDayDecision({ ...today, nowMs: Date.UTC(2026, 11, 1, 18, 30), enforceNotice: false })),
    ).toBe('ok');
  });

  it('F4 per visit type overrides the clinic', () => {
    expect(effectiveBookingMode(null, 'fluid')).toBe('fluid');
    expect(effectiveBookingMode('slotted', 'fluid')).toBe('slotted');
    expect(effectiveBookingMode('fluid', 'slotted')).toBe('fluid');
    expect(effectiveBookingMode(undefined, undefined)).toBe('slotted');
  });
});
