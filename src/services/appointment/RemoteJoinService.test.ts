// RemoteJoinService (issue 17, "join today's queue from my phone") on the in-memory booking world.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/Clock';
import { RemoteJoinService } from './RemoteJoinService';
import { InMemoryBookingWorld } from './repositories/InMemoryBookingRepository';

const at = (day: string, hhmm: string) =>
  DateTime.fromISO(`${day}T${hhmm}`, { zone: 'Africa/Casablanca' }).toUTC().toISO() ?? '';

// 2026-11-24 is a Tuesday: a split day
const TUESDAY = {
  2: [
    { start: '09:00', end: '13:00' },
    { start: '15:00', end: '19:00' },
  ],
};

describe('RemoteJoinService', () => {
  it('off by default; on, a waiting walk-in of today with its tracking link, once a day, within the cap', async () => {
    const world = new InMemoryBookingWorld(new ManualClock(at('2026-11-24', '09:00')));
    world.addClinic({ id: 'c1', hours: TUESDAY });
    world.addClinic({ id: 'c2', hours: TUESDAY, remoteJoinCap: 2 });
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

  it('remote join: opening hours — refused before opening, in the break and after closing of a split day (QUEUE.REMOTE_JOIN_OUTSIDE_HOURS)', async () => {
    for (const [hhmm, open] of [
      ['08:59', false],
      ['09:00', true],
      ['13:30', false],
      ['15:00', true],
      ['19:00', false],
    ] as const) {
      const world = new InMemoryBookingWorld(new ManualClock(at('2026-11-24', hhmm)));
      world.addClinic({ id: 'c1', hours: TUESDAY, remoteJoinCap: 5 });
      const service = new RemoteJoinService(world.remoteAs('patient-1'));
      const state = await service.state('c1');
      expect(state.ok && state.value.reason, hhmm).toBe(open ? null : 'outside_hours');
      const j = await service.join({ clinicId: 'c1', fullName: 'Amina' });
      expect(j.ok ? 'joined' : j.error.code, hhmm).toBe(open ? 'joined' : 'QUEUE.REMOTE_JOIN_OUTSIDE_HOURS');
    }
  });

  it('the owners’ settings: validated before the repository; a join then carries its arrive-by time', async () => {
    const world = new InMemoryBookingWorld(new ManualClock(at('2026-11-24', '10:00')));
    world.addClinic({ id: 'c1', hours: TUESDAY, staffUserIds: ['owner-1'] });
    const owner = new RemoteJoinService(world.remoteAs('owner-1'));
    for (const bad of [
      { cap: 0, arrivalMinutes: null },
      { cap: 501, arrivalMinutes: null },
      { cap: 3, arrivalMinutes: 4 },
      { cap: 3, arrivalMinutes: 241 },
      { cap: 2.5, arrivalMinutes: null },
    ]) {
      const r = await owner.saveSettings('c1', bad);
      expect(!r.ok && r.error.code, JSON.stringify(bad)).toBe('VALIDATION.FAILED');
    }
    const patient = new RemoteJoinService(world.remoteAs('patient-1'));
    const forbidden = await patient.saveSettings('c1', { cap: 3, arrivalMinutes: 30 });
    expect(!forbidden.ok && forbidden.error.code).toBe('AUTH.FORBIDDEN');
    expect(await owner.saveSettings('c1', { cap: 3, arrivalMinutes: 30 })).toEqual({
      ok: true,
      value: { cap: 3, arrivalMinutes: 30 },
    });
    expect(await owner.settings('c1')).toEqual({ ok: true, value: { cap: 3, arrivalMinutes: 30 } });
    const j = await patient.join({ clinicId: 'c1', fullName: 'Amina' });
    expect(j.ok && j.value.arriveBy).toBe(at('2026-11-24', '10:30'));
  });
});
