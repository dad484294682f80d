// The waitlist contract on the Supabase adapter (request/withdraw/accept_earlier_slot and
// my_earlier_slot_requests on the real migrations) over the local stack, on PGlite and PostgreSQL; the fake
// runs it in test/unit/waitlist.fake.contract.test.ts. The clinic is open all day, every day, and the visits
// are tomorrow (clinic zone), so no case depends on the hour the suite runs. An offer is made the real way: a
// booking of the earlier slot is cancelled and the database's trigger offers it to the open request.
import { afterAll, beforeAll, describe } from 'vitest';
import { SupabaseWaitlistRepository } from '../../src/services/appointment/repositories/SupabaseWaitlistRepository';
import { waitlistRepositoryContract } from '../fixtures/contracts/waitlistRepositoryContract';
import { startAppStack, type AppStack, type Kind } from './appStack';

describe.each(['pglite', 'postgres'] as Kind[])('on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    // a free port (port 0), as every other stack file: a fixed one collided in CI (fin30a: EADDRINUSE 54712, inside
    // Linux's ephemeral range, where any process's outgoing connection may hold it)
    app = await startAppStack(kind);
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** A booking tomorrow at hh:mm (clinic zone) through the one booking path; the visit's id and slot. */
  const book = async (clinicId: string, patientId: string, hhmm: string) => {
    const id = (
      await app.db.query<{ id: string }>(
        `select private.book(c.id, $2, (private.clinic_today(c.time_zone) + 1 + $3::time) at time zone c.time_zone,
                             null, null, false) ->> 'entry_id' as id
           from public.clinics c where c.id = $1`,
        [clinicId, patientId, hhmm],
      )
    ).rows[0]!.id;
    // the slot as the API writes instants (a separate statement: the booking is visible to it)
    const slot = (
      await app.db.query<{ slot: string }>(
        `select to_json(slot_start) #>> '{}' as slot from public.queue_entries where id = $1`,
        [id],
      )
    ).rows[0]!.slot;
    return { id, slot };
  };

  waitlistRepositoryContract(`Supabase adapter (${kind})`, async () => {
    const owner = await app.newClinic('wl');
    await app.db.query(
      `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
       select $1, d, '00:00', '24:00' from generate_series(0, 6) d`,
      [owner.clinicId],
    );
    const p1 = await app.signUp('wl-patient');
    const p2 = await app.signUp('wl-other');
    const recep = await app.signUp('wl-recep');
    await app.db.query(
      `insert into public.clinic_members (clinic_id, user_id, role, display_name) values ($1, $2, 'receptionist', 'Recep')`,
      [owner.clinicId, recep.userId],
    );
    const { rows } = await app.db.query<{ id: string }>(
      `insert into public.patients (clinic_id, full_name, user_id) values ($1, 'Amina', $2) returning id`,
      [owner.clinicId, p1.userId],
    );
    const [walkIn] = await app.addPatients(owner.clinicId, ['Walk In']);
    const visit = await book(owner.clinicId, rows[0]!.id, '11:00');
    return {
      patient: new SupabaseWaitlistRepository(p1.client),
      entryId: visit.id,
      visitSlotStart: visit.slot,
      otherPatient: new SupabaseWaitlistRepository(p2.client),
      staff: new SupabaseWaitlistRepository(owner.client),
      receptionist: new SupabaseWaitlistRepository(recep.client),
      clinicId: owner.clinicId,
      offerEarlierSlot: async () => {
        const earlier = await book(owner.clinicId, walkIn!.id, '10:00');
        await app.db.query(
          `update public.queue_entries set status = 'cancelled', cancelled_at = private.now(), cancel_reason = 'contract'
            where id = $1`,
          [earlier.id],
        );
        return earlier.slot;
      },
      // the hold's end moved to just before the database's now (what the passing of the clinic's minutes does)
      letOfferExpire: async (requestId) => {
        await app.db.query(
          `update public.waitlist_requests set offer_expires_at = private.now() - interval '1 second'
            where id = $1 and status = 'offered'`,
          [requestId],
        );
      },
    };
  });
});
