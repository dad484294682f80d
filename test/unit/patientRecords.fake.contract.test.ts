// The patient search / visit notes contract on the in-memory fake (the same suite runs on the Supabase
// adapter in test/integration/patientRecords.contract.test.ts).
import { InMemoryReportsRepository } from '../../src/services/reports/repositories/InMemoryReportsRepository';
import { patientRecordsContract } from '../fixtures/contracts/patientRecordsContract';

patientRecordsContract('in-memory fake', async () => {
  const clinicId = globalThis.crypto.randomUUID();
  const entryId = globalThis.crypto.randomUUID();
  const staff = new InMemoryReportsRepository();
  staff.patients.set(clinicId, [
    { id: 'p1', fullName: 'Amina Benali', phone: '+212600001234', lastDay: null, lastTicket: null },
    { id: 'p2', fullName: 'Amine Tazi', phone: '+212600009876', lastDay: null, lastTicket: null },
    { id: 'p3', fullName: 'Omar Alaoui', phone: null, lastDay: null, lastTicket: null },
  ]);
  staff.notes.set(entryId, []);
  return { staff, stranger: new InMemoryReportsRepository(), clinicId, entryId };
});
