// Webhooks end to end on the local stack (issue 18), on PGlite and PostgreSQL: an owner registers a receiver
// on 127.0.0.1 through supabase-js (allowed only because the test turns on the explicit setting), a walk-in
// joins through REST /v1, the database writes the delivery with the event, the real Deno `webhook-sweep`
// signs and POSTs it, and the receiver accepts it with the documented verification code — exactly once
// across a failed first attempt and repeated sweeps; the owner sees the log.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../supabase/functions/_shared/webhookSignature';
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
  const before = process.env.WEBHOOK_ALLOW_PRIVATE_URLS;

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
          res.statusCode = v.ok ? (answers.shift() ?? 204) : 400;
          res.end();
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    // the sender's explicit setting (inherited by the Deno functions the stack starts)
    process.env.WEBHOOK_ALLOW_PRIVATE_URLS = '1';
    app = await startAppStack(kind, { functionsDir: FUNCTIONS, configToml: CONFIG });
  }, 300_000);
  afterAll(async () => {
    if (before === undefined) delete process.env.WEBHOOK_ALLOW_PRIVATE_URLS;
    else process.env.WEBHOOK_ALLOW_PRIVATE_URLS = before;
    await app?.stop();
    await new Promise<void>((r) => server.close(() => r()));
  });

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
    expect(await sweep()).toEqual({ claimed: 1, delivered: 0, failed: 1, owners_notified: 0 });
    expect(await sweep()).toEqual({ claimed: 0, delivered: 0, failed: 0, owners_notified: 0 }); // backing off
    await app.db.query(`update public.webhook_deliveries set next_attempt_at = now() - interval '1 second'`);
    expect(await sweep()).toEqual({ claimed: 1, delivered: 1, failed: 0, owners_notified: 0 });
    expect(await sweep()).toEqual({ claimed: 0, delivered: 0, failed: 0, owners_notified: 0 });

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
});
