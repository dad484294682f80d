// The clinic/staff contract on the Supabase adapter (create_clinic and invitation RPCs, table reads) on the local stack.
import { afterAll, beforeAll, describe } from 'vitest';
import { SupabaseClinicRepository } from '../../src/services/clinic/repositories/SupabaseClinicRepository';
import { SupabaseDoctorScheduleRepository } from '../../src/services/clinic/repositories/SupabaseDoctorScheduleRepository';
import { clinicRepositoryContract } from '../fixtures/contracts/clinicRepositoryContract';
import { startAppStack, type AppStack } from './appStack';

describe('on pglite', () => {
  let app: AppStack;
  let n = 0;
  beforeAll(async () => {
    app = await startAppStack('pglite');
  });
  afterAll(async () => {
    await app?.stop();
  });

  clinicRepositoryContract('Supabase adapter (pglite)', async () => {
    const founder = await app.signUp('founder');
    const invitee = await app.signUp('invitee');
    const stranger = await app.signUp('stranger');
    return {
      founder: new SupabaseClinicRepository(founder.client),
      founderUserId: founder.userId,
      invitee: new SupabaseClinicRepository(invitee.client),
      inviteeUserId: invitee.userId,
      inviteeEmail: invitee.email,
      stranger: new SupabaseClinicRepository(stranger.client),
      strangerUserId: stranger.userId,
      uniqueSlug: () => `c-${process.pid}-${Date.now().toString(36)}-${++n}`,
      // as the database owner (fixture data): a walk-in of today's queue assigned to the member
      giveVisit: async (clinicId: string, memberId: string) => {
        const [patient] = await app.addPatients(clinicId, ['Amine']);
        await app.db.query(
          `with q as (insert into public.queues (clinic_id, day) values ($1, current_date)
                        on conflict (clinic_id, day) do update set day = excluded.day returning id)
           insert into public.queue_entries (queue_id, clinic_id, patient_id, practitioner_id, kind, status,
                                             ticket_number, order_key)
           select q.id, $1, $2, $3, 'walk_in', 'waiting', 1, 1 from q`,
          [clinicId, patient!.id, memberId],
        );
      },
      founderSchedule: new SupabaseDoctorScheduleRepository(founder.client),
      strangerSchedule: new SupabaseDoctorScheduleRepository(stranger.client),
      // as the database owner: a name stored before rule P1 (the profiles name rule — a trigger on the written name
      // since sec25 — and the name triggers set aside for this one write)
      setProfileName: async (userId: string, fullName: string | null) => {
        await app.db.transaction(async (tx) => {
          await tx.exec(`set local session_replication_role = replica`);
          await tx.query(`update public.profiles set full_name = $2 where id = $1`, [userId, fullName]);
        });
      },
    };
  });
});
