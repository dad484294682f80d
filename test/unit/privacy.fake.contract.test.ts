// The retention / erasure contract on the in-memory fake (the same suite runs on the Supabase adapter in
// test/integration/privacy.contract.test.ts).
import { InMemoryReportsRepository } from '../../src/services/reports/repositories/InMemoryReportsRepository';
import { privacyContract } from '../fixtures/contracts/privacyContract';

privacyContract('in-memory fake', async () => {
  const clinicId = globalThis.crypto.randomUUID();
  const aminaId = globalThis.crypto.randomUUID();
  const patients = [
    { id: aminaId, fullName: 'Amina Benali', phone: '+212600001234', lastDay: null, lastTicket: null },
    {
      id: globalThis.crypto.randomUUID(),
      fullName: 'Omar Alaoui',
      phone: null,
      lastDay: null,
      lastTicket: null,
    },
  ];
  const owner = new InMemoryReportsRepository();
  owner.owned.add(clinicId);
  owner.patients.set(clinicId, patients);
  // the receptionist sees the same patients (one clinic) but owns nothing
  const reception = new InMemoryReportsRepository();
  reception.patients.set(clinicId, patients);
  return { owner, reception, stranger: new InMemoryReportsRepository(), clinicId, aminaId };
});
