/**
 * Issue 17 (session 19, hours19): the wait estimate follows each doctor's own day. get_wait_history's
 * `practitioner_sessions` (a doctor's own hours that day; [] on leave) reach the estimator as that doctor's sessions,
 * and a doctor with no session today serves no one: with Dr B on leave, "any doctor" patients wait on Dr A alone.
 */
import { describe, expect, it } from 'vitest';
import { at, CLINIC, CONSULT, DR_A, DR_B, queueFixture } from '../../../../test/fixtures/queueFixture';
import { InMemoryQueueRepository } from '../repositories/InMemoryQueueRepository';
import { ManualClock } from '../../shared/Clock';
import { QueueService } from '../QueueService';
import { createEventBus } from '../../shared/EventBus';
import { sequentialIds } from '../../shared/ids';
import { toWaitContext, WaitHistorySchema } from '../repositories/SupabaseWaitEstimates';
import type { WaitContext } from '../repositories/WaitEstimates';

const clinicDay = [
  { start: at('09:00'), end: at('13:00') },
  { start: at('15:00'), end: at('19:00') },
];

/** The waiting patients' estimates after `walkIns` walk-ins at 09:00 in a clinic of these members. */
const waitsIn = async (
  members: readonly { id: string; role: 'owner' | 'admin' | 'practitioner'; room: string | null }[],
  sessions: WaitContext['sessions'],
  walkIns: number,
) => {
  const clock = new ManualClock(at('09:00'));
  const repo = new InMemoryQueueRepository(clock);
  repo.addClinic({
    id: CLINIC,
    name: 'Cabinet Atlas',
    members: members.map((m) => ({ ...m, userId: `user-${m.id}`, displayName: m.id, active: true })),
    appointmentTypes: [{ id: CONSULT, name: 'Consultation', durationMinutes: 20, active: true }],
  });
  repo.actorId = `user-${members.at(-1)!.id}`;
  const service = new QueueService({
    repo,
    bus: createEventBus(),
    clock,
    ids: sequentialIds('n'),
    waitContext: { load: async () => ({ sessions, clinicSessions: clinicDay, history: [] }) },
  });
  await service.status(CLINIC);
  for (let i = 0; i < walkIns; i++) {
    const r = await service.addWalkIn(CLINIC, { patientName: `Walk ${i}` });
    if (!r.ok) throw new Error(r.error.code);
  }
  const s = await service.status(CLINIC);
  if (!s.ok) throw new Error(s.error.code);
  return s.value.entries.filter((e) => e.status === 'waiting').map((e) => e.wait);
};

describe('H2/H4 the wait estimate follows each doctor’s own day', () => {
  it('get_wait_history’s practitioner_sessions become the doctors’ sessions; the others work the clinic’s', () => {
    const ctx = toWaitContext(
      WaitHistorySchema.parse({
        time_zone: 'Africa/Casablanca',
        day: '2026-11-24',
        sessions: clinicDay,
        practitioner_sessions: { [DR_A]: [{ start: at('09:00'), end: at('12:00') }], [DR_B]: [] },
        history: [],
      }),
    );
    expect([...ctx.sessions]).toEqual([
      [DR_A, [{ start: at('09:00'), end: at('12:00') }]],
      [DR_B, []],
    ]);
    expect(ctx.clinicSessions).toEqual(clinicDay);
    // an older database without the key: everyone works the clinic's hours, as before
    const old = toWaitContext(
      WaitHistorySchema.parse({
        time_zone: 'Africa/Casablanca',
        day: '2026-11-24',
        sessions: clinicDay,
        history: [],
      }),
    );
    expect(old.sessions.size).toBe(0);
  });

  it('a doctor on leave today serves no one: "any doctor" patients wait longer than with both doctors working', async () => {
    const lastWait = async (sessions: WaitContext['sessions']) => {
      const fx = queueFixture({}, '09:00');
      const service = new QueueService({
        repo: fx.repo,
        bus: createEventBus(),
        clock: fx.clock,
        ids: sequentialIds('n'),
        waitContext: { load: async () => ({ sessions, clinicSessions: clinicDay, history: [] }) },
      });
      await service.status(CLINIC);
      for (let i = 0; i < 6; i++) {
        const r = await service.addWalkIn(CLINIC, { patientName: `Walk ${i}` });
        if (!r.ok) throw new Error(r.error.code);
      }
      const s = await service.status(CLINIC);
      if (!s.ok) throw new Error(s.error.code);
      const waiting = s.value.entries.filter((e) => e.status === 'waiting');
      return waiting.at(-1)?.wait?.minutes ?? null;
    };
    const both = await lastWait(new Map());
    const onLeave = await lastWait(new Map([[DR_B, []]]));
    expect(both).not.toBeNull();
    expect(onLeave).not.toBeNull();
    expect(onLeave!).toBeGreaterThan(both! * 1.5);
  });
});

// feat21b (DR1 and the estimator): an owner who sees patients has their own hours (practitioner_hours); the clinic's
// day lists them in get_wait_history's practitioner_sessions, and the estimator counts them as serving — also beside
// practitioners. An owner without hours (who manages) still counts only in a clinic without any practitioner.
describe('an owner with their own hours serves: "any doctor" patients wait on them too', () => {
  const OWNER = 'owner-o';
  const lastWait = async (sessions: WaitContext['sessions']) =>
    (
      await waitsIn(
        [
          { id: OWNER, role: 'owner', room: '3' },
          { id: DR_A, role: 'practitioner', room: '1' },
        ],
        sessions,
        6,
      )
    ).at(-1)?.minutes ?? null;

  it('with own hours today the owner shortens the wait; without hours, or with none today, they do not', async () => {
    const alone = await lastWait(new Map());
    const withHours = await lastWait(new Map([[OWNER, clinicDay]]));
    const noneToday = await lastWait(new Map([[OWNER, []]]));
    expect(alone).not.toBeNull();
    expect(withHours).not.toBeNull();
    // two doctors share the line: the sixth walk-in waits far less than on Dr A alone
    expect(withHours!).toBeLessThan(alone! / 1.5);
    // hours that leave today empty (or leave): no one served by the owner today
    expect(noneToday).toBe(alone);
  });
});

// mend22: a clinic without practitioners whose owner (the one who sees patients) is on leave today — listed in
// get_wait_history's practitioner_sessions with [] — has nobody serving: every waiting patient's estimate is
// "not known yet", never the "a few minutes" of a queue nobody calls. The admin (who manages) does not serve for them.
describe('an owner on leave in a clinic without practitioners: nobody serves, the estimate is unknown', () => {
  const OWNER = 'owner-o';
  const waits = (sessions: WaitContext['sessions']) =>
    waitsIn(
      [
        { id: OWNER, role: 'owner', room: '1' },
        { id: 'admin-a', role: 'admin', room: null },
      ],
      sessions,
      3,
    );

  it('on leave: every waiting patient’s wait is unknown; at work: an estimate', async () => {
    const onLeave = await waits(new Map([[OWNER, []]]));
    expect(onLeave).toHaveLength(3);
    for (const w of onLeave) expect(w).toMatchObject({ kind: 'unknown', display: { kind: 'unknown' } });
    const atWork = await waits(new Map());
    expect(atWork.map((w) => w?.kind)).toEqual(['estimate', 'estimate', 'estimate']);
  });
});
