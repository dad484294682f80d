// NotificationService sends through the channel port (issue 20): the patient's preferred channel, then the
// clinic's default, then the fallback order — among the wired adapters that reach the patient. SMS is the
// adapter over the SmsChannel; a second (recording) adapter stands in for email here.
import { describe, expect, it } from 'vitest';
import { ok } from '../shared/Result';
import { InMemorySmsChannel } from './channels/InMemorySmsChannel';
import { smsMessageChannel } from './channels/SmsMessageChannel';
import { NotificationService } from './NotificationService';
import type { MessageChannel, OutgoingMessage, Recipient } from './repositories/NotificationPorts';

const PERSON: Recipient = {
  entryId: 'e1',
  clinicId: 'c1',
  patientName: 'Amina',
  phone: '+212612345678',
  language: 'fr',
  smsOptOut: false,
  clinicName: 'Cabinet Atlas',
  clinicLanguage: 'fr',
  timeZone: 'Africa/Casablanca',
  ticket: 'A-001',
};

function setup(who: Partial<Recipient>, emailAddress: string | null) {
  const sms = new InMemorySmsChannel();
  const emailed: OutgoingMessage[] = [];
  const email: MessageChannel = {
    name: 'email',
    reach: () => (emailAddress ? 'ok' : 'no_address'),
    address: () => emailAddress ?? '',
    send: async (m) => {
      emailed.push(m);
      return ok({ status: 'simulated' as const, providerId: 'mail-1' });
    },
  };
  const service = new NotificationService({
    directory: { forEntry: async () => ok({ ...PERSON, ...who }) },
    templates: { clinicTemplates: async () => ok([]) },
    channels: [smsMessageChannel(sms), email],
  });
  const notify = () =>
    service.notify({ kind: 'your_turn', entryId: 'e1', key: 'your_turn:e1:k1', values: { room: 'Salle 2' } });
  return { sms, emailed, notify };
}

describe('NotificationService channel port', () => {
  it("the patient's preference (email) wins when it reaches them", async () => {
    const { sms, emailed, notify } = setup(
      { preferredChannel: 'email', clinicChannel: 'sms' },
      'a@example.test',
    );
    expect(await notify()).toEqual(
      ok({ kind: 'your_turn', entryId: 'e1', status: 'simulated', channel: 'email' }),
    );
    expect(emailed.map((m) => [m.to, m.kind])).toEqual([['a@example.test', 'your_turn']]);
    expect(emailed[0]!.body).toContain('Salle 2');
    expect(sms.sent).toHaveLength(0);
  });

  it("no address on the preferred channel → the clinic's default (SMS)", async () => {
    const { sms, emailed, notify } = setup({ preferredChannel: 'email', clinicChannel: 'sms' }, null);
    expect(await notify()).toMatchObject({ value: { status: 'simulated', channel: 'sms' } });
    expect(sms.sent.map((m) => m.to)).toEqual(['+212612345678']);
    expect(emailed).toHaveLength(0);
  });

  it('opted out of SMS (STOP) → the fallback order reaches them by email', async () => {
    const { sms, emailed, notify } = setup({ smsOptOut: true }, 'a@example.test');
    expect(await notify()).toMatchObject({ value: { channel: 'email' } });
    expect(sms.sent).toHaveLength(0);
    expect(emailed).toHaveLength(1);
  });

  it('no channel reaches them: opted_out when they opted out, no_phone when there is no address at all', async () => {
    const stop = setup({ smsOptOut: true }, null);
    expect(await stop.notify()).toEqual(ok({ kind: 'your_turn', entryId: 'e1', status: 'opted_out' }));
    const none = setup({ phone: null }, null);
    expect(await none.notify()).toEqual(ok({ kind: 'your_turn', entryId: 'e1', status: 'no_phone' }));
    expect(stop.sms.sent.length + none.sms.sent.length).toBe(0);
  });
});
