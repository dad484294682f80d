// Staff and patients see the same position (get_visit_status, 20261201000300_booking.sql): for every waiting entry
// of a queue built through QueueService (two pools, every priority class, on-time and late check-ins, a
// move that leaves an exact ms order key and a tiebreak in `notes`, a called patient), the dashboard's
// position (QueueService, the domain's QueueOrder) equals the tracker's (get_visit_status), on PGlite and
// PostgreSQL through the local stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueCommandResult } from '../../src/services/queue/QueueService';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { parityClinic } from './queueStackKit';

const KINDS: Kind[] = ['pglite', 'postgres'];
const MINUTE = 60_000;

const entryOf = async (r: QueueCommandResult, type: string): Promise<string> => {
  const res = await r;
  if (!res.ok) throw new Error(`${res.error.code} ${res.error.message}`);
  const id = res.value.events.find((e) => e.type === type)?.entryId;
  if (!id) throw new Error(`no ${type}`);
  return id;
};
const ok = async (r: QueueCommandResult): Promise<void> => {
  const res = await r;
  if (!res.ok) throw new Error(`${res.error.code} ${res.error.message}`);
};

describe.each(KINDS)('position parity on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('QueueService and get_visit_status give every waiting entry the same position', async () => {
    const c = await parityClinic(app, `pos-${kind}`);
    const { service, clinicId, practitionerId: dr } = c;
    const now = Date.now();
    // booked: on time (keeps the slot), late (the check-in time), in the practitioner's pool, never arrives
    const onTime = await c.book('On Time', new Date(now - 4 * MINUTE));
    const late = await c.book('Late', new Date(now - 60 * MINUTE));
    const drBooked = await c.book('Dr Booked', new Date(now - 2 * MINUTE), dr);
    const absent = await c.book('Not Here', new Date(now - 1 * MINUTE));
    const walkIn = (patientName: string, o: { practitionerId?: string; priority?: 'urgent' } = {}) =>
      entryOf(service.addWalkIn(clinicId, { patientName, ...o }), 'WalkInAdded');
    const w1 = await walkIn('Walk One');
    await ok(service.checkIn(clinicId, { entryId: late }));
    const w2 = await walkIn('Walk Two', { priority: 'urgent' });
    await ok(service.checkIn(clinicId, { entryId: onTime }));
    const w3 = await walkIn('Walk Three', { practitionerId: dr });
    await ok(service.checkIn(clinicId, { entryId: drBooked }));
    const w4 = await walkIn('Walk Four');
    const w5 = await walkIn('Walk Five', { practitionerId: dr, priority: 'urgent' });
    const em = await entryOf(
      service.insertEmergency(clinicId, { patientName: 'Emergency', reason: 'chest pain' }),
      'EmergencyInserted',
    );
    const w6 = await walkIn('Walk Six');
    const w7 = await walkIn('Walk Seven');
    // a move between two neighbours: a fractional ms key and a tiebreak that only `notes` can carry
    await ok(service.move(clinicId, { entryId: w7, toPosition: 3, reason: 'frail' }));
    await ok(service.move(clinicId, { entryId: w6, toPosition: 3, reason: 'frail too' }));
    // the practitioner calls next: their pool and "any" merged; the called one leaves the line
    await ok(service.callNext(clinicId, { practitionerId: dr, room: 'Room 2' }));

    const view = await service.status(clinicId);
    if (!view.ok) throw new Error(view.error.code);
    const all = [onTime, late, drBooked, absent, w1, w2, w3, w4, w5, em, w6, w7];
    const staff = new Map(view.value.entries.map((e) => [e.id, e]));
    expect([...staff.keys()].sort()).toEqual([...all].sort());
    const waiting = view.value.entries.filter((e) => e.status === 'waiting');
    expect(waiting.length).toBe(10);
    // both pools hold waiting entries
    expect(new Set(waiting.map((e) => e.practitionerId)).size).toBe(2);

    const anon = app.client();
    const rows: [string, number | null, number | null][] = [];
    for (const id of all) {
      const { data, error } = await anon.rpc('get_visit_status', { p_tracking_token: await c.track(id) });
      expect(error).toBeNull();
      const patient = data as { position: number | null; status: string; ticket: string };
      const desk = staff.get(id);
      expect(patient.status).toBe(desk?.status);
      expect(patient.ticket).toBe(desk?.ticket);
      rows.push([desk?.patientName ?? id, desk?.position ?? null, patient.position]);
    }
    // [name, dashboard position, tracker position]: one table so a mismatch shows every entry
    expect(rows.map(([n, , p]) => [n, p])).toEqual(rows.map(([n, d]) => [n, d]));
    // positions are 1..n within each pool
    for (const pool of [null, dr]) {
      const ps = waiting.filter((e) => e.practitionerId === pool).map((e) => e.position);
      expect(ps.sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(ps.map((_, i) => i + 1));
    }
  });
});
