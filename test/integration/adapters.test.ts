// The smaller Supabase adapters on the local stack: AuthGateway (GoTrue through supabase-js) and the
// notification directory (recipient of a visit, the clinic's own templates) — what the in-memory doubles
// of the hook and notification tests stand in for.
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SupabaseAuthGateway } from '../../src/services/shared/repositories/SupabaseAuthGateway';
import { SupabaseNotificationDirectory } from '../../src/services/notification/repositories/SupabaseNotificationDirectory';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { QueueAggregate } from '../../src/services/queue/api';
import { QueueService } from '../../src/services/queue/QueueService';
import { createEventBus } from '../../src/services/shared/EventBus';
import { startAppStack, type AppStack } from './appStack';
import { middayZone } from './queueStackKit';

describe('Supabase adapters on the local stack (pglite)', () => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack('pglite');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('AuthGateway: sign up, session and change events, wrong password refused with a code, sign in, sign out', async () => {
    const client = createClient(app.stack.url, app.stack.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as never },
    });
    const auth = new SupabaseAuthGateway(client);
    const seen: (string | null)[] = [];
    const off = auth.onChange((s) => seen.push(s?.userId ?? null));
    const email = `gw-${process.pid}-${Date.now()}@example.test`;
    const up = await auth.signUp({ email, password: 'secret-pass-123', fullName: 'Amina', language: 'ar' });
    if (!up.ok || !up.value) throw new Error(up.ok ? 'no session' : up.error.code);
    const session = await auth.session();
    expect(session.ok && session.value?.email).toBe(email);
    const out = await auth.signOut();
    expect(out).toEqual({ ok: true, value: undefined });
    expect((await auth.session()).ok && (await auth.session())).toMatchObject({ value: null });
    const wrong = await auth.signInWithPassword(email, 'not-the-password');
    expect(!wrong.ok && wrong.error.code).toBe('VALIDATION.FAILED');
    const back = await auth.signInWithPassword(email, 'secret-pass-123');
    expect(back.ok && back.value.userId).toBe(up.value.userId);
    expect(seen).toContain(up.value.userId);
    expect(seen).toContain(null);
    off();
    await auth.signOut();
  });

  it('notification directory: the recipient of a visit (phone, language, opt-out, clinic, ticket) and the clinic’s own templates', async () => {
    const owner = await app.newClinic('nd');
    const { rows } = await app.db.query<{ id: string }>(
      `insert into public.patients (clinic_id, full_name, phone, preferred_language) values ($1, 'Amina Benali', '+212612345678', 'ar') returning id`,
      [owner.clinicId],
    );
    const patientId = rows[0]?.id ?? '';
    const repo = new SupabaseQueueRepository(owner.client);
    const loaded = await repo.load(owner.clinicId);
    if (!loaded.ok) throw new Error(loaded.error.code);
    const agg = QueueAggregate.load(loaded.value.snapshot);
    const entryId = globalThis.crypto.randomUUID();
    const added = agg.addWalkIn(
      { now: new Date().toISOString(), actorId: owner.userId, correlationId: globalThis.crypto.randomUUID() },
      {
        entryId,
        patientId,
        patientName: 'Amina Benali',
        practitionerId: null,
        appointmentTypeId: null,
        expectedDurationMinutes: 15,
      },
    );
    expect(added.ok).toBe(true);
    const saved = await repo.save({
      queueId: agg.state.id,
      expectedVersion: 0,
      entries: agg.pendingChanges(),
      newEntryIds: [entryId],
      events: agg.pendingEvents(),
      queue: null,
    });
    expect(saved.ok).toBe(true);

    const directory = new SupabaseNotificationDirectory(owner.client);
    const who = await directory.forEntry(entryId);
    expect(who.ok && who.value).toEqual({
      entryId,
      clinicId: owner.clinicId,
      patientName: 'Amina Benali',
      phone: '+212612345678',
      language: 'ar',
      smsOptOut: false,
      clinicName: 'Clinic nd',
      clinicLanguage: 'fr',
      timeZone: 'Africa/Casablanca',
      ticket: 'A-001',
    });
    expect(
      (await directory.forEntry(globalThis.crypto.randomUUID())).ok &&
        (await directory.forEntry(globalThis.crypto.randomUUID())),
    ).toMatchObject({ value: null });

    const saveTemplate = await owner.client.rpc('save_notification_template', {
      p_clinic_id: owner.clinicId,
      p_kind: 'almost_turn',
      p_language: 'fr',
      p_body: '{clinic_name}: bientôt votre tour ({ticket}).',
    });
    expect(saveTemplate.error).toBeNull();
    const own = await directory.clinicTemplates(owner.clinicId);
    expect(own.ok && own.value.map((t) => [t.kind, t.language, t.body])).toEqual([
      ['almost_turn', 'fr', '{clinic_name}: bientôt votre tour ({ticket}).'],
    ]);
    // another clinic's staff sees neither the patient nor the templates
    const outsider = await app.newClinic('nd-other');
    const theirs = new SupabaseNotificationDirectory(outsider.client);
    expect((await theirs.forEntry(entryId)).ok && (await theirs.forEntry(entryId))).toMatchObject({
      value: null,
    });
    expect(
      (await theirs.clinicTemplates(owner.clinicId)).ok && (await theirs.clinicTemplates(owner.clinicId)),
    ).toMatchObject({ value: [] });
  });

  it('queue rows written by other database functions (a booking: order key in seconds, no domain extras) load into the domain and take a staff check-in', async () => {
    const owner = await app.newClinic('rows');
    // around midday in the clinic's zone, so "in 5 minutes" is today at any hour on the machine
    await app.db.query('update public.clinics set time_zone = $2 where id = $1', [
      owner.clinicId,
      middayZone(),
    ]);
    const { rows: types } = await app.db.query<{ id: string }>(
      `insert into public.appointment_types (clinic_id, name, duration_minutes) values ($1, 'Consultation', 30) returning id`,
      [owner.clinicId],
    );
    const typeId = types[0]?.id ?? '';
    const [patient] = await app.addPatients(owner.clinicId, ['Salma R']);
    const service = new QueueService({
      repo: new SupabaseQueueRepository(owner.client),
      bus: createEventBus(),
      actor: () => owner.userId,
    });
    const empty = await service.status(owner.clinicId);
    if (!empty.ok) throw new Error(empty.error.code);
    const slot = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 5 * 60_000); // in 5 minutes: still today, it is about noon there
    const entryId = globalThis.crypto.randomUUID();
    // as private.book() writes it
    await app.db.query(
      // as private.book writes a booking (20261203100003: its appointment_id is the visit's own id)
      `insert into public.queue_entries (id, appointment_id, queue_id, clinic_id, patient_id, appointment_type_id, kind, status, ticket_number, order_key, slot_start, slot_end)
       values ($1, $1, $2, $3, $4, $5, 'booked', 'scheduled', 7, extract(epoch from $6::timestamptz), $6::timestamptz, $6::timestamptz + interval '30 minutes')`,
      [entryId, empty.value.queue.id, owner.clinicId, patient?.id, typeId, slot.toISOString()],
    );
    await app.db.query(`update public.queues set version = version + 1 where id = $1`, [
      empty.value.queue.id,
    ]);
    const view = await service.status(owner.clinicId);
    if (!view.ok) throw new Error(view.error.code);
    expect(view.value.entries).toHaveLength(1);
    expect(view.value.entries[0]).toMatchObject({
      id: entryId,
      appointmentId: entryId,
      kind: 'booked',
      status: 'scheduled',
      ticketNumber: 7,
      orderKey: slot.getTime(),
      orderTiebreak: 7,
      expectedDurationMinutes: 30,
      slotAt: slot.toISOString(),
      patientName: 'Salma R',
      servedBy: null,
      reactivations: 0,
    });
    const checked = await service.checkIn(owner.clinicId, { entryId });
    if (!checked.ok) throw new Error(checked.error.code);
    const after = await service.status(owner.clinicId);
    expect(after.ok && after.value.entries[0]).toMatchObject({
      status: 'waiting',
      orderKey: slot.getTime(),
      position: 1,
    });
  });

  it('a day closed by the database itself (end_day RPC, snake_case summary) loads as a closed queue with a DaySummary', async () => {
    const owner = await app.newClinic('closed');
    const [p1] = await app.addPatients(owner.clinicId, ['Omar T']);
    const repo = new SupabaseQueueRepository(owner.client);
    const service = new QueueService({ repo, bus: createEventBus(), actor: () => owner.userId });
    const first = await service.status(owner.clinicId);
    if (!first.ok) throw new Error(first.error.code);
    const loaded = await repo.load(owner.clinicId, first.value.queue.day);
    if (!loaded.ok) throw new Error(loaded.error.code);
    const agg = QueueAggregate.load(loaded.value.snapshot);
    const entryId = globalThis.crypto.randomUUID();
    const r = agg.addWalkIn(
      { now: new Date().toISOString(), actorId: owner.userId, correlationId: globalThis.crypto.randomUUID() },
      {
        entryId,
        patientId: p1?.id ?? '',
        patientName: 'Omar T',
        practitionerId: null,
        appointmentTypeId: null,
        expectedDurationMinutes: 15,
      },
    );
    expect(r.ok).toBe(true);
    expect(
      (
        await repo.save({
          queueId: agg.state.id,
          expectedVersion: agg.loadedVersion,
          entries: agg.pendingChanges(),
          newEntryIds: [entryId],
          events: agg.pendingEvents(),
          queue: null,
        })
      ).ok,
    ).toBe(true);
    const ended = await owner.client.rpc('end_day', {
      p_queue_id: agg.state.id,
      p_expected_version: agg.loadedVersion + 1,
    });
    expect(ended.error).toBeNull();
    const view = await service.status(owner.clinicId);
    if (!view.ok) throw new Error(`${view.error.code} ${JSON.stringify(view.error.details)}`);
    expect(view.value.queue.status).toBe('closed');
    expect(view.value.queue.summary).toMatchObject({ served: 0, noShows: 1, cancelled: 0 });
    expect(view.value.entries[0]?.status).toBe('no_show');
    const refused = await service.addWalkIn(owner.clinicId, { patientName: 'Late' });
    expect(!refused.ok && refused.error.code).toBe('QUEUE.CLOSED');
  });
});
