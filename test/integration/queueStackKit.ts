/**
 * A clinic on the local stack for the parity tests (staff vs patient views of one queue): its time zone is
 * chosen so that "now" is around midday there (the day never rolls over mid-test, and slots an hour ago
 * are still today), a practitioner member, a QueueService on the owner's session, booked entries added
 * the way the repository stores them, and tracking tokens for any entry (hashed with private.hash_token,
 * as booking does).
 */
import { QueueAggregate } from '../../src/services/queue/api';
import type { QueueBusEvents } from '../../src/services/queue/api/bus';
import { QueueService } from '../../src/services/queue/QueueService';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { createEventBus } from '../../src/services/shared/EventBus';
import { middayZone } from '../fixtures/middayZone';
import type { AppStack } from './appStack';

/** A fixed-offset zone where the current UTC hour is about 12:00 local (test/fixtures/middayZone.ts). */
export { middayZone };

export async function parityClinic(app: AppStack, label: string, ticketPrefix = 'A') {
  const owner = await app.newClinic(label);
  // slot_capacity 10: the parity tests book several overlapping slots straight through a queue step, and the
  // database holds any booked entry to its slot's capacity (verify_step)
  await app.db.query(
    `update public.clinics set time_zone = $2, ticket_prefix = $3,
       settings = coalesce(settings, '{}'::jsonb) || '{"slot_capacity": 10}' where id = $1`,
    [owner.clinicId, middayZone(), ticketPrefix],
  );
  const pract = await app.signUp(`${label}-dr`);
  const { rows } = await app.db.query<{ id: string }>(
    `insert into public.clinic_members (clinic_id, user_id, role, display_name, room)
     values ($1, $2, 'practitioner', 'Dr P', 'Room 2') returning id`,
    [owner.clinicId, pract.userId],
  );
  const practitionerId = rows[0]?.id ?? '';
  const repo = new SupabaseQueueRepository(owner.client);
  const service = new QueueService({
    repo,
    dayControls: repo,
    bus: createEventBus<QueueBusEvents>(),
    actor: () => owner.userId,
  });

  /** A booked appointment of today at `slot`, saved as one step (as the booking RPC would leave it). */
  const book = async (name: string, slot: Date, practitioner: string | null = null): Promise<string> => {
    const [patient] = await app.addPatients(owner.clinicId, [name]);
    if (!patient) throw new Error('no patient');
    const loaded = await repo.load(owner.clinicId);
    if (!loaded.ok) throw new Error(loaded.error.code);
    const agg = QueueAggregate.load(loaded.value.snapshot);
    const entryId = globalThis.crypto.randomUUID();
    const r = agg.addBooked(
      { now: new Date().toISOString(), actorId: owner.userId, correlationId: globalThis.crypto.randomUUID() },
      {
        entryId,
        appointmentId: null,
        patientId: patient.id,
        patientName: name,
        practitionerId: practitioner,
        appointmentTypeId: null,
        expectedDurationMinutes: 15,
        slotAt: slot.toISOString(),
      },
    );
    if (!r.ok) throw new Error(`addBooked: ${r.error.code} ${r.error.message}`);
    const saved = await repo.save({
      queueId: agg.state.id,
      expectedVersion: agg.loadedVersion,
      entries: agg.pendingChanges(),
      newEntryIds: [entryId],
      events: agg.pendingEvents(),
      queue: null,
    });
    if (!saved.ok) throw new Error(`save: ${saved.error.code} ${saved.error.message}`);
    return entryId;
  };

  /** A tracking token for an entry (booking gives one only to booked entries; the token is test-only). */
  const track = async (entryId: string): Promise<string> => {
    const token = `parity-${entryId}`;
    await app.db.transaction(async (tx) => {
      // identity columns are guarded by a trigger; the test sets the token as the database owner
      await tx.exec('set local session_replication_role = replica');
      await tx.query(
        'update public.queue_entries set tracking_token_hash = private.hash_token($2) where id = $1',
        [entryId, token],
      );
    });
    return token;
  };

  return { ...owner, practitionerId, repo, service, book, track };
}
