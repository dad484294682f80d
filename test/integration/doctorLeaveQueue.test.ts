// Issue 17 (session 19, hours19), H2/H3 the normal way: the desk adds a walk-in for a doctor on leave today through
// QueueService → SupabaseQueueRepository → save_queue_step on the local stack. The database refuses the step with
// PRACTITIONER.ON_LEAVE (a coded result, not a retry: it is no version conflict), nothing is written, and the same
// walk-in for "any doctor" is admitted. The clinic's day is the database's own (private.clinic_today, middayZone).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { parityClinic } from './queueStackKit';

describe.each(['pglite', 'postgres'] as Kind[])('a doctor on leave at the desk on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind);
  }, 240_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('H2 a walk-in for a doctor on leave today is refused with PRACTITIONER.ON_LEAVE, nothing written; H3 "any doctor" is admitted', async () => {
    const c = await parityClinic(app, `leave-${kind}`, 'LV');
    await app.db.query(
      `insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day)
       select id, $2, private.clinic_today(time_zone), private.clinic_today(time_zone) from public.clinics where id = $1`,
      [c.clinicId, c.practitionerId],
    );
    const entries = async () =>
      Number(
        (
          await app.db.query<{ n: number }>(
            `select count(*)::int as n from public.queue_entries where clinic_id = $1`,
            [c.clinicId],
          )
        ).rows[0]!.n,
      );
    const before = await entries();
    const refused = await c.service.addWalkIn(c.clinicId, {
      patientName: 'Salma',
      practitionerId: c.practitionerId,
    });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('PRACTITIONER.ON_LEAVE');
    expect(await entries()).toBe(before);
    const admitted = await c.service.addWalkIn(c.clinicId, { patientName: 'Salma' });
    expect(admitted.ok ? 'ok' : admitted.error.code).toBe('ok');
    expect(await entries()).toBe(before + 1);
  });
});
