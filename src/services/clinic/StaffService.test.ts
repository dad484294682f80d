// StaffService.updateTeam on the in-memory repository (which, like set_team, judges the final team): handing
// ownership over works whatever order the caller lists the changes in.
import { describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../composition/inMemory';
import { ManualClock } from '../shared/Clock';

describe('StaffService.updateTeam', () => {
  it('hands ownership over in one save even when the step-down is listed first', async () => {
    const made = createInMemoryServices({ actorId: 'me', clock: new ManualClock('2026-11-24T08:00:00Z') });
    made.clinicWorld.addUser('me');
    const c = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
    if (!c.ok) throw new Error(c.error.code);
    const { clinicId, memberId: me } = c.value;
    const b = '00000000-0000-4000-8000-00000000000b';
    made.clinicWorld.members.set(b, {
      id: b,
      clinicId,
      userId: 'b',
      role: 'admin',
      displayName: 'B',
      room: null,
      active: true,
    });
    const r = await made.services.staff.updateTeam(clinicId, [
      { memberId: me, role: 'admin' },
      { memberId: b, role: 'owner' },
    ]);
    expect(r.ok).toBe(true);
    const team = await made.services.staff.members(clinicId);
    expect(team.ok && Object.fromEntries(team.value.map((m) => [m.id, m.role]))).toEqual({
      [me]: 'admin',
      [b]: 'owner',
    });
  });
});

describe('StaffService.removeMember', () => {
  it('a malformed member id is VALIDATION.FAILED before any call; the team is unchanged', async () => {
    const made = createInMemoryServices({ actorId: 'me', clock: new ManualClock('2026-11-24T08:00:00Z') });
    made.clinicWorld.addUser('me');
    const c = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
    if (!c.ok) throw new Error(c.error.code);
    const r = await made.services.staff.removeMember("x' or 1=1 --");
    expect(!r.ok && r.error.code).toBe('VALIDATION.FAILED');
    expect(made.clinicWorld.members.size).toBe(1);
  });
});
