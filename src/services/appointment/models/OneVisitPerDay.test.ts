import { describe, expect, it } from 'vitest';
import { sameDayVisitDecision } from './OneVisitPerDay';

const code = (statuses: string[]) => {
  const r = sameDayVisitDecision(statuses);
  return r.ok ? 'ok' : r.error.code;
};

describe('One visit per patient per day', () => {
  it('V1 a patient has at most one open visit a day', () => {
    expect(code([])).toBe('ok');
    for (const open of ['scheduled', 'waiting', 'called', 'in_service', 'absent']) {
      expect(code([open])).toBe('QUEUE.DUPLICATE_ENTRY');
      expect(code(['completed', open])).toBe('QUEUE.DUPLICATE_ENTRY');
    }
  });

  it('V2 a no-show of that day still counts: the patient may not book again that day', () => {
    expect(code(['no_show'])).toBe('BOOKING.NO_SHOW_TODAY');
    expect(code(['cancelled', 'no_show', 'completed'])).toBe('BOOKING.NO_SHOW_TODAY');
    // a re-activated no-show is an open visit again (V1)
    expect(code(['no_show', 'waiting'])).toBe('QUEUE.DUPLICATE_ENTRY');
  });

  it('V3 a completed or cancelled visit does not count', () => {
    expect(code(['completed'])).toBe('ok');
    expect(code(['cancelled'])).toBe('ok');
    expect(code(['completed', 'cancelled', 'cancelled'])).toBe('ok');
  });
});
