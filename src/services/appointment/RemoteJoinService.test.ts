// RemoteJoinService (issue 17, "join today's queue from my phone") on the in-memory booking world.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/Clock';
import { RemoteJoinService } from './RemoteJoinService';
import { InMemoryBookingWorld } from './repositories/InMemoryBookingRepository';

const at = (day: string, hhmm: string) =>
  DateTime.fromISO(`${day}T${hhmm}`, { zone: 'Africa/Casablanca' }).toUTC().toISO() ?? '';

describe('RemoteJoinService', () => {
  it('off by default; on, a waiting walk-in of today with its tracking link, once a day, within the cap', async () => {
    const world = new InMemoryBookingWorld(new ManualClock(at('2026-11-24', '09:00')));
    world.addClinic({ id: 'c1', hours: {} });
    world.addClinic({ id: 'c2', hours: {}, remoteJoinCap: 2 });
    const as = (user: string) =>
      new RemoteJoinService(world.remoteAs(user), (t) => `https://q.example/t/${t}`);
    const service = as('patient-1');
    expect(await service.state('c1')).toEqual({
      ok: true,
      value: { open: false, reason: 'off', remaining: null },
    });
    const off = await service.join({ clinicId: 'c1', fullName: 'Amina' });
    expect(!off.ok && off.error.code).toBe('QUEUE.REMOTE_JOIN_OFF');
    const bad = await service.join({ clinicId: 'c2', fullName: ' ' });
    expect(!bad.ok && bad.error.code).toBe('VALIDATION.FAILED');
    const j = await service.join({ clinicId: 'c2', fullName: 'Amina' });
    if (!j.ok) throw new Error(j.error.code);
    expect(j.value).toMatchObject({ status: 'waiting', day: '2026-11-24', ticket: 'A-001' });
    expect(j.value.trackingUrl).toBe(`https://q.example/t/${j.value.trackingToken}`);
    const tracked = await world.as(null).visitStatus(j.value.trackingToken);
    expect(tracked.ok && tracked.value).toMatchObject({ status: 'waiting', slotStart: null });
    const again = await service.join({ clinicId: 'c2' });
    expect(!again.ok && again.error.code).toBe('QUEUE.DUPLICATE_ENTRY');
    expect((await as('patient-2').join({ clinicId: 'c2', fullName: 'Bruno' })).ok).toBe(true);
    expect(await service.state('c2')).toEqual({
      ok: true,
      value: { open: false, reason: 'full', remaining: 0 },
    });
    const full = await as('patient-3').join({ clinicId: 'c2', fullName: 'Chama' });
    expect(!full.ok && full.error.code).toBe('QUEUE.REMOTE_JOIN_FULL');
  });
});
