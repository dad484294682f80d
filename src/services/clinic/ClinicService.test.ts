// ClinicService and StaffService on the in-memory fake: validated settings, split working hours, closed
// dates, roles (only an owner touches an owner), invitations with normalised phones.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/Clock';
import { ClinicService } from './ClinicService';
import { InMemoryClinicWorld } from './repositories/InMemoryClinicRepository';
import { StaffService } from './StaffService';

async function setup() {
  const world = new InMemoryClinicWorld(new ManualClock('2026-11-24T09:00:00Z'));
  world.addUser('owner', { email: 'owner@example.test' });
  world.addUser('admin', { email: 'admin@example.test' });
  world.addUser('doc', { phone: '+212612345678' });
  const clinic = new ClinicService(world.as('owner'));
  const staff = new StaffService(world.as('owner'));
  const created = await clinic.createClinic({
    name: ' Cabinet Atlas ',
    slug: 'Atlas',
    displayName: 'Dr Owner',
  });
  if (!created.ok) throw new Error(created.error.code);
  const { clinicId } = created.value;
  const inv = await staff.invite(clinicId, {
    role: 'admin',
    displayName: 'Admin',
    email: 'ADMIN@example.test',
  });
  if (!inv.ok) throw new Error(inv.error.code);
  const joined = await new StaffService(world.as('admin')).accept(inv.value.token);
  if (!joined.ok) throw new Error(joined.error.code);
  return {
    world,
    clinic,
    staff,
    clinicId,
    adminMemberId: joined.value.memberId,
    ownerMemberId: created.value.memberId,
  };
}

describe('ClinicService', () => {
  it('creates a clinic with a normalised slug and the default settings', async () => {
    const { clinic, clinicId } = await setup();
    const p = await clinic.profile(clinicId);
    expect(p.ok && p.value).toMatchObject({ slug: 'atlas', name: 'Cabinet Atlas' });
    expect((await clinic.createClinic({ name: 'X', slug: 'no spaces' })).ok).toBe(false);
  });

  it('updates settings partially, validating the whole (VALIDATION.FAILED for a bad value, nothing stored)', async () => {
    const { clinic, clinicId } = await setup();
    const r = await clinic.updateSettings(clinicId, { grace_period_minutes: 15, late_return_policy: 'end' });
    expect(r.ok && r.value).toMatchObject({
      grace_period_minutes: 15,
      late_return_policy: 'end',
      max_skips: 3,
    });
    const bad = await clinic.updateSettings(clinicId, { grace_period_minutes: 0 });
    expect(!bad.ok && bad.error.code).toBe('VALIDATION.FAILED');
    const p = await clinic.profile(clinicId);
    expect(p.ok && p.value.settings.grace_period_minutes).toBe(15);
  });

  it('changes one visit type (length or booking mode) and saves the list with the others as they were', async () => {
    const { clinic, clinicId } = await setup();
    const saved = await clinic.saveVisitTypes(clinicId, [
      { name: 'Consultation', durationMinutes: 15, active: true, bookingMode: null },
      { name: 'Échographie', durationMinutes: 30, active: true, bookingMode: 'fluid' },
    ]);
    if (!saved.ok) throw new Error(saved.error.code);
    const list = async () => {
      const r = await clinic.visitTypes(clinicId);
      if (!r.ok) throw new Error(r.error.code);
      return r.value.map((t) => [t.name, t.durationMinutes, t.bookingMode, t.active]);
    };
    const [consultation, echo] = saved.value;
    expect((await clinic.setVisitTypeDuration(clinicId, consultation!, 20)).ok).toBe(true);
    expect((await clinic.setVisitTypeMode(clinicId, echo!, null)).ok).toBe(true);
    expect((await clinic.setVisitTypeMode(clinicId, consultation!, 'fluid')).ok).toBe(true);
    expect(await list()).toEqual([
      ['Consultation', 20, 'fluid', true],
      ['Échographie', 30, null, true],
    ]);
    // a type the clinic lacks: NOT_FOUND; a bad length: VALIDATION.FAILED; nothing changed either way
    const missing = await clinic.setVisitTypeDuration(clinicId, '00000000-0000-4000-8000-0000000000ff', 20);
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND');
    const bad = await clinic.setVisitTypeDuration(clinicId, echo!, 0);
    expect(!bad.ok && bad.error.code).toBe('VALIDATION.FAILED');
    expect(await list()).toEqual([
      ['Consultation', 20, 'fluid', true],
      ['Échographie', 30, null, true],
    ]);
  });

  it('adds, renames, archives and restores a visit type; an archived name comes back instead of a twin', async () => {
    const { clinic, clinicId } = await setup();
    const list = async () => {
      const r = await clinic.visitTypes(clinicId);
      if (!r.ok) throw new Error(r.error.code);
      return r.value.map((t) => [t.name, t.durationMinutes, t.active]);
    };
    const added = await clinic.addVisitType(clinicId, { name: ' Vaccin ', durationMinutes: 10 });
    if (!added.ok) throw new Error(added.error.code);
    const id = added.value[0]!;
    expect((await clinic.changeVisitType(clinicId, id, { name: 'Vaccination' })).ok).toBe(true);
    expect((await clinic.changeVisitType(clinicId, id, { active: false })).ok).toBe(true);
    expect(await list()).toEqual([['Vaccination', 10, false]]);
    // the archived type's name (any case): the same row comes back with the new length
    const again = await clinic.addVisitType(clinicId, { name: 'vaccination', durationMinutes: 20 });
    expect(again.ok && again.value).toEqual([id]);
    expect(await list()).toEqual([['vaccination', 20, true]]);
    // an active type's name: refused, nothing changed
    const twin = await clinic.addVisitType(clinicId, { name: 'VACCINATION', durationMinutes: 15 });
    expect(!twin.ok && [twin.error.code, twin.error.details?.['problem']]).toEqual([
      'VALIDATION.FAILED',
      'duplicate',
    ]);
    const blank = await clinic.changeVisitType(clinicId, id, { name: '  ' });
    expect(!blank.ok && blank.error.code).toBe('VALIDATION.FAILED');
    expect(await list()).toEqual([['vaccination', 20, true]]);
  });

  it('stores split working hours per weekday and reads them back; overlapping intervals are HOURS.INVALID', async () => {
    const { clinic, clinicId, world } = await setup();
    const weekly = {
      monday: [
        { start: '09:00', end: '13:00' },
        { start: '15:00', end: '19:00' },
      ],
      sunday: [{ start: '10:00', end: '12:00' }],
    };
    expect((await clinic.setWorkingHours(clinicId, weekly)).ok).toBe(true);
    expect(world.hours.get(clinicId)?.map((r) => r.weekday)).toEqual([1, 1, 0]);
    const back = await clinic.workingHours(clinicId);
    expect(back.ok && back.value).toEqual(weekly);
    const bad = await clinic.setWorkingHours(clinicId, {
      monday: [
        { start: '09:00', end: '13:00' },
        { start: '12:00', end: '14:00' },
      ],
    });
    expect(!bad.ok && bad.error.code).toBe('HOURS.INVALID');
  });

  it('adds and removes closed dates; a profile patch with an unknown zone is TIMEZONE.INVALID', async () => {
    const { clinic, clinicId } = await setup();
    expect((await clinic.addClosedDate(clinicId, { day: '2026-12-25', reason: 'holiday' })).ok).toBe(true);
    const list = await clinic.closedDates(clinicId);
    expect(list.ok && list.value).toEqual([{ day: '2026-12-25', reason: 'holiday' }]);
    expect((await clinic.removeClosedDate(clinicId, '2026-12-25')).ok).toBe(true);
    const tz = await clinic.updateProfile(clinicId, { timeZone: 'Mars/Olympus' });
    expect(!tz.ok && tz.error.code).toBe('TIMEZONE.INVALID');
    expect((await clinic.updateProfile(clinicId, { name: 'Atlas 2', ticketPrefix: 'B' })).ok).toBe(true);
  });
});

describe('StaffService', () => {
  it('an admin manages practitioners but only an owner may change or remove an owner', async () => {
    const { world, clinicId, ownerMemberId } = await setup();
    const asAdmin = new StaffService(world.as('admin'));
    const inv = await asAdmin.invite(clinicId, {
      role: 'practitioner',
      displayName: 'Dr Doc',
      phone: '06 12 34 56 78',
      room: 'Room 2',
    });
    if (!inv.ok) throw new Error(inv.error.code);
    expect([...world.invitations.values()][1]?.phone).toBe('+212612345678');
    const joined = await new StaffService(world.as('doc')).accept(inv.value.token);
    if (!joined.ok) throw new Error(joined.error.code);
    expect((await asAdmin.updateMember(joined.value.memberId, { room: 'Room 5' })).ok).toBe(true);
    const demote = await asAdmin.updateMember(ownerMemberId, { role: 'practitioner' });
    expect(!demote.ok && demote.error.code).toBe('AUTH.FORBIDDEN');
    const remove = await asAdmin.removeMember(ownerMemberId);
    expect(!remove.ok && remove.error.code).toBe('AUTH.FORBIDDEN');
    const ownerInvite = await asAdmin.invite(clinicId, {
      role: 'owner',
      displayName: 'X',
      email: 'x@example.test',
    });
    expect(!ownerInvite.ok && ownerInvite.error.code).toBe('AUTH.FORBIDDEN');
    expect((await asAdmin.removeMember(joined.value.memberId)).ok).toBe(true);
  });

  it('validates invitations: a recipient is required; a bad phone is PHONE.INVALID', async () => {
    const { staff, clinicId } = await setup();
    const none = await staff.invite(clinicId, { role: 'receptionist', displayName: 'R' });
    expect(!none.ok && none.error.code).toBe('VALIDATION.FAILED');
    const bad = await staff.invite(clinicId, { role: 'receptionist', displayName: 'R', phone: '12' });
    expect(!bad.ok && bad.error.code).toBe('PHONE.INVALID');
  });

  it('an invitation expires after 7 days', async () => {
    const { world, staff, clinicId } = await setup();
    world.addUser('late', { email: 'late@example.test' });
    const inv = await staff.invite(clinicId, {
      role: 'receptionist',
      displayName: 'R',
      email: 'late@example.test',
    });
    if (!inv.ok) throw new Error(inv.error.code);
    (world.clock as ManualClock).advanceMinutes(7 * 24 * 60);
    const r = await new StaffService(world.as('late')).accept(inv.value.token);
    expect(!r.ok && r.error.code).toBe('NOT_FOUND');
  });
});
