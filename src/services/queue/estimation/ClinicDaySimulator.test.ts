import { describe, expect, it } from 'vitest';
import { ClinicSimulator } from './ClinicDaySimulator';

describe('ClinicDaySimulator: the queue it hands the estimator is the one QueueMed has', () => {
  it('a walk-in who has not come yet is not in the queue (walk-ins enter it when they come)', () => {
    const sim = new ClinicSimulator(1);
    const day = sim.nextDay({ snapshots: true });
    let walkIns = 0;
    for (const snap of day.snapshots) {
      const now = Date.parse(snap.input.now);
      for (const e of snap.input.entries) {
        if (e.kind !== 'walk_in') continue;
        walkIns += 1;
        expect(e.status).not.toBe('scheduled');
        expect(e.arrivedAt).not.toBeNull();
        expect(Date.parse(e.arrivedAt as string)).toBeLessThanOrEqual(now);
      }
    }
    expect(walkIns).toBeGreaterThan(0);
    // booked patients who have not come yet are in it: their slots are known in advance
    expect(
      day.snapshots.some((s) => s.input.entries.some((e) => e.kind === 'booked' && e.status === 'scheduled')),
    ).toBe(true);
  });
});
