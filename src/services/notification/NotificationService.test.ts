// NotificationService: bus events → the patient's template in their language → the SMS channel, once.
import { describe, expect, it } from 'vitest';
import { at, CLINIC, DR_A, DR_B, queueFixture } from '../../../test/fixtures/queueFixture';
import { appError, ErrorCodes } from '../shared/AppError';
import { err, ok } from '../shared/Result';
import { MessageTemplate } from './api';
import { InMemorySmsChannel } from './channels/InMemorySmsChannel';
import { NotificationService } from './NotificationService';
import type { Recipient } from './repositories/NotificationPorts';
import type { BookingBusEvents } from '../appointment/api/events';

function setup(people: Record<string, Partial<Recipient>> = {}, own: MessageTemplate[] = []) {
  const fx = queueFixture();
  const channel = new InMemorySmsChannel();
  const recipients = new Map<string, Recipient>();
  const service = new NotificationService({
    directory: {
      forEntry: async (entryId) => {
        const known = recipients.get(entryId);
        return ok(known ?? null);
      },
    },
    templates: { clinicTemplates: async () => ok(own) },
    channel,
  });
  service.attach(fx.bus as never);
  const walkIn = async (name: string) => {
    const r = await fx.service.addWalkIn(CLINIC, { patientName: name });
    if (!r.ok) throw new Error(r.error.code);
    const id = r.value.events.find((e) => e.type === 'WalkInAdded')?.entryId ?? '';
    recipients.set(id, {
      entryId: id,
      clinicId: CLINIC,
      patientName: name,
      phone: '+212612345678',
      language: null,
      smsOptOut: false,
      clinicName: 'Cabinet Atlas',
      clinicLanguage: 'fr',
      timeZone: 'Africa/Casablanca',
      ticket: r.value.view.entries.find((e) => e.id === id)?.ticket ?? '',
      ...people[name],
    });
    return id;
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { ...fx, channel, walkIn, settle };
}

describe('NotificationService', () => {
  it('"your turn" after a call: the patient’s language (ar), the room, one message per event', async () => {
    const { service, channel, walkIn, settle } = setup({ Amina: { language: 'ar' } });
    const a = await walkIn('Amina');
    const r = await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Salle 2' });
    expect(r.ok).toBe(true);
    await settle();
    expect(channel.sent).toHaveLength(1);
    expect(channel.sent[0]).toMatchObject({
      kind: 'your_turn',
      language: 'ar',
      entryId: a,
      to: '+212612345678',
    });
    expect(channel.sent[0]?.body).toContain('Salle 2');
    expect(channel.sent[0]?.segments).toBeGreaterThanOrEqual(1);
    // the reference the server resolves: the command's correlation id picks the logged event
    const called = r.ok ? r.value.events.find((e) => e.type === 'PatientCalled') : undefined;
    expect(called?.correlationId).toBeTruthy();
    expect(channel.sent[0]?.correlationId).toBe(called?.correlationId);
  });

  it('falls back to the clinic’s language and uses the clinic’s own template when it has one', async () => {
    const own = MessageTemplate.create({
      kind: 'marked_absent',
      language: 'fr',
      body: '{clinic_name}: {ticket}, revenez sous {grace_minutes} min.',
    });
    if (!own.ok) throw new Error(own.error.code);
    const { service, channel, walkIn, settle } = setup({}, [own.value]);
    const a = await walkIn('Youssef');
    await service.markAbsent(CLINIC, { entryId: a });
    await settle();
    expect(channel.sent.map((m) => [m.kind, m.language])).toEqual([['marked_absent', 'fr']]);
    expect(channel.sent[0]?.body).toMatch(/^Cabinet Atlas: [A-Z]-\d{3}, revenez sous 10 min\.$/);
  });

  it('"still next" for every present patient overtaken, with their position; nothing for opted-out or phoneless patients', async () => {
    const { service, channel, walkIn, settle } = setup({ Omar: { smsOptOut: true }, Salma: { phone: null } });
    const a = await walkIn('Amina');
    await walkIn('Omar');
    await walkIn('Salma');
    const d = await walkIn('Driss');
    await service.callSpecific(CLINIC, { entryId: d, practitionerId: DR_A, room: 'R1', reason: 'results' });
    await settle();
    const stillNext = channel.sent.filter((m) => m.kind === 'still_next');
    expect(stillNext.map((m) => m.entryId)).toEqual([a]);
    expect(channel.sent.filter((m) => m.kind === 'your_turn').map((m) => m.entryId)).toEqual([d]);
  });

  it('returned (with the new position), cancelled and no-show messages', async () => {
    const { service, channel, walkIn, settle, clock } = setup({}, []);
    const a = await walkIn('Amina');
    const b = await walkIn('Omar');
    const c = await walkIn('Salma');
    await service.markAbsent(CLINIC, { entryId: a });
    await service.returnFromAbsence(CLINIC, { entryId: a });
    await service.cancel(CLINIC, { entryId: b });
    await service.markAbsent(CLINIC, { entryId: c });
    clock.set(at('09:30'));
    await service.sweep(CLINIC);
    await settle();
    expect(channel.sent.map((m) => m.kind)).toEqual([
      'marked_absent',
      'returned',
      'cancelled',
      'marked_absent',
      'no_show',
    ]);
  });

  it('a failing listener path (unknown entry) sends nothing and does not break the queue command', async () => {
    const { service, channel, settle, repo } = setup();
    const r = await service.addWalkIn(CLINIC, { patientName: 'Nobody' });
    if (!r.ok) throw new Error(r.error.code);
    const id = r.value.events[0]?.entryId ?? '';
    expect((await service.callNext(CLINIC, { practitionerId: DR_A, room: 'R1' })).ok).toBe(true);
    await settle();
    expect(channel.sent).toEqual([]);
    expect(repo.patientName(r.value.view.entries.find((e) => e.id === id)?.patientId ?? '')).toBe('Nobody');
  });
});

describe('NotificationService — booking', () => {
  it('booking confirmed: tracking link and the local appointment time, once per booking', async () => {
    const { BookingService } = await import('../appointment/BookingService');
    const { InMemoryBookingWorld } = await import('../appointment/repositories/InMemoryBookingRepository');
    const { createEventBus } = await import('../shared/EventBus');
    const { ManualClock } = await import('../shared/Clock');
    const clock = new ManualClock('2026-11-24T08:00:00Z');
    const world = new InMemoryBookingWorld(clock);
    world.addClinic({ id: 'c1', hours: { 3: [{ start: '09:00', end: '12:00' }] } });
    const bus = createEventBus<BookingBusEvents>();
    const channel = new InMemorySmsChannel();
    const notifications = new NotificationService({
      directory: {
        forEntry: async (entryId) =>
          ok({
            entryId,
            clinicId: 'c1',
            patientName: 'Amina',
            phone: '+212612345678',
            language: 'en',
            smsOptOut: false,
            clinicName: 'Atlas',
            clinicLanguage: 'fr',
            timeZone: 'Africa/Casablanca',
            ticket: 'A-001',
          }),
      },
      templates: { clinicTemplates: async () => ok([]) },
      channel,
    });
    notifications.attach(bus as never);
    const booking = new BookingService({
      repo: world.as('p1'),
      bus,
      clock,
      trackingUrl: (t) => `https://q.example/t/${t}`,
    });
    const b = await booking.book({ clinicId: 'c1', slotStart: '2026-11-25T09:00:00Z', fullName: 'Amina' });
    if (!b.ok) throw new Error(b.error.code);
    await new Promise((r) => setTimeout(r, 0));
    expect(channel.sent).toHaveLength(1);
    expect(channel.sent[0]).toMatchObject({
      kind: 'booking_confirmed',
      language: 'en',
      idempotencyKey: `booking_confirmed:${b.value.entryId}`,
    });
    expect(channel.sent[0]?.body).toContain(b.value.trackingUrl);
    expect(channel.sent[0]?.body).toContain('To cancel: https://q.example/me');
  });
});

describe('NotificationService — almost your turn', () => {
  it('once per visit, when the position reaches notify_at_position (2 here)', async () => {
    const fx = queueFixture({ notify_at_position: 2 });
    const channel = new InMemorySmsChannel();
    const people = new Map<string, string>();
    const notifications = new NotificationService({
      directory: {
        forEntry: async (entryId) =>
          ok({
            entryId,
            clinicId: CLINIC,
            patientName: people.get(entryId) ?? '?',
            phone: '+212612345678',
            language: 'en',
            smsOptOut: false,
            clinicName: 'Atlas',
            clinicLanguage: 'fr',
            timeZone: 'Africa/Casablanca',
            ticket: 'W-001',
          }),
      },
      templates: { clinicTemplates: async () => ok([]) },
      channel,
      positions: {
        positions: async (clinicId) => {
          const v = await fx.service.status(clinicId);
          if (!v.ok) return v;
          return ok({
            notifyAtPosition: v.value.settings.notify_at_position,
            waiting: v.value.entries.flatMap((e) =>
              e.position === null ? [] : [{ entryId: e.id, position: e.position }],
            ),
          });
        },
      },
    });
    notifications.attach(fx.bus as never);
    const settle = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    };
    const ids: string[] = [];
    for (const name of ['A', 'B', 'C', 'D']) {
      const r = await fx.service.addWalkIn(CLINIC, { patientName: name });
      if (!r.ok) throw new Error(r.error.code);
      const id = r.value.events.find((e) => e.type === 'WalkInAdded')?.entryId ?? '';
      people.set(id, name);
      ids.push(id);
      await settle();
    }
    const almost = () =>
      channel.sent.filter((m) => m.kind === 'almost_turn').map((m) => people.get(m.entryId));
    expect(almost()).toEqual(['A', 'B']);
    await fx.service.callNext(CLINIC, { practitionerId: DR_A, room: 'R1' });
    await settle();
    expect(almost()).toEqual(['A', 'B', 'C']);
    await fx.service.callNext(CLINIC, { practitionerId: DR_B, room: 'R2' });
    await settle();
    expect(almost()).toEqual(['A', 'B', 'C', 'D']);
    expect(channel.sent.find((m) => m.kind === 'almost_turn')?.idempotencyKey).toBe(
      `almost_turn:${ids[0]}:once`,
    );
  });

  it('a first "almost your turn" that failed is sent at the next movement of the line (the first patient of the morning)', async () => {
    const fx = queueFixture({ notify_at_position: 3 });
    const inner = new InMemorySmsChannel();
    // the sender is unreachable for the first message (a cold or busy function), then works
    let failures = 1;
    const channel = {
      sent: inner.sent,
      send: async (m: Parameters<InMemorySmsChannel['send']>[0]) => {
        if (failures > 0) {
          failures--;
          return err(appError(ErrorCodes.INTERNAL, 'function not reachable'));
        }
        return inner.send(m);
      },
    };
    const people = new Map<string, string>();
    const notifications = new NotificationService({
      directory: {
        forEntry: async (entryId) =>
          ok({
            entryId,
            clinicId: CLINIC,
            patientName: people.get(entryId) ?? '?',
            phone: '+212612345678',
            language: 'fr',
            smsOptOut: false,
            clinicName: 'Atlas',
            clinicLanguage: 'fr',
            timeZone: 'Africa/Casablanca',
            ticket: 'A-001',
          }),
      },
      templates: { clinicTemplates: async () => ok([]) },
      channel,
      positions: {
        positions: async (clinicId) => {
          const v = await fx.service.status(clinicId);
          if (!v.ok) return v;
          return ok({
            notifyAtPosition: v.value.settings.notify_at_position,
            waiting: v.value.entries.flatMap((e) =>
              e.position === null ? [] : [{ entryId: e.id, position: e.position }],
            ),
          });
        },
      },
    });
    notifications.attach(fx.bus as never);
    const settle = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    };
    const add = async (name: string) => {
      const r = await fx.service.addWalkIn(CLINIC, { patientName: name });
      if (!r.ok) throw new Error(r.error.code);
      const id = r.value.events.find((e) => e.type === 'WalkInAdded')?.entryId ?? '';
      people.set(id, name);
      await settle();
      return id;
    };
    const first = await add('Premier');
    expect(inner.sent).toHaveLength(0); // the first attempt failed
    await add('Second');
    const almost = () => inner.sent.filter((m) => m.kind === 'almost_turn').map((m) => people.get(m.entryId));
    expect(almost()).toEqual(['Premier', 'Second']);
    expect(inner.sent[0]?.idempotencyKey).toBe(`almost_turn:${first}:once`);
    // and still once per visit
    await add('Troisième');
    expect(almost()).toEqual(['Premier', 'Second', 'Troisième']);
  });
});
