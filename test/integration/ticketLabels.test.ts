// One ticket rule (TicketNumber): the clinic's prefix + the number, for booked, walk-in and emergency
// entries alike. The domain's event payloads (what SMS and the log carry), the dashboard (QueueService),
// the board (get_waiting_board) and the tracker (get_visit_status) show the same label for each entry,
// on PGlite and PostgreSQL through the local stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { parityClinic } from './queueStackKit';

const KINDS: Kind[] = ['pglite', 'postgres'];

describe.each(KINDS)('ticket labels on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("the domain, the dashboard, the board and the tracker all render the clinic's prefix", async () => {
    const c = await parityClinic(app, `tickets-${kind}`, 'QM');
    const { service, clinicId } = c;
    const booked = await c.book('Booked Patient', new Date(Date.now() - 60_000));
    const checkedIn = await service.checkIn(clinicId, { entryId: booked });
    const walkIn = await service.addWalkIn(clinicId, { patientName: 'Walk In' });
    const emergency = await service.insertEmergency(clinicId, {
      patientName: 'Emergency',
      reason: 'bleeding',
    });
    if (!checkedIn.ok || !walkIn.ok || !emergency.ok) throw new Error('a command failed');
    const walkInId = walkIn.value.events.find((e) => e.type === 'WalkInAdded')?.entryId ?? '';
    const emergencyId = emergency.value.events.find((e) => e.type === 'EmergencyInserted')?.entryId ?? '';
    const ids = [booked, walkInId, emergencyId];

    // the domain: the ticket text in the events of each command, and as stored in the event log
    const domain = new Map<string, string>();
    for (const r of [checkedIn, walkIn, emergency]) {
      for (const e of r.value.events) {
        const ticket = (e.payload as { ticket?: unknown }).ticket;
        if (e.entryId !== null && typeof ticket === 'string') {
          expect(domain.get(e.entryId) ?? ticket).toBe(ticket);
          domain.set(e.entryId, ticket);
        }
      }
    }
    const view = await service.status(clinicId);
    if (!view.ok) throw new Error(view.error.code);
    const log = await c.repo.events(view.value.queue.id);
    if (!log.ok) throw new Error(log.error.code);
    for (const e of log.value) {
      const ticket = (e.payload as { ticket?: unknown }).ticket;
      if (e.entryId !== null && typeof ticket === 'string') expect(ticket).toBe(domain.get(e.entryId));
    }
    // the dashboard
    const dashboard = new Map(view.value.entries.map((e) => [e.id, e.ticket]));
    // the tracker
    const anon = app.client();
    const tracker = new Map<string, string>();
    for (const id of ids) {
      const { data, error } = await anon.rpc('get_visit_status', { p_tracking_token: await c.track(id) });
      expect(error).toBeNull();
      tracker.set(id, (data as { ticket: string }).ticket);
    }
    // the board: the waiting line in order (emergency first), by ticket
    const { data: board, error } = await anon.rpc('get_waiting_board', { p_clinic_id: clinicId });
    expect(error).toBeNull();
    const next = (board as { next: { ticket: string }[] }).next.map((n) => n.ticket);

    const table = ids.map((id) => [domain.get(id), dashboard.get(id), tracker.get(id)]);
    expect(table).toEqual([
      ['QM-001', 'QM-001', 'QM-001'],
      ['QM-002', 'QM-002', 'QM-002'],
      ['QM-003', 'QM-003', 'QM-003'],
    ]);
    expect([...next].sort()).toEqual(['QM-001', 'QM-002', 'QM-003']);
    expect(next[0]).toBe('QM-003');
  });
});
