// The QueueRepository contract on the in-memory fake (the same suite runs on the Supabase adapter in
// test/integration/queueRepository.contract.test.ts).
import { DateTime } from 'luxon';
import { InMemoryQueueRepository } from '../../src/services/queue/repositories/InMemoryQueueRepository';
import { systemClock } from '../../src/services/shared/Clock';
import { queueRepositoryContract } from '../fixtures/contracts/queueRepositoryContract';
import { middayZone } from '../fixtures/middayZone';

const makeEnv = async () => {
  let shift = 0;
  // a zone where it is about noon (as the stack's run of this contract picks): in Casablanca, a case run at
  // 23:59:55 would load tomorrow's queue after `today` was taken, and the undo case's clock shift crosses midnight
  const timeZone = middayZone();
  const repo = new InMemoryQueueRepository({
    now: () => new Date(systemClock.now().getTime() + shift * 1000),
  }).enableTurns();
  repo.actorId = 'u1';
  const clinicId = globalThis.crypto.randomUUID();
  const practitionerId = globalThis.crypto.randomUUID();
  repo.addClinic({
    id: clinicId,
    timeZone,
    members: [
      { id: practitionerId, userId: 'u1', role: 'practitioner', displayName: 'Dr', room: null, active: true },
    ],
  });
  repo.addClinic({ id: 'other-clinic' });
  const patients = [0, 1, 2, 3].map((i) => ({ id: globalThis.crypto.randomUUID(), name: `Patient ${i}` }));
  for (const p of patients) repo.addPatient(clinicId, p.id, { fullName: p.name });
  repo.addPatient('other-clinic', 'foreign', { fullName: 'Foreign' });
  return {
    repo,
    clinicId,
    actorId: 'u1',
    practitionerId,
    patients,
    foreignPatientId: 'foreign',
    today: DateTime.now().setZone(timeZone).toISODate() ?? '',
    timeZone,
    shiftClock: (seconds: number) => {
      shift = seconds;
      return Promise.resolve();
    },
    setTurnLease: (ms: number) => {
      repo.turnLeaseMs = ms;
      return Promise.resolve();
    },
  };
};

queueRepositoryContract('in-memory fake', makeEnv);
