// The QueueRepository contract on the Supabase adapter (supabase-js → local stack → get_queue /
// save_queue_step on the real migrations), on PGlite and PostgreSQL. Same suite as the fake's.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe } from 'vitest';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { queueRepositoryContract } from '../fixtures/contracts/queueRepositoryContract';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { middayZone } from './queueStackKit';

describe.each(['pglite', 'postgres'] as Kind[])('on %s', (kind) => {
  let app: AppStack;
  let foreignPatientId = '';
  beforeAll(async () => {
    app = await startAppStack(kind);
    const other = await app.newClinic('other');
    foreignPatientId = (await app.addPatients(other.clinicId, ['Foreign']))[0]?.id ?? '';
  });
  afterAll(async () => {
    await app?.stop();
  });

  queueRepositoryContract(`Supabase adapter (${kind})`, async () => {
    const owner = await app.newClinic('q');
    // a zone where it is about noon now: the clinic's day cannot roll over mid-suite, whatever the hour
    const zone = middayZone();
    await app.db.query('update public.clinics set time_zone = $2 where id = $1', [owner.clinicId, zone]);
    const patients = await app.addPatients(owner.clinicId, ['Amina B', 'Youssef K', 'Salma R', 'Omar T']);
    return {
      repo: new SupabaseQueueRepository(owner.client),
      // another desk of the same clinic: a fresh adapter holds no earlier load
      otherDesk: () => new SupabaseQueueRepository(owner.client),
      deltaLoads: true,
      clinicId: owner.clinicId,
      actorId: owner.userId,
      practitionerId: owner.memberId,
      patients,
      foreignPatientId,
      today: DateTime.now().setZone(zone).toISODate() ?? '',
      timeZone: zone,
      // private.now() pinned `seconds` ahead (0: the real clock again)
      shiftClock: async (seconds: number) => {
        await app.db.query('delete from private.pinned_clock');
        if (seconds !== 0)
          await app.db.query(
            `insert into private.pinned_clock (at) values (now() + $1 * interval '1 second')`,
            [seconds],
          );
      },
      // the one source of the turn lease (20261217400001), as an operator changes it
      setTurnLease: async (ms: number) => {
        await app.db.query('update private.queue_turn_settings set lease_ms = $1', [ms]);
      },
    };
  });
});
