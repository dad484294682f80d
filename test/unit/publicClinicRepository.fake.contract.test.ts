// The public clinic page contract on the in-memory directory (the adapter runs it in
// test/integration/publicClinicRepository.contract.test.ts).
import { InMemoryPublicClinicRepository } from '../../src/services/appointment/repositories/InMemoryPublicClinicRepository';
import { InMemoryClinicWorld } from '../../src/services/clinic/repositories/InMemoryClinicRepository';
import { systemClock } from '../../src/services/shared/Clock';
import { publicClinicRepositoryContract } from '../fixtures/contracts/publicClinicRepositoryContract';

let n = 0;
publicClinicRepositoryContract('in-memory directory', async () => {
  const world = new InMemoryClinicWorld(systemClock);
  world.addUser('founder', { email: 'founder@example.test' });
  world.addUser('doctor', { email: 'yassine@example.test' });
  return {
    founder: world.as('founder'),
    doctor: world.as('doctor'),
    doctorEmail: 'yassine@example.test',
    visitor: new InMemoryPublicClinicRepository(world),
    uniqueSlug: () => `clinic-${++n}`,
  };
});
