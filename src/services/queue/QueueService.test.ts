// QueueService through its public API on the in-memory fakes: every DOMAIN.md queue operation, the
// load → decide → save → publish order, and the version-conflict retry.
import { describe, expect, it } from 'vitest';
import { at, CLINIC, DR_A, DR_B, queueFixture } from '../../../test/fixtures/queueFixture';
import type { QueueDomainEvent } from './api';
import type { CommandSuccess, QueueService } from './QueueService';
import type { QueueStep } from './repositories/QueueRepository';
import type { Result } from '../shared/Result';
import type { AppError } from '../shared/AppError';

const must = <T>(r: Result<T, AppError>): T => {
  if (!r.ok) throw new Error(`unexpected ${r.error.code}: ${r.error.message}`);
  return r.value;
};
const code = (r: Result<unknown, AppError>): string => (r.ok ? 'ok' : r.error.code);
const entryOf = (s: CommandSuccess, id: string) => {
  const e = s.view.entries.find((x) => x.id === id);
  if (!e) throw new Error(`no entry ${id}`);
  return e;
};
const types = (events: readonly QueueDomainEvent[]) => events.map((e) => e.type);
const walkIn = async (
  service: QueueService,
  name: string,
  o: { practitionerId?: string; priority?: 'urgent' } = {},
) => {
  const r = must(await service.addWalkIn(CLINIC, { patientName: name, ...o }));
  const id = r.events.find((e) => e.type === 'WalkInAdded')?.entryId;
  if (!id) throw new Error('no entry id');
  return id;
};

describe('QueueService — reads', () => {
  it('creates the day’s queue on first use: open, version 0, empty', async () => {
    const { service } = queueFixture();
    const view = must(await service.status(CLINIC));
    expect(view.queue).toMatchObject({ clinicId: CLINIC, day: '2026-11-24', version: 0, status: 'open' });
    expect(view.entries).toEqual([]);
    expect(view.directory.members.map((m) => m.id)).toEqual([DR_A, DR_B]);
  });

  it('an unknown clinic is NOT_FOUND', async () => {
    const { service } = queueFixture();
    expect(code(await service.status('nope'))).toBe('NOT_FOUND');
  });
});

describe('QueueService — arrivals', () => {
  it('adds a walk-in: patient record, waiting entry at position 1, WalkInAdded published after the save', async () => {
    const { service, repo, published } = queueFixture();
    const r = must(
      await service.addWalkIn(CLINIC, { patientName: 'Amina', phone: '0612345678', language: 'ar' }),
    );
    const e = r.view.entries[0];
    expect(e).toMatchObject({
      status: 'waiting',
      kind: 'walk_in',
      position: 1,
      patientName: 'Amina',
      expectedDurationMinutes: 20,
    });
    expect(e?.patientId && repo.patientName(e.patientId)).toBe('Amina');
    expect(types(published)).toEqual(['WalkInAdded']);
    expect(published[0]).toMatchObject({ actorId: 'user-a', clinicId: CLINIC });
    expect(r.view.queue.version).toBe(1);
  });

  it('refuses a bad phone (PHONE.INVALID) and an empty name (VALIDATION.FAILED) without saving', async () => {
    const { service, repo, published } = queueFixture();
    expect(code(await service.addWalkIn(CLINIC, { patientName: 'Amina', phone: '12' }))).toBe(
      'PHONE.INVALID',
    );
    expect(code(await service.addWalkIn(CLINIC, { patientName: '  ' }))).toBe('VALIDATION.FAILED');
    expect(repo.saves).toBe(0);
    expect(published).toEqual([]);
  });

  it('enforces max_walk_ins_per_day', async () => {
    const { service } = queueFixture({ max_walk_ins_per_day: 1 });
    await walkIn(service, 'One');
    expect(code(await service.addWalkIn(CLINIC, { patientName: 'Two' }))).toBe('QUEUE.WALK_IN_LIMIT_REACHED');
  });

  it('checks in a booked patient on time: keeps the slot as order key (ahead of an earlier walk-in)', async () => {
    const { service, book, clock } = queueFixture({}, '08:50');
    await book('b1', '09:00');
    clock.set(at('09:02'));
    const w = await walkIn(service, 'Walk');
    clock.set(at('09:05'));
    const r = must(await service.checkIn(CLINIC, { entryId: 'b1' }));
    expect(entryOf(r, 'b1')).toMatchObject({ status: 'waiting', position: 1 });
    expect(entryOf(r, w).position).toBe(2);
    expect(types(r.events)).toEqual(['PatientCheckedIn']);
  });

  it('a late check-in (after on_time_tolerance_minutes) queues by check-in time', async () => {
    const { service, book, clock } = queueFixture({}, '08:50');
    await book('b1', '09:00');
    const w = await walkIn(service, 'Walk');
    clock.set(at('09:11'));
    const r = must(await service.checkIn(CLINIC, { entryId: 'b1' }));
    expect(entryOf(r, w).position).toBe(1);
    expect(entryOf(r, 'b1').position).toBe(2);
  });

  it('orders emergency, then urgent, then normal; the emergency is audited with its reason', async () => {
    const { service } = queueFixture();
    const n = await walkIn(service, 'Normal');
    const u = await walkIn(service, 'Urgent', { priority: 'urgent' });
    const r = must(await service.insertEmergency(CLINIC, { patientName: 'Emergency', reason: 'chest pain' }));
    const em = r.events[0];
    expect(em).toMatchObject({
      type: 'EmergencyInserted',
      actorId: 'user-a',
      payload: { reason: 'chest pain' },
    });
    expect(r.view.entries.map((e) => e.id)).toEqual([em?.entryId, u, n]);
    expect(code(await service.insertEmergency(CLINIC, { patientName: 'X', reason: ' ' }))).toBe(
      'VALIDATION.FAILED',
    );
  });
});

describe('QueueService — calling', () => {
  it('call next: the first present entry becomes called with the room; PatientCalled is published', async () => {
    const { service, published } = queueFixture();
    const a = await walkIn(service, 'A');
    await walkIn(service, 'B');
    const r = must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    expect(entryOf(r, a)).toMatchObject({ status: 'called', room: 'Room 1', servedBy: DR_A, position: null });
    expect(published.at(-1)).toMatchObject({
      type: 'PatientCalled',
      entryId: a,
      payload: { room: 'Room 1', outOfOrder: false },
    });
  });

  it('nobody present: QUEUE.NO_PATIENT_PRESENT, nothing saved or published', async () => {
    const { service, repo, published, book } = queueFixture();
    await book('b1', '09:30');
    const saves = repo.saves;
    expect(code(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }))).toBe(
      'QUEUE.NO_PATIENT_PRESENT',
    );
    expect(repo.saves).toBe(saves);
    expect(published).toEqual([]);
  });

  it('passes over a booked patient whose slot came but who is not here: skip_count + 1, place kept', async () => {
    const { service, book, clock } = queueFixture({}, '08:00');
    await book('b1', '08:30');
    clock.set(at('08:40'));
    const w = await walkIn(service, 'Walk');
    const r = must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    expect(entryOf(r, w).status).toBe('called');
    expect(entryOf(r, 'b1')).toMatchObject({ status: 'scheduled', skipCount: 1 });
    expect(types(r.events)).toEqual(['PatientPassedOver', 'PatientCalled']);
  });

  it('call a specific patient needs a reason; everyone present it overtakes gets skip_count + 1 and PatientOvertaken', async () => {
    const { service } = queueFixture();
    const a = await walkIn(service, 'A');
    const b = await walkIn(service, 'B');
    const c = await walkIn(service, 'C');
    expect(
      code(
        await service.callSpecific(CLINIC, { entryId: c, practitionerId: DR_A, room: 'Room 1', reason: '' }),
      ),
    ).toBe('VALIDATION.FAILED');
    const r = must(
      await service.callSpecific(CLINIC, {
        entryId: c,
        practitionerId: DR_A,
        room: 'Room 1',
        reason: 'results only',
      }),
    );
    expect(entryOf(r, c).status).toBe('called');
    expect([entryOf(r, a).skipCount, entryOf(r, b).skipCount]).toEqual([1, 1]);
    expect(types(r.events).filter((t) => t === 'PatientOvertaken')).toHaveLength(2);
    expect(r.events.find((e) => e.type === 'PatientCalled')).toMatchObject({
      payload: { outOfOrder: true, reason: 'results only' },
    });
  });

  it('no starvation: after max_skips a patient must be called next, and calling someone else out of order is refused', async () => {
    const { service } = queueFixture({ max_skips: 1, auto_finish_on_next: true });
    const a = await walkIn(service, 'A');
    const b = await walkIn(service, 'B');
    const c = await walkIn(service, 'C');
    must(
      await service.callSpecific(CLINIC, { entryId: b, practitionerId: DR_A, room: 'Room 1', reason: 'x' }),
    );
    expect(
      code(
        await service.callSpecific(CLINIC, { entryId: c, practitionerId: DR_A, room: 'Room 1', reason: 'y' }),
      ),
    ).toBe('QUEUE.SKIP_CAP_REACHED');
    must(await service.start(CLINIC, { entryId: b }));
    const r = must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    expect(entryOf(r, a).status).toBe('called');
  });

  it('auto_finish_on_next completes the practitioner’s current patient first', async () => {
    const { service } = queueFixture();
    const a = await walkIn(service, 'A');
    await walkIn(service, 'B');
    must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    must(await service.start(CLINIC, { entryId: a }));
    const r = must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    expect(entryOf(r, a).status).toBe('completed');
    expect(types(r.events)).toContain('ServiceFinished');
  });

  it('without auto_finish_on_next a busy practitioner is refused', async () => {
    const { service } = queueFixture({ auto_finish_on_next: false });
    const a = await walkIn(service, 'A');
    await walkIn(service, 'B');
    must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    must(await service.start(CLINIC, { entryId: a }));
    expect(code(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }))).toBe(
      'QUEUE.PRACTITIONER_BUSY',
    );
  });

  it('a practitioner draws from their own pool and "any", never another practitioner’s', async () => {
    const { service } = queueFixture();
    const forB = await walkIn(service, 'ForB', { practitionerId: DR_B });
    const any = await walkIn(service, 'Any');
    const r = must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    expect(entryOf(r, any).status).toBe('called');
    expect(entryOf(r, forB)).toMatchObject({ status: 'waiting', position: 1 });
  });

  it('start and finish a visit; finishing someone not in service is refused', async () => {
    const { service } = queueFixture();
    const a = await walkIn(service, 'A');
    expect(code(await service.finish(CLINIC, { entryId: a }))).toBe('QUEUE.ILLEGAL_TRANSITION');
    must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    expect(entryOf(must(await service.start(CLINIC, { entryId: a })), a).status).toBe('in_service');
    const r = must(await service.finish(CLINIC, { entryId: a }));
    expect(entryOf(r, a).status).toBe('completed');
    expect(types(r.events)).toEqual(['ServiceFinished']);
  });
});

describe('QueueService — absence, grace, lateness', () => {
  it('mark absent starts the grace period; the view counts it down', async () => {
    const { service, clock } = queueFixture({ grace_period_minutes: 10 });
    const a = await walkIn(service, 'A');
    must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    const r = must(await service.markAbsent(CLINIC, { entryId: a }));
    expect(entryOf(r, a)).toMatchObject({ status: 'absent', graceRemainingSeconds: 600 });
    expect(r.events[0]).toMatchObject({
      type: 'PatientMarkedAbsent',
      payload: { graceMinutes: 10, room: 'Room 1' },
    });
    clock.advanceMinutes(4);
    expect(must(await service.status(CLINIC)).entries.find((e) => e.id === a)?.graceRemainingSeconds).toBe(
      360,
    );
  });

  it('return within grace goes back to waiting after the next present patient (after_next, offset 1)', async () => {
    const { service, clock } = queueFixture();
    const a = await walkIn(service, 'A');
    const b = await walkIn(service, 'B');
    const c = await walkIn(service, 'C');
    must(await service.markAbsent(CLINIC, { entryId: a }));
    clock.advanceMinutes(5);
    const r = must(await service.returnFromAbsence(CLINIC, { entryId: a }));
    expect([b, a, c].map((id) => entryOf(r, id).position)).toEqual([1, 2, 3]);
    expect(r.events[0]).toMatchObject({ type: 'PatientReturned', payload: { position: 2 } });
  });

  it('after the grace period the entry is a no-show: the view shows it, a return is refused, the sweep saves it', async () => {
    const { service, clock, repo } = queueFixture({ grace_period_minutes: 10 });
    const a = await walkIn(service, 'A');
    must(await service.markAbsent(CLINIC, { entryId: a }));
    clock.advanceMinutes(10);
    expect(must(await service.status(CLINIC)).entries[0]?.status).toBe('no_show');
    expect(code(await service.returnFromAbsence(CLINIC, { entryId: a }))).toBe('QUEUE.GRACE_EXPIRED');
    const swept = must(await service.sweep(CLINIC));
    expect(types(swept.events)).toEqual(['GraceExpired']);
    const log = must(await repo.events(swept.view.queue.id));
    expect(log.map((e) => e.type)).toContain('GraceExpired');
    // sweeping again changes nothing and saves nothing
    const saves = repo.saves;
    expect(must(await service.sweep(CLINIC)).events).toEqual([]);
    expect(repo.saves).toBe(saves);
  });

  it('"I’m running late" keeps a booked patient and marks them late; they are held, not passed over', async () => {
    const { service, book, clock } = queueFixture({}, '08:00');
    await book('b1', '08:30');
    const r = must(await service.runningLate(CLINIC, { entryId: 'b1', source: 'tracking_link' }));
    expect(entryOf(r, 'b1')).toMatchObject({ status: 'scheduled', late: true });
    clock.set(at('08:40'));
    await walkIn(service, 'Walk');
    const called = must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    expect(entryOf(called, 'b1').skipCount).toBe(0);
    expect(types(called.events)).toContain('LatePatientHeld');
  });

  it('cancel from any non-final status; cancelling again is refused', async () => {
    const { service } = queueFixture();
    const a = await walkIn(service, 'A');
    const r = must(await service.cancel(CLINIC, { entryId: a, reason: 'left' }));
    expect(entryOf(r, a).status).toBe('cancelled');
    expect(code(await service.cancel(CLINIC, { entryId: a }))).toBe('QUEUE.ILLEGAL_TRANSITION');
    expect(code(await service.cancel(CLINIC, { entryId: 'missing' }))).toBe('QUEUE.ENTRY_NOT_FOUND');
  });

  it('staff re-activate a no-show: a fresh arrival at the end of the line, and the event log says so', async () => {
    const { service, clock, repo } = queueFixture();
    const a = await walkIn(service, 'A');
    must(await service.markAbsent(CLINIC, { entryId: a }));
    clock.advanceMinutes(11);
    const b = await walkIn(service, 'B');
    expect(code(await service.reactivate(CLINIC, { entryId: b }))).toBe('QUEUE.ILLEGAL_TRANSITION');
    clock.advanceMinutes(1);
    const r = must(await service.reactivate(CLINIC, { entryId: a }));
    expect(entryOf(r, a)).toMatchObject({ status: 'waiting', position: 2, reactivations: 1 });
    const log = must(await repo.events(r.view.queue.id));
    expect(log.at(-1)).toMatchObject({ type: 'NoShowReactivated', entryId: a });
  });
});

describe('QueueService — re-ordering and the end of the day', () => {
  it('move puts a waiting entry at a position (reason required, audited)', async () => {
    const { service } = queueFixture();
    const a = await walkIn(service, 'A');
    const b = await walkIn(service, 'B');
    const r = must(await service.move(CLINIC, { entryId: b, toPosition: 1, reason: 'elderly' }));
    expect([entryOf(r, b).position, entryOf(r, a).position]).toEqual([1, 2]);
    expect(r.events[0]).toMatchObject({ type: 'EntryMoved', actorId: 'user-a' });
    expect(code(await service.move(CLINIC, { entryId: b, toPosition: 1, reason: '' }))).toBe(
      'VALIDATION.FAILED',
    );
  });

  it('transfer moves a waiting patient to another doctor’s line by their order key (audited); an unknown or inactive target is refused before any save', async () => {
    const { service, repo } = queueFixture();
    const b1 = await walkIn(service, 'B1', { practitionerId: DR_B });
    const a1 = await walkIn(service, 'A1', { practitionerId: DR_A });
    const b2 = await walkIn(service, 'B2', { practitionerId: DR_B });
    const r = must(
      await service.transfer(CLINIC, { entryId: a1, practitionerId: DR_B, reason: 'Dr A left' }),
    );
    expect([b1, a1, b2].map((id) => entryOf(r, id).position)).toEqual([1, 2, 3]);
    expect(entryOf(r, a1).practitionerId).toBe(DR_B);
    expect(r.events[0]).toMatchObject({
      type: 'EntryMoved',
      actorId: 'user-a',
      payload: { fromPractitionerId: DR_A, toPractitionerId: DR_B, reason: 'Dr A left', transfer: true },
    });
    const saves = repo.saves;
    expect(
      code(await service.transfer(CLINIC, { entryId: a1, practitionerId: 'someone', reason: 'x' })),
    ).toBe('VALIDATION.FAILED');
    expect(code(await service.transfer(CLINIC, { entryId: a1, practitionerId: null, reason: '' }))).toBe(
      'VALIDATION.FAILED',
    );
    expect(repo.saves).toBe(saves);
    must(await service.transfer(CLINIC, { entryId: a1, practitionerId: null, reason: 'first free doctor' }));
  });

  it('pause / reopen (issue 17): a paused doctor’s call next is refused until resumed; a closed intake refuses walk-ins, never an emergency', async () => {
    const { service, repo } = queueFixture();
    await walkIn(service, 'A', { practitionerId: DR_A });
    const paused = must(await service.pauseDesk(CLINIC, { practitionerId: DR_A, reason: 'lunch' }));
    expect(paused.queue.pausedPractitionerIds).toEqual([DR_A]);
    const saves = repo.saves;
    expect(code(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }))).toBe(
      'QUEUE.DESK_PAUSED',
    );
    expect(repo.saves).toBe(saves); // refused by the domain, before any save
    expect(code(await service.pauseDesk(CLINIC, { practitionerId: DR_A }))).toBe('QUEUE.ILLEGAL_TRANSITION');
    expect(code(await service.pauseDesk(CLINIC, { practitionerId: '' }))).toBe('VALIDATION.FAILED');
    must(await service.resumeDesk(CLINIC, { practitionerId: DR_A }));
    must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));

    const closed = must(await service.closeIntake(CLINIC, { reason: 'full' }));
    expect(closed.queue.intakeClosedAt).not.toBeNull();
    expect(code(await service.addWalkIn(CLINIC, { patientName: 'Late' }))).toBe('QUEUE.INTAKE_CLOSED');
    must(await service.insertEmergency(CLINIC, { patientName: 'Hurt', reason: 'fall' }));
    must(await service.reopenIntake(CLINIC));
    await walkIn(service, 'B');
    const stored = must(await repo.events(closed.queue.id));
    expect(stored.filter((e) => e.entryId === null).map((e) => e.type)).toEqual([
      'DeskPaused',
      'DeskResumed',
      'IntakeClosed',
      'IntakeReopened',
    ]);
  });

  it('setPriority raises an entry to emergency (audited)', async () => {
    const { service } = queueFixture();
    const a = await walkIn(service, 'A');
    const b = await walkIn(service, 'B');
    const r = must(
      await service.setPriority(CLINIC, { entryId: b, priority: 'emergency', reason: 'fainted' }),
    );
    expect(r.view.entries.map((e) => e.id)).toEqual([b, a]);
    expect(r.events[0]).toMatchObject({ type: 'PriorityChanged' });
  });

  it('end day: called/in-service → completed, waiting/absent/scheduled → no_show, queue closed with a summary; later commands get QUEUE.CLOSED', async () => {
    const { service, book } = queueFixture({}, '08:00');
    await book('b1', '11:00');
    const a = await walkIn(service, 'A');
    const b = await walkIn(service, 'B');
    must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    const r = must(await service.endDay(CLINIC));
    expect(entryOf(r, a).status).toBe('completed');
    expect([entryOf(r, b).status, entryOf(r, 'b1').status]).toEqual(['no_show', 'no_show']);
    // A was called but never started: closed, yet not counted as seen (issue 15.14)
    expect(r.view.queue).toMatchObject({ status: 'closed', summary: { served: 0, noShows: 2 } });
    expect(code(await service.addWalkIn(CLINIC, { patientName: 'Late' }))).toBe('QUEUE.CLOSED');
    expect(must(await service.status(CLINIC)).queue.status).toBe('closed');
  });
});

describe('QueueService — optimistic concurrency and publishing', () => {
  it('a stale save is retried: reload, decide again, call a different patient; events published once', async () => {
    const { service, repo, published, clock, bus, ids } = queueFixture();
    const a = await walkIn(service, 'A');
    const b = await walkIn(service, 'B');
    published.length = 0;
    // Another desk calls next between our load and our save (once).
    const { QueueService: Svc } = await import('./QueueService');
    const other = new Svc({ repo, bus, clock, ids, actor: () => 'user-b' });
    let interfered = false;
    repo.beforeSave = async () => {
      if (interfered) return;
      interfered = true;
      repo.beforeSave = null;
      must(await other.callNext(CLINIC, { practitionerId: DR_B, room: 'Room 2' }));
      repo.beforeSave = async () => undefined;
    };
    const r = must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    expect(r.attempts).toBe(2);
    expect(entryOf(r, a)).toMatchObject({ status: 'called', servedBy: DR_B });
    expect(entryOf(r, b)).toMatchObject({ status: 'called', servedBy: DR_A });
    const calls = published.filter((e) => e.type === 'PatientCalled');
    expect(calls.map((e) => e.entryId)).toEqual([a, b]);
    const log = must(await repo.events(r.view.queue.id)).filter((e) => e.type === 'PatientCalled');
    expect(log.map((e) => e.entryId)).toEqual([a, b]);
  });

  it('a conflict that never clears ends with QUEUE.VERSION_CONFLICT after maxAttempts; nothing is published', async () => {
    const { repo, bus, clock, published } = queueFixture();
    const { QueueService: Svc } = await import('./QueueService');
    const service = new Svc({ repo, bus, clock, maxAttempts: 3 });
    await walkIn(service, 'A');
    published.length = 0;
    const sneaky = new Svc({ repo, bus, clock, maxAttempts: 1 });
    repo.beforeSave = async () => {
      const hook = repo.beforeSave;
      repo.beforeSave = null;
      await sneaky.addWalkIn(CLINIC, { patientName: 'Sneaky' });
      repo.beforeSave = hook;
    };
    const saves = repo.saves;
    const r = await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' });
    expect(code(r)).toBe('QUEUE.VERSION_CONFLICT');
    expect(published.filter((e) => e.type === 'PatientCalled')).toEqual([]);
    // 3 attempts of ours + 3 of the interfering walk-ins
    expect(repo.saves - saves).toBe(6);
  });

  it('a save that fails for another reason publishes nothing and returns the error', async () => {
    const { service, repo, published } = queueFixture();
    await walkIn(service, 'A');
    published.length = 0;
    repo.save = async () => ({ ok: false, error: { code: 'AUTH.FORBIDDEN', message: 'no' } });
    expect(code(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }))).toBe(
      'AUTH.FORBIDDEN',
    );
    expect(published).toEqual([]);
  });

  it('a throwing listener does not break the command', async () => {
    const { service, bus } = queueFixture();
    bus.subscribe('WalkInAdded', () => {
      throw new Error('listener bug');
    });
    expect((await service.addWalkIn(CLINIC, { patientName: 'A' })).ok).toBe(true);
  });
});

describe('QueueService — exactly-once commands (issue 12)', () => {
  const CMD = '0b6f3c52-8f0e-4d57-9a3e-5c1f6a2b7d01';

  it('a double call-next with the same command id calls one patient; the second answers with the first result', async () => {
    const { service, repo, published } = queueFixture();
    const a = await walkIn(service, 'A');
    const b = await walkIn(service, 'B');
    published.length = 0;
    const first = must(
      await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }, { commandId: CMD }),
    );
    const saves = repo.saves;
    const second = must(
      await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }, { commandId: CMD }),
    );
    expect(second.replayed).toBe(true);
    expect(second.events).toEqual([]);
    expect(repo.saves).toBe(saves); // answered from the load: nothing decided or saved again
    expect(entryOf(second, a).status).toBe('called');
    expect(entryOf(second, b).status).toBe('waiting');
    expect(second.view.queue.version).toBe(first.view.queue.version);
    expect(types(published)).toEqual(['PatientCalled']); // published once
  });

  it('a duplicated save of one command (its first answer lost) is applied once', async () => {
    const { service, repo, published } = queueFixture();
    const a = await walkIn(service, 'A');
    await walkIn(service, 'B');
    published.length = 0;
    // the first save reaches the database, its answer is lost, and the same step is sent again
    const save = repo.save.bind(repo);
    repo.save = async (step) => {
      await save(step);
      return save(step);
    };
    const r = must(
      await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }, { commandId: CMD }),
    );
    expect(r.replayed).toBe(true);
    expect(entryOf(r, a).status).toBe('called');
    expect(r.view.entries.filter((e) => e.status === 'called')).toHaveLength(1);
    expect(published).toEqual([]);
  });

  it('two call-next commands 2 ms apart from one desk call one patient, and the first is never completed', async () => {
    const { service, clock } = queueFixture();
    const a = await walkIn(service, 'A');
    const b = await walkIn(service, 'B');
    const first = service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' });
    clock.advanceMinutes(2 / 60_000);
    const second = service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' });
    const results = await Promise.all([first, second]);
    expect(results.map(code).sort()).toEqual(['QUEUE.CALLED_NOT_STARTED', 'ok']);
    const view = must(await service.status(CLINIC));
    expect(view.entries.find((e) => e.id === a)?.status).toBe('called');
    expect(view.entries.find((e) => e.id === b)?.status).toBe('waiting');
    expect(view.entries.filter((e) => e.status === 'completed')).toEqual([]);
  });

  it('a command id that is not a UUID is VALIDATION.FAILED, nothing saved', async () => {
    const { service, repo } = queueFixture();
    await walkIn(service, 'A');
    const saves = repo.saves;
    expect(
      code(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }, { commandId: 'x' })),
    ).toBe('VALIDATION.FAILED');
    expect(repo.saves).toBe(saves);
  });

  it('a walk-in whose step fails leaves no patient record (patient and step in one transaction)', async () => {
    const { service, repo } = queueFixture({ max_walk_ins_per_day: 1 });
    await walkIn(service, 'One');
    const before = repo.patientIds();
    expect(code(await service.addWalkIn(CLINIC, { patientName: 'Two', phone: '0612345678' }))).toBe(
      'QUEUE.WALK_IN_LIMIT_REACHED',
    );
    // a refused save too (the day was closed by another desk between load and save)
    repo.beforeSave = async () => {
      repo.beforeSave = null;
      must(await service.endDay(CLINIC));
    };
    expect(code(await service.insertEmergency(CLINIC, { patientName: 'Three', reason: 'pain' }))).toBe(
      'QUEUE.CLOSED',
    );
    expect(repo.patientIds()).toEqual(before);
  });
});

describe('QueueService — wait estimates in the view', () => {
  it('two practitioners, three waiting 20-minute visits: the first two soon, the third about 20 min; none for others', async () => {
    const { service } = queueFixture();
    const a = await walkIn(service, 'A');
    const b = await walkIn(service, 'B');
    const c = await walkIn(service, 'C');
    const view = must(await service.status(CLINIC));
    const wait = (id: string) => view.entries.find((e) => e.id === id)?.wait;
    expect(wait(a)?.display).toEqual({ kind: 'soon' });
    expect(wait(b)?.display).toEqual({ kind: 'soon' });
    expect(wait(c)).toMatchObject({ kind: 'estimate', minutes: 20 });
    const r = must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    expect(entryOf(r, a).wait).toBeNull();
  });

  it('a practitioner in service delays the line by the rest of their visit', async () => {
    const { service, clock } = queueFixture();
    const a = await walkIn(service, 'A', { practitionerId: DR_A });
    const b = await walkIn(service, 'B', { practitionerId: DR_A });
    must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    must(await service.start(CLINIC, { entryId: a }));
    clock.advanceMinutes(5);
    const view = must(await service.status(CLINIC));
    expect(view.entries.find((e) => e.id === b)?.wait).toMatchObject({ kind: 'estimate', minutes: 15 });
  });
});

describe('QueueService — whose "today"', () => {
  it("takes today from the server (its clock and zone data), not from the runtime's own zone rules", async () => {
    const { ManualClock } = await import('../shared/Clock');
    const { InMemoryQueueRepository } = await import('./repositories/InMemoryQueueRepository');
    const { createEventBus } = await import('../shared/EventBus');
    const { QueueService: Svc } = await import('./QueueService');
    // 23:30 UTC on 30 Nov 2026: the server with tzdata 2026c+ says 23:30 on the 30th in Casablanca (+00); a
    // runtime whose rules are older (Node's ICU here, tz 2025c: +01) says 00:30 on 1 December
    const now = new Date('2026-11-30T23:30:00Z');
    const inner = new InMemoryQueueRepository(new ManualClock(now));
    inner.addClinic({
      id: CLINIC,
      members: [{ id: DR_A, userId: 'u', role: 'practitioner', displayName: 'A', room: null, active: true }],
    });
    const serverToday = '2026-11-30';
    // the server answers "today's queue" (no day asked) with its own today
    const repo = Object.assign(Object.create(inner) as typeof inner, {
      load: (...args: Parameters<typeof inner.load>) =>
        inner.load(args[0], args[1] ?? serverToday, ...(args.slice(2) as [never, never])),
    });
    const service = new Svc({ repo, bus: createEventBus(), clock: new ManualClock(now) });
    const view = must(await service.status(CLINIC));
    expect(view.queue.day).toBe(serverToday);
    // a command on today's queue is checked against the server's today (not refused as QUEUE.NOT_TODAY)
    const r = must(await service.addWalkIn(CLINIC, { patientName: 'Before midnight' }));
    expect(r.view.queue.day).toBe(serverToday);
    expect(r.view.entries).toHaveLength(1);
    const called = must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    expect(called.view.entries[0]?.status).toBe('called');
  });
});

describe('QueueService — tickets', () => {
  it('the view shows tickets with the clinic’s prefix, as the board, the tracker and the SMS do', async () => {
    const { service, book } = queueFixture({}, '08:00');
    await book('b1', '09:00');
    await walkIn(service, 'W');
    const view = must(await service.status(CLINIC));
    expect(view.entries.map((e) => e.ticket).sort()).toEqual(['A-001', 'A-002']);
  });
});

describe('QueueService — a command’s cost does not grow with the day (issue 12)', () => {
  it('a command loads the active entries and the entry it names; reads and the end of the day load the whole day', async () => {
    const { service, repo } = queueFixture();
    const a = await walkIn(service, 'A');
    await walkIn(service, 'B');
    must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    must(await service.start(CLINIC, { entryId: a }));
    must(await service.status(CLINIC));
    must(await service.endDay(CLINIC));
    expect(repo.loads).toEqual([
      { kind: 'active', entryIds: [] },
      { kind: 'active', entryIds: [] },
      { kind: 'active', entryIds: [] },
      { kind: 'active', entryIds: [a] },
      { kind: 'day' },
      { kind: 'day' },
    ]);
  });

  it('a finished patient the command did not load stays in its view (the desk keeps the day’s history)', async () => {
    const { service } = queueFixture();
    const a = await walkIn(service, 'A');
    const b = await walkIn(service, 'B');
    must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    must(await service.start(CLINIC, { entryId: a }));
    must(await service.finish(CLINIC, { entryId: a }));
    // a's visit is over: the next command does not load it, its view still shows it
    const r = must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    expect(entryOf(r, a).status).toBe('completed');
    expect(entryOf(r, b).status).toBe('called');
    expect(r.view.entries.map((e) => e.id)).toEqual(
      must(await service.status(CLINIC)).entries.map((e) => e.id),
    );
  });

  it('a save sends the changed entries with how they were loaded, so only changed columns travel', async () => {
    const { service, repo } = queueFixture();
    const a = await walkIn(service, 'A');
    const steps: QueueStep[] = [];
    repo.beforeSave = (step) => {
      steps.push(step);
    };
    must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    const step = steps[0];
    expect(step?.loaded?.get(a)).toMatchObject({ id: a, status: 'waiting' });
    expect(step?.entries.find((e) => e.id === a)).toMatchObject({ status: 'called' });
  });
});
