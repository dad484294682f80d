import { describe, expect, it } from 'vitest';
import { DEFAULT_CLINIC_SETTINGS } from '../../clinic/api';
import { freedSlot, type SlotHolder } from './FreedSlot';

const now = new Date('2026-12-01T09:00:00Z');
const booked = (slotStart: string | null, reactivations = 0): SlotHolder => ({
  kind: 'booked',
  slotStart,
  reactivations,
});
const AHEAD = '2026-12-01T11:00:00Z';
const PAST = '2026-12-01T08:30:00Z';

describe('FreedSlot', () => {
  it('W1 waitlist: a freed slot is offered to the first request, and held — a cancellation frees a slot still ahead', () => {
    expect(freedSlot(booked(AHEAD), 'scheduled', 'cancelled', now)).toBe(AHEAD);
    // a late cancellation (inside the notice, staff only) is a cancellation
    expect(freedSlot(booked('2026-12-01T09:05:00Z'), 'scheduled', 'cancelled', now)).toBe(
      '2026-12-01T09:05:00Z',
    );
  });

  it('W7 waitlist: a no-show frees a slot still ahead', () => {
    // called early, marked absent, grace expired before the slot
    expect(freedSlot(booked(AHEAD), 'absent', 'no_show', now)).toBe(AHEAD);
    // the day ended with the visit still scheduled (its slot is over by then: nothing to offer)
    expect(freedSlot(booked(PAST), 'scheduled', 'no_show', now)).toBeNull();
    // a no-show whose slot has started frees nothing
    expect(freedSlot(booked(now.toISOString()), 'absent', 'no_show', now)).toBeNull();
    // a booked visit cancelled after checking in frees its slot like a no-show
    expect(freedSlot(booked(AHEAD), 'waiting', 'cancelled', now)).toBe(AHEAD);
    // D10: a re-activated no-show holds no slot, so it frees none however it ends
    expect(freedSlot(booked(AHEAD, 1), 'absent', 'no_show', now)).toBeNull();
    expect(freedSlot(booked(AHEAD, 1), 'waiting', 'cancelled', now)).toBeNull();
  });

  it('W8 waitlist: a slot too soon to reach is offered to nobody', () => {
    const lead = DEFAULT_CLINIC_SETTINGS.waitlist_min_lead_minutes;
    expect(lead).toBe(30);
    // 09:29 is 29 minutes away: too soon; 09:30 is exactly the lead: offered; so is anything later
    expect(freedSlot(booked('2026-12-01T09:29:00Z'), 'scheduled', 'cancelled', now, lead)).toBeNull();
    expect(freedSlot(booked('2026-12-01T09:30:00Z'), 'scheduled', 'cancelled', now, lead)).toBe(
      '2026-12-01T09:30:00Z',
    );
    expect(freedSlot(booked(AHEAD), 'absent', 'no_show', now, lead)).toBe(AHEAD);
    // a no-show's slot too close is offered to nobody either
    expect(freedSlot(booked('2026-12-01T09:10:00Z'), 'absent', 'no_show', now, lead)).toBeNull();
    // the clinic's own lead time: 0 = any slot still ahead, 120 keeps 11:00 back
    expect(freedSlot(booked('2026-12-01T09:01:00Z'), 'scheduled', 'cancelled', now, 0)).toBe(
      '2026-12-01T09:01:00Z',
    );
    expect(freedSlot(booked(AHEAD), 'scheduled', 'cancelled', now, 121)).toBeNull();
  });

  it('frees nothing for a walk-in, a visit without a slot, or a move that does not leave the slot', () => {
    expect(
      freedSlot({ kind: 'walk_in', slotStart: null, reactivations: 0 }, 'absent', 'no_show', now),
    ).toBeNull();
    expect(freedSlot(booked(null), 'scheduled', 'cancelled', now)).toBeNull();
    expect(freedSlot(booked(AHEAD), 'scheduled', 'waiting', now)).toBeNull();
    expect(freedSlot(booked(AHEAD), 'called', 'completed', now)).toBeNull();
    expect(freedSlot(booked(AHEAD), 'no_show', 'cancelled', now)).toBeNull();
    expect(freedSlot(booked('not a time'), 'scheduled', 'cancelled', now)).toBeNull();
  });
});
