// The clinic directory contract on the in-memory fake (the adapter runs it in
// test/integration/clinicDirectory.contract.test.ts).
import { InMemoryClinicDirectory } from '../../src/services/clinic/repositories/InMemoryClinicDirectoryRepository';
import { InMemoryClinicWorld } from '../../src/services/clinic/repositories/InMemoryClinicRepository';
import { systemClock } from '../../src/services/shared/Clock';
import { clinicDirectoryContract } from '../fixtures/contracts/clinicDirectoryContract';

let n = 0;
clinicDirectoryContract('in-memory fake', async () => {
  const world = new InMemoryClinicWorld(systemClock);
  world.addUser('founder', { email: 'founder@example.test' });
  world.addUser('stranger', { email: 'stranger@example.test' });
  const directory = new InMemoryClinicDirectory(world);
  return {
    founder: world.as('founder'),
    founderDirectory: directory.as('founder'),
    strangerDirectory: directory.as('stranger'),
    visitor: directory.as(null),
    setHeld: async (clinicId, held) => {
      if (held) directory.held.add(clinicId);
      else directory.held.delete(clinicId);
    },
    unique: () => `u${++n}`,
  };
});
