// Webhooks end to end on the local stack (issue 18), on PGlite and PostgreSQL: an owner registers a receiver
// on 127.0.0.1 through supabase-js (allowed only because the test turns on the explicit setting), a walk-in
// joins through REST /v1, the database writes the delivery with the event, the real Deno `webhook-sweep`
// signs and POSTs it, and the receiver accepts it with the documented verification code — exactly once
// across a failed first attempt and repeated sweeps; the owner sees the log. An endpoint that keeps failing is
// disabled, and its owner gets exactly one `webhook_disabled` notice through the notifications outbox (the real
// notification sweep; an SMTP server and a fake Twilio on 127.0.0.1): by email, or by SMS when the owner has no
// email — one per disabling, however many sweeps run, also at the same time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../supabase/functions/_shared/webhookSignature';
import { fakeTwilioEnv, messagesOf, startFakeTwilio, type FakeTwilio } from '../fixtures/fakeTwilio';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { middayZone } from './queueStackKit';

const FUNCTIONS = new URL('../../supabase/functions', import.meta.url).pathname;
const CONFIG = new URL('../../supabase/config.toml', import.meta.url).pathname;

interface Got {
  eventId: string | undefined;
  verified: boolean;
  body: Record<string, unknown>;
}

describe.each(['pglite', 'postgres'] as Kind[])('webhooks on %s', (kind) => {
  let app: AppStack;
  let server: Server;
  let receiverUrl: string;
  let secret = '';
  const got: Got[] = [];
  const answers: number[] = [];
  /** The receiver is down: every verified delivery gets a 500. */
  let failAll = false;
  const before = process.env.WEBHOOK_ALLOW_PRIVATE_URLS;
  const mails: ParsedMail[] = [];
  let smtp: SMTPServer;
  let twilio: FakeTwilio;
  let envAdded: Record<string, string> = {};

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        const header = req.headers['queuemed-signature'];
        void verifyWebhook(
          secret,
          typeof header === 'string' ? header : null,
          raw,
          Math.floor(Date.now() / 1000),
        ).then((v) => {
          got.push({
            eventId: req.headers['queuemed-event-id'] as string | undefined,
            verified: v.ok,
            body: JSON.parse(raw) as Record<string, unknown>,
          });
          res.statusCode = v.ok ? (failAll ? 500 : (answers.shift() ?? 204)) : 400;
          res.end();
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    // the owner notices' channels: a real SMTP server and the fake Twilio the channel tests use
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, cb) {
        simpleParser(stream)
          .then((m) => {
            mails.push(m);
            cb();
          })
          .catch((e: Error) => cb(e));
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    twilio = await startFakeTwilio();
    envAdded = {
      ...fakeTwilioEnv(twilio),
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    };
    Object.assign(process.env, envAdded);
    // the sender's explicit setting (inherited by the Deno functions the stack starts)
    process.env.WEBHOOK_ALLOW_PRIVATE_URLS = '1';
    app = await startAppStack(kind, { functionsDir: FUNCTIONS, configToml: CONFIG });
  }, 300_000);
  afterAll(async () => {
    if (before === undefined) delete process.env.WEBHOOK_ALLOW_PRIVATE_URLS;
    else process.env.WEBHOOK_ALLOW_PRIVATE_URLS = before;
    for (const k of Object.keys(envAdded)) delete process.env[k];
    await app?.stop();
    await new Promise<void>((r) => server.close(() => r()));
    await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
    await twilio?.close();
  });

  const notificationSweep = async () => {
    const res = await fetch(`${app.stack.url}/functions/v1/notification-sweep`, {
      method: 'POST',
      headers: {
        apikey: app.stack.serviceKey,
        authorization: `Bearer ${app.stack.serviceKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ min_age_seconds: 0 }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { processed: number; by_status: Record<string, number> };
  };

  const sweep = async () => {
    const res = await fetch(`${app.stack.url}/functions/v1/webhook-sweep`, {
      method: 'POST',
      headers: {
        apikey: app.stack.serviceKey,
        authorization: `Bearer ${app.stack.serviceKey}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { claimed: number; delivered: number; failed: number };
  };

  it('a walk-in through REST reaches the receiver once, signed; a 500 is retried after the backoff; the owner sees the log', async () => {
    const owner = await app.newClinic('hooks');
    await app.db.query(`update public.clinics set time_zone = $2 where id = $1`, [
      owner.clinicId,
      middayZone(),
    ]);
    for (let d = 0; d < 7; d++)
      await app.db.query(
        `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at) values ($1, $2, '08:00', '18:00')`,
        [owner.clinicId, d],
      );
    // production refuses a loopback URL …
    const refused = await owner.client.rpc('create_webhook_endpoint', {
      p_clinic_id: owner.clinicId,
      p_url: receiverUrl,
      p_event_types: ['patient.checked_in'],
    });
    expect(refused.error?.message).toBe('WEBHOOK.URL_INVALID');
    // … the deployment's explicit setting allows it (tests, a self-hosted LAN)
    await app.db.query(`update private.webhook_settings set allow_private_urls = true`);
    const created = await owner.client.rpc('create_webhook_endpoint', {
      p_clinic_id: owner.clinicId,
      p_url: receiverUrl,
      p_event_types: ['patient.checked_in', 'patient.called'],
    });
    expect(created.error).toBeNull();
    secret = (created.data as { secret: string }).secret;

    const { data: key, error: keyError } = await owner.client.rpc('create_api_key', {
      p_clinic_id: owner.clinicId,
      p_name: 'desk',
      p_scopes: ['queue'],
    });
    expect(keyError).toBeNull();
    const joined = await fetch(
      `${app.stack.url}/functions/v1/api/v1/clinics/${owner.clinicId}/queue/entries`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${(key as { key: string }).key}`,
          'content-type': 'application/json',
          'idempotency-key': `hook-${process.pid}`,
        },
        body: JSON.stringify({ patientName: 'Walk Hook', phone: '+212600000099' }),
      },
    );
    expect(joined.status).toBe(201);
    const entryId = ((await joined.json()) as { entry: { id: string } }).entry.id;

    answers.push(500);
    expect(await sweep()).toEqual({ claimed: 1, delivered: 0, failed: 1, disabled: 0 });
    expect(await sweep()).toEqual({ claimed: 0, delivered: 0, failed: 0, disabled: 0 }); // backing off
    await app.db.query(`update public.webhook_deliveries set next_attempt_at = now() - interval '1 second'`);
    expect(await sweep()).toEqual({ claimed: 1, delivered: 1, failed: 0, disabled: 0 });
    expect(await sweep()).toEqual({ claimed: 0, delivered: 0, failed: 0, disabled: 0 });

    expect(got).toHaveLength(2);
    expect(got.every((g) => g.verified)).toBe(true);
    expect(got[0]!.eventId).toBe(got[1]!.eventId);
    expect(got[1]!.body).toMatchObject({
      type: 'patient.checked_in',
      clinic_id: owner.clinicId,
      data: { entry_id: entryId, event: 'WalkInAdded' },
    });
    // no name or phone number leaves the clinic
    expect(JSON.stringify(got)).not.toMatch(/Walk Hook|600000099/);

    const log = await owner.client
      .from('webhook_deliveries')
      .select('status, attempts, last_status_code')
      .eq('clinic_id', owner.clinicId);
    expect(log.data).toEqual([{ status: 'delivered', attempts: 2, last_status_code: 204 }]);
  });

  it('an endpoint failing 20 times in a row is disabled; its owner gets exactly one webhook_disabled notice through the outbox (email, else SMS), in the message log — repeated and concurrent sweeps send no second one', async () => {
    const owner = await app.newClinic('hookfail');
    await app.db.query(`update public.clinics set default_language = 'en' where id = $1`, [owner.clinicId]);
    await app.db.query(`update private.webhook_settings set allow_private_urls = true`);
    const created = await owner.client.rpc('create_webhook_endpoint', {
      p_clinic_id: owner.clinicId,
      p_url: `${receiverUrl}?token=s3cret`,
      p_event_types: ['patient.checked_in'],
    });
    expect(created.error).toBeNull();
    const hook = created.data as { id: string; secret: string };
    secret = hook.secret;
    await app.db.query(`update public.clinics set time_zone = $2 where id = $1`, [
      owner.clinicId,
      middayZone(),
    ]);
    for (let d = 0; d < 7; d++)
      await app.db.query(
        `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at) values ($1, $2, '08:00', '18:00')`,
        [owner.clinicId, d],
      );
    const { data: key, error: keyError } = await owner.client.rpc('create_api_key', {
      p_clinic_id: owner.clinicId,
      p_name: 'back office',
      p_scopes: ['admin'],
    });
    expect(keyError).toBeNull();
    let idem = 0;
    const rest = (method: 'POST', path: string, body: unknown) =>
      fetch(`${app.stack.url}/functions/v1/api${path}`, {
        method,
        headers: {
          authorization: `Bearer ${(key as { key: string }).key}`,
          'content-type': 'application/json',
          'idempotency-key': `hookfail-${process.pid}-${++idem}`,
        },
        body: JSON.stringify(body),
      });
    const walkIn = async (name: string) => {
      const res = await rest('POST', `/v1/clinics/${owner.clinicId}/queue/entries`, {
        patientName: name,
        phone: null,
      });
      expect(res.status).toBe(201);
    };
    /** 18 earlier failures, then an event and real failed attempts (the receiver answers 500) until the
     *  sweep disables the endpoint: exactly one sweep reports it. */
    const failUntilDisabled = async (name: string) => {
      await app.db.query(`update public.webhook_endpoints set consecutive_failures = 18 where id = $1`, [
        hook.id,
      ]);
      await walkIn(name);
      failAll = true;
      let disabled = 0;
      let failed = 0;
      for (let i = 0; i < 5 && disabled === 0; i++) {
        await app.db.query(
          `update public.webhook_deliveries set next_attempt_at = now() - interval '1 second'
            where endpoint_id = $1 and status = 'pending'`,
          [hook.id],
        );
        const r = await sweep();
        disabled += (r as { disabled?: number }).disabled ?? 0;
        failed += r.failed;
      }
      failAll = false;
      expect([disabled, failed >= 2]).toEqual([1, true]);
      const { data } = await owner.client
        .from('webhook_endpoints')
        .select('enabled, disabled_reason, consecutive_failures')
        .eq('id', hook.id)
        .single();
      expect(data).toEqual({ enabled: false, disabled_reason: 'failing', consecutive_failures: 20 });
    };
    const notices = async () =>
      (
        await owner.client
          .from('notifications')
          .select('kind, channel, status, language, body, entry_id')
          .eq('clinic_id', owner.clinicId)
          .eq('kind', 'webhook_disabled')
          .order('created_at')
      ).data ?? [];

    await failUntilDisabled('Hook One');
    // the webhook sweep sends nothing itself; the outbox owes it
    expect(await notices()).toEqual([]);
    const mailsBefore = mails.length;
    // two sweeps at the same time, then a third: one notice
    await Promise.all([notificationSweep(), notificationSweep()]);
    await notificationSweep();
    const toOwner = mails.slice(mailsBefore).filter((m) => m.text?.includes('webhook'));
    expect(toOwner).toHaveLength(1);
    const mail = toOwner[0]!;
    expect(JSON.stringify(mail.to)).toContain(owner.email);
    expect(mail.subject).toBe('Clinic hookfail: webhook switched off');
    expect(mail.text).toContain(`switched off your webhook ${receiverUrl} after 20 failed deliveries`);
    expect(mail.text).not.toContain('s3cret');
    expect(mail.headers.get('content-language')).toBe('en');
    expect(await notices()).toEqual([
      {
        kind: 'webhook_disabled',
        channel: 'email',
        status: 'sent',
        language: 'en',
        body: mail.text?.trim(),
        entry_id: null,
      },
    ]);

    // switched back on over REST … and failing again, for an owner without an email: one SMS to their phone
    const enabled = await rest('POST', `/v1/clinics/${owner.clinicId}/webhooks/${hook.id}/enable`, {});
    expect(enabled.status).toBe(200);
    await app.db.query(`update auth.users set email = null where id = $1`, [owner.userId]);
    await app.db.query(`update public.profiles set phone = '+212600000024' where id = $1`, [owner.userId]);
    await failUntilDisabled('Hook Two');
    const smsBefore = messagesOf(twilio).length;
    await Promise.all([notificationSweep(), notificationSweep()]);
    await notificationSweep();
    const sms = messagesOf(twilio)
      .slice(smsBefore)
      .filter((r) => r.form['To'] === '+212600000024');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.form['Body']).toContain('switched off your webhook');
    const both = await notices();
    expect(both.map((n) => [n.channel, n.status])).toEqual([
      ['email', 'sent'],
      ['sms', 'sent'],
    ]);
    expect(mails.slice(mailsBefore).filter((m) => m.text?.includes('webhook'))).toHaveLength(1);
    // the sweep's logs name no phone number
    expect(JSON.stringify(await notificationSweep())).not.toContain('600000024');
  });
});
