// QueueService.latestView (rt24, issue 14): the view of today's queue the service last saved or read. "Almost your
// turn" (composition/staffNotifications.ts) takes its positions from it when the desk's own step publishes its
// events, instead of re-reading the whole day after every step (bench:web saw one more get_queue per change at the
// desk, competing with the estimates' store and the tracker's read).
import { describe, expect, it } from 'vitest';
import { CLINIC, DR_A, queueFixture } from '../../../test/fixtures/queueFixture';
import type { AppError } from '../shared/AppError';
import type { Result } from '../shared/Result';
import type { QueueView } from './QueueService';

const must = <T>(r: Result<T, AppError>): T => {
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
};

describe('QueueService.latestView', () => {
  it('is the view of the step whose events are being published: positions after the step, no read', async () => {
    const { service, bus } = queueFixture();
    expect(service.latestView(CLINIC)).toBeNull();
    must(await service.addWalkIn(CLINIC, { patientName: 'Amina' }));
    must(await service.addWalkIn(CLINIC, { patientName: 'Youssef' }));
    let reads = 0;
    const status = service.status.bind(service);
    service.status = (c, d) => {
      reads++;
      return status(c, d);
    };
    // a listener of the step's events (as NotificationService is) sees the line after that step
    const seen: (QueueView | null)[] = [];
    bus.subscribe('PatientCalled', (e) => {
      seen.push(service.latestView(e.clinicId));
    });
    const called = must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.queue.version).toBe(called.view.queue.version);
    expect(
      seen[0]?.entries.filter((e) => e.position !== null).map((e) => [e.patientName, e.position]),
    ).toEqual([['Youssef', 1]]);
    expect(reads).toBe(0);
  });

  it('never goes back to an older version, nor to another day’s queue', async () => {
    const { service } = queueFixture();
    must(await service.addWalkIn(CLINIC, { patientName: 'Amina' }));
    const v = must(await service.addWalkIn(CLINIC, { patientName: 'Youssef' })).view.queue.version;
    expect(service.latestView(CLINIC)?.queue.version).toBe(v);
    const today = service.latestView(CLINIC)?.queue.day;
    if (!today) throw new Error('setup');
    const tomorrow = new Date(Date.parse(`${today}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await service.status(CLINIC, tomorrow);
    expect(service.latestView(CLINIC)?.queue.day).toBe(today);
    expect(service.latestView(CLINIC)?.queue.version).toBe(v);
  });

  it('keeps the view it just stored when the 65th clinic fills the bounded cache (fix24b)', async () => {
    const { service } = queueFixture();
    const view = must(await service.addWalkIn(CLINIC, { patientName: 'Amina' })).view;
    // the cache is filled the way reads of other clinics fill it (status/steps → storeEstimates)
    const store = (
      service as unknown as { storeEstimates(v: QueueView, today: boolean): Promise<void> }
    ).storeEstimates.bind(service);
    const clinic = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    for (let i = 1; i <= 64; i++) {
      const other = { ...view, queue: { ...view.queue, clinicId: clinic(i), status: 'closed' as const } };
      await store(other, true);
      expect(service.latestView(clinic(i))?.queue.clinicId).toBe(clinic(i));
    }
    const last = { ...view, queue: { ...view.queue, clinicId: clinic(65), status: 'closed' as const } };
    await store(last, true);
    expect(service.latestView(clinic(65))?.queue.clinicId).toBe(clinic(65));
    // a clinic already held is updated in place, never clearing the others
    await store(last, true);
    expect(service.latestView(clinic(65))).not.toBeNull();
  });
});
