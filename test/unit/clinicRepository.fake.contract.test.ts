// The clinic/staff contract on the in-memory fake (the adapter runs it in test/integration/clinicRepository.contract.test.ts).
import { InMemoryClinicWorld } from '../../src/services/clinic/repositories/InMemoryClinicRepository';
import { systemClock } from '../../src/services/shared/Clock';
import { zoneRulesFrom } from '../../src/services/shared/ZoneRules';
import { zoneOffsetAt } from '../../supabase/local/db/zoneData';
import { clinicRepositoryContract } from '../fixtures/contracts/clinicRepositoryContract';

// The fake computes the clinic clock with the zone files the databases read (as the adapter's run does), not
// Node's ICU: the contract's Ramadan-2027 offsets are those files' rules, and Node's release may differ (issue 14).
const ZONEINFO = process.env.QUEUEMED_ZONEINFO ?? '/usr/share/zoneinfo';
const databaseZones = zoneRulesFrom((zone, ts) => zoneOffsetAt(ZONEINFO, zone, new Date(ts)));

let n = 0;
clinicRepositoryContract('in-memory fake', async () => {
  const world = new InMemoryClinicWorld(systemClock, databaseZones);
  world.addUser('founder', { email: 'founder@example.test' });
  world.addUser('invitee', { email: 'nadia@example.test' });
  world.addUser('stranger', { email: 'stranger@example.test' });
  return {
    founder: world.as('founder'),
    founderUserId: 'founder',
    invitee: world.as('invitee'),
    inviteeUserId: 'invitee',
    inviteeEmail: 'nadia@example.test',
    stranger: world.as('stranger'),
    strangerUserId: 'stranger',
    uniqueSlug: () => `clinic-${++n}`,
    giveVisit: async (_clinicId: string, memberId: string) => {
      world.history.add(memberId);
    },
    founderSchedule: world.as('founder'),
    strangerSchedule: world.as('stranger'),
    setProfileName: async (userId: string, fullName: string | null) => {
      world.setProfileName(userId, fullName);
    },
  };
});
