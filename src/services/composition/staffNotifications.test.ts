// The desk's notification path (desk25, issues 12/14): after each step the desk messages the patients the step
// concerns — "your turn", "almost your turn", cancelled … — from the queue view it just saved (QueueService
// .latestView), with NO read of queue_entries, patients or clinics (bench:web saw 1.04 + 0.42 + 0.24 such reads
// per change). The SMS channel sends a reference; the server reads the contact and keeps the opt-out (send-sms
// answers `opted_out` / `no_recipient`), and such an answer is final: "almost your turn" is not tried again.
import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { CLINIC, DR_A, queueFixture } from '../../../test/fixtures/queueFixture';
import { ok } from '../shared/Result';
import type { SmsMessage, SmsSendOutcome, SmsSendResult } from '../notification/channels/SmsChannel';
import { SupabaseNotificationDirectory } from '../notification/repositories/SupabaseNotificationDirectory';
import { staffNotifications } from './staffNotifications';

/** A supabase-js stand-in that records every table read and answers each with no rows. */
function recordingClient() {
  const reads: string[] = [];
  const rows = (table: string) => {
    const answer = { data: table === 'notification_templates' ? [] : null, error: null, status: 200 };
    const chain: Record<string, unknown> = {};
    for (const m of ['select', 'eq', 'in', 'order', 'limit']) chain[m] = () => chain;
    chain['maybeSingle'] = () => Promise.resolve(answer);
    chain['single'] = () => Promise.resolve(answer);
    chain['then'] = (res: (v: unknown) => unknown, rej: (e: unknown) => unknown) =>
      Promise.resolve(answer).then(res, rej);
    return chain;
  };
  const client = {
    from: (table: string) => {
      reads.push(table);
      return rows(table);
    },
  } as unknown as SupabaseClient;
  return { client, reads };
}

/** send-sms as the server answers it: the contact is the server's own record (phone, STOP). */
function serverChannel(contacts: Map<string, { phone: string | null; optOut: boolean }>) {
  const sent: SmsMessage[] = [];
  return {
    sent,
    async send(m: SmsMessage) {
      sent.push(m);
      const who = contacts.get(m.entryId);
      const outcome: SmsSendOutcome =
        who === undefined || who.phone === null ? 'no_recipient' : who.optOut ? 'opted_out' : 'simulated';
      const r: SmsSendResult = {
        status: outcome === 'simulated' ? 'simulated' : 'failed',
        outcome,
        notificationId: null,
        attempts: outcome === 'simulated' ? 1 : 0,
        segments: 1,
        cost: 0,
        providerId: null,
        budgetAlert: false,
        error: null,
      };
      return ok(r);
    },
  };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

describe('staffNotifications: the desk messages patients with no read per step', () => {
  it('calls and "almost your turn" from the saved view: no queue_entries/patients/clinics read, opt-outs kept by the server', async () => {
    const fx = queueFixture({ notify_at_position: 2 });
    const { client, reads } = recordingClient();
    const contacts = new Map<string, { phone: string | null; optOut: boolean }>();
    const channel = serverChannel(contacts);
    const detach = staffNotifications(client, fx.service, undefined, channel)(fx.bus as never);
    const ids: Record<string, string> = {};
    for (const [name, contact] of [
      ['Amina', { phone: '+212612345601', optOut: false }],
      ['Omar', { phone: '+212612345602', optOut: true }], // STOPped: the server refuses him
      ['Salma', { phone: null, optOut: false }], // no phone on file
      ['Youssef', { phone: '+212612345604', optOut: false }],
    ] as const) {
      const r = await fx.service.addWalkIn(CLINIC, { patientName: name });
      if (!r.ok) throw new Error(r.error.code);
      const id = r.value.events.find((e) => e.type === 'WalkInAdded')?.entryId ?? '';
      ids[name] = id;
      contacts.set(id, contact);
      await settle();
    }
    const who = (m: SmsMessage) => Object.keys(ids).find((n) => ids[n] === m.entryId);
    const kinds = () => channel.sent.map((m) => `${m.kind} ${who(m)}`);
    expect(kinds()).toEqual(['almost_turn Amina', 'almost_turn Omar']);

    for (let i = 0; i < 3; i++) {
      const called = await fx.service.callNext(CLINIC, { practitionerId: DR_A, room: 'Salle 2' });
      if (!called.ok) throw new Error(called.error.code);
      const entryId = called.value.events.find((e) => e.type === 'PatientCalled')?.entryId ?? '';
      for (const step of [fx.service.start, fx.service.finish]) {
        const r = await step.call(fx.service, CLINIC, { entryId });
        if (!r.ok) throw new Error(r.error.code);
      }
      await settle();
    }
    // every call messaged the called patient and the next ones up, each once; Omar's refusal by the server is
    // final (his "almost your turn" was not asked again at each movement of the line)
    expect(kinds()).toEqual([
      'almost_turn Amina',
      'almost_turn Omar',
      'your_turn Amina',
      'almost_turn Salma',
      'your_turn Omar',
      'almost_turn Youssef',
      'your_turn Salma',
    ]);
    // only references go out: no phone, no text
    const sentRef = channel.sent.find((m) => m.kind === 'your_turn');
    expect(sentRef).toMatchObject({ clinicId: CLINIC, entryId: ids['Amina'], to: '' });
    // the desk read no entry, patient or clinic; the clinic's templates (the text's preview) once for the day
    expect(reads.filter((t) => t !== 'notification_templates')).toEqual([]);
    expect(reads.filter((t) => t === 'notification_templates')).toHaveLength(1);
    detach();
  });
});

describe('SupabaseNotificationDirectory', () => {
  const view = (clinicId: string, entryId: string) => ({
    queue: { id: `q-${clinicId}`, day: '2026-11-24', timeZone: 'Africa/Casablanca' },
    directory: {
      clinic: {
        id: clinicId,
        name: `Cabinet ${clinicId}`,
        defaultLanguage: 'fr' as const,
        ticketPrefix: 'A',
      },
    },
    entries: [{ id: entryId, patientName: 'Amina', ticket: 'A-001' }],
  });

  it('answers an entry of the held view with no read, and the contact is left to the server', async () => {
    const { client, reads } = recordingClient();
    const directory = new SupabaseNotificationDirectory(client, (c) =>
      c === 'clinic-a' ? view('clinic-a', 'e-1') : null,
    );
    const r = await directory.forEntry('e-1', 'clinic-a');
    expect(r.ok && r.value).toMatchObject({
      entryId: 'e-1',
      clinicId: 'clinic-a',
      patientName: 'Amina',
      ticket: 'A-001',
      clinicName: 'Cabinet clinic-a',
      clinicLanguage: 'fr',
      timeZone: 'Africa/Casablanca',
      contactOnServer: true,
      phone: null,
    });
    expect(reads).toEqual([]);
  });

  it('never answers from another clinic’s view: an entry the named clinic’s view lacks is read (RLS decides)', async () => {
    const { client, reads } = recordingClient();
    const views = new Map([
      ['clinic-a', view('clinic-a', 'e-1')],
      ['clinic-b', view('clinic-b', 'e-2')],
    ]);
    const directory = new SupabaseNotificationDirectory(client, (c) => views.get(c) ?? null);
    // clinic B's event naming clinic A's entry: not taken from A's view
    const r = await directory.forEntry('e-1', 'clinic-b');
    expect(r.ok && r.value).toBeNull(); // the read found nothing it may see
    expect(reads).toEqual(['queue_entries']);
    // a view that says it is another clinic's is not used either
    const lying = new SupabaseNotificationDirectory(client, () => view('clinic-a', 'e-9'));
    reads.length = 0;
    expect(((await lying.forEntry('e-9', 'clinic-b')) as { value: unknown }).value).toBeNull();
    expect(reads).toEqual(['queue_entries']);
  });

  it('reads the clinic’s templates once per clinic-day, again on a new day', async () => {
    const { client, reads } = recordingClient();
    let day = '2026-11-24';
    const directory = new SupabaseNotificationDirectory(client, (c) => ({
      ...view(c, 'e-1'),
      queue: { id: `q-${day}`, day, timeZone: 'Africa/Casablanca' },
    }));
    await directory.clinicTemplates('clinic-a');
    await directory.clinicTemplates('clinic-a');
    await directory.clinicTemplates('clinic-b');
    expect(reads).toEqual(['notification_templates', 'notification_templates']);
    day = '2026-11-25';
    await directory.clinicTemplates('clinic-a');
    expect(reads).toHaveLength(3);
  });
});

// sec26: the directory kept a clinic's templates per clinic-day past sign-out (QueueService.forgetUser dropped the
// views only): the next user of a shared reception PC was served the previous user's read for the same clinic-day
describe('staffNotifications at sign-out', () => {
  it('forgets the templates kept per clinic-day with the views: the next user reads them again', async () => {
    const fx = queueFixture({ notify_at_position: 1 });
    const { client, reads } = recordingClient();
    const channel = serverChannel(new Map());
    const detach = staffNotifications(client, fx.service, undefined, channel)(fx.bus as never);
    for (const name of ['Amina', 'Omar', 'Salma', 'Youssef']) {
      const r = await fx.service.addWalkIn(CLINIC, { patientName: name });
      if (!r.ok) throw new Error(r.error.code);
      await settle();
    }
    // each call messages the called patient ("your turn") and the next one up: the templates' preview is needed
    const call = async () => {
      const r = await fx.service.callNext(CLINIC, { practitionerId: DR_A, room: 'Salle 2' });
      if (!r.ok) throw new Error(r.error.code);
      const entryId = r.value.events.find((e) => e.type === 'PatientCalled')?.entryId ?? '';
      for (const step of [fx.service.start, fx.service.finish]) {
        const done = await step.call(fx.service, CLINIC, { entryId });
        if (!done.ok) throw new Error(done.error.code);
      }
      await settle();
    };
    const templateReads = () => reads.filter((t) => t === 'notification_templates').length;
    await call();
    const sentBefore = channel.sent.length;
    expect(sentBefore).toBeGreaterThan(0);
    expect(templateReads()).toBe(1); // once for the clinic-day
    fx.service.forgetUser(); // sign-out (useAuth's handlers)
    await call(); // the next user's first call on the same clinic-day
    expect(channel.sent.length).toBeGreaterThan(sentBefore);
    expect(templateReads()).toBe(2);
    await call();
    expect(templateReads()).toBe(2); // and kept again for that user's day
    // detached: a later sign-out reaches no directory
    detach();
    fx.service.forgetUser();
  });

  it('SupabaseNotificationDirectory.forgetUser drops every clinic’s kept templates', async () => {
    const { client, reads } = recordingClient();
    const directory = new SupabaseNotificationDirectory(client, (c) => ({
      queue: { id: `q-${c}`, day: '2026-11-24', timeZone: 'Africa/Casablanca' },
      directory: {
        clinic: { id: c, name: `Cabinet ${c}`, defaultLanguage: 'fr' as const, ticketPrefix: 'A' },
      },
      entries: [],
    }));
    await directory.clinicTemplates('clinic-a');
    await directory.clinicTemplates('clinic-b');
    await directory.clinicTemplates('clinic-a');
    expect(reads).toHaveLength(2);
    directory.forgetUser();
    await directory.clinicTemplates('clinic-a');
    await directory.clinicTemplates('clinic-b');
    expect(reads).toHaveLength(4);
  });
});
