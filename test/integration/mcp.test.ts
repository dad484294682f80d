// The MCP server driven by the official SDK client over stdio (scripts/mcp.ts, `npm run mcp`) and over
// streamable HTTP (the edge function `mcp`) against REST /v1 on the local stack: list the tools, find a
// slot, book it, read the visit's status, and a scope the key lacks comes back as a tool error with the
// API's code. Both transports serve the same tool definitions (scripts/mcpServer.ts).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppStack, type AppStack } from './appStack';
import { middayZone } from './queueStackKit';

const ROOT = new URL('../../', import.meta.url).pathname;

const parse = (r: unknown): Record<string, unknown> => {
  const c = (r as { content: { type: string; text: string }[] }).content[0];
  return JSON.parse(c?.text ?? 'null') as Record<string, unknown>;
};

describe('MCP server over stdio and streamable HTTP (pglite)', () => {
  let app: AppStack;
  let client: Client;
  let key = '';
  let readKey = '';
  const http: Client[] = [];
  /** An SDK client on the edge function `mcp`, with these request headers. */
  const overHttp = async (headers: Record<string, string>): Promise<Client> => {
    const c = new Client({ name: 'queuemed-http-test', version: '1.0.0' });
    await c.connect(
      new StreamableHTTPClientTransport(new URL(`${app.stack.url}/functions/v1/mcp`), {
        requestInit: { headers },
      }),
    );
    http.push(c);
    return c;
  };
  let clinicId = '';
  let ownerMemberId = '';
  let patientId = '';
  let tomorrow = '';

  beforeAll(async () => {
    app = await startAppStack('pglite', {
      functionsDir: `${ROOT}supabase/functions`,
      configToml: `${ROOT}supabase/config.toml`,
    });
    const owner = await app.newClinic('mcp');
    clinicId = owner.clinicId;
    ownerMemberId = owner.memberId;
    const zone = middayZone();
    await app.db.query(`update public.clinics set time_zone = $2 where id = $1`, [clinicId, zone]);
    for (let d = 0; d < 7; d++)
      await app.db.query(
        `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at) values ($1, $2, '08:00', '18:00')`,
        [clinicId, d],
      );
    const [p] = await app.addPatients(clinicId, ['Mcp Patient']);
    patientId = p!.id;
    const { data, error } = await owner.client.rpc('create_api_key', {
      p_clinic_id: clinicId,
      p_name: 'agent',
      p_scopes: ['bookings'],
    });
    if (error) throw new Error(error.message);
    key = (data as { key: string }).key;
    const reader = await owner.client.rpc('create_api_key', {
      p_clinic_id: clinicId,
      p_name: 'reader agent',
      p_scopes: ['read'],
    });
    if (reader.error) throw new Error(reader.error.message);
    readKey = (reader.data as { key: string }).key;
    tomorrow = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date(Date.now() + 24 * 3600 * 1000));
    client = new Client({ name: 'queuemed-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: `${ROOT}node_modules/.bin/tsx`,
        args: [`${ROOT}scripts/mcp.ts`],
        env: {
          PATH: process.env['PATH'] ?? '',
          QUEUEMED_API_URL: `${app.stack.url}/functions/v1/api`,
          QUEUEMED_API_KEY: key,
        },
      }),
    );
    // a stack, migrations and a tsx child on a shared 2-core machine: more than the default hook time
  }, 300_000);
  afterAll(async () => {
    for (const c of http) await c.close();
    await client?.close();
    await app?.stop();
  });

  it('lists the tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        'book_visit',
        'call_next',
        'cancel_visit',
        'create_webhook',
        'delete_webhook',
        'enable_webhook',
        'find_clinics',
        'find_fluid_days',
        'find_free_slots',
        'list_webhooks',
        'message_log',
        'resend_webhook_delivery',
        'todays_queue',
        'visit_status',
        'webhook_deliveries',
      ].sort(),
    );
    const book = tools.find((t) => t.name === 'book_visit')!;
    // a slot for a slotted visit type or a day for a fluid one (issue 17): neither is required alone
    expect([...(book.inputSchema.required ?? [])].sort()).toEqual(['clinicId', 'patientId']);
    expect(Object.keys(book.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['slotStart', 'day']),
    );
  });

  it('finds a slot, books it, reads the status; a missing scope is a coded tool error', async () => {
    const slots = parse(
      await client.callTool({ name: 'find_free_slots', arguments: { clinicId, from: tomorrow } }),
    );
    const slot = (slots['data'] as { start: string }[])[0]!.start;
    const booked = await client.callTool({
      name: 'book_visit',
      arguments: { clinicId, patientId, slotStart: slot },
    });
    expect(booked.isError).toBeFalsy();
    const b = parse(booked);
    expect(b['status']).toBe('scheduled');
    const status = parse(
      await client.callTool({ name: 'visit_status', arguments: { token: b['trackingToken'] as string } }),
    );
    expect(status['ticket']).toBe(b['ticket']);
    expect(status['status']).toBe('scheduled');
    // the visit's notification channel, read-only (issue 20): no browser opted in to push
    expect(status['notifications']).toMatchObject({ push: false });
    const denied = await client.callTool({ name: 'call_next', arguments: { clinicId } });
    expect(denied.isError).toBe(true);
    expect(parse(denied)['code']).toBe('AUTH.SCOPE_MISSING');
    const invalid = await client.callTool({ name: 'find_free_slots', arguments: { clinicId, from: 'soon' } });
    expect(invalid.isError).toBe(true);
  });

  it("fluid visit type (issue 17): find_fluid_days, book_visit with a day; the wrong path is BOOKING.MODE_MISMATCH, another clinic's type NOT_FOUND", async () => {
    const later = new Intl.DateTimeFormat('en-CA', {
      timeZone: middayZone(),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date(Date.now() + 48 * 3600 * 1000));
    const typeOf = async (clinic: string) =>
      (
        await app.db.query<{ id: string }>(
          `insert into public.appointment_types (clinic_id, name, duration_minutes, booking_mode)
           values ($1, 'Sans rendez-vous ☕', 20, 'fluid') returning id`,
          [clinic],
        )
      ).rows[0]!.id;
    const typeId = await typeOf(clinicId);
    const [p] = await app.addPatients(clinicId, ['مريم 🌿']);
    const days = async () =>
      parse(
        await client.callTool({
          name: 'find_fluid_days',
          arguments: { clinicId, from: later, appointmentTypeId: typeId },
        }),
      )['data'];
    expect(await days()).toEqual([{ day: later, remaining: 30 }]); // 08:00-18:00 = 600 minutes / 20
    const booked = await client.callTool({
      name: 'book_visit',
      arguments: { clinicId, patientId: p!.id, day: later, appointmentTypeId: typeId },
    });
    expect(booked.isError).toBeFalsy();
    expect(parse(booked)).toMatchObject({ status: 'scheduled', slotStart: null, day: later, kind: 'booked' });
    expect(await days()).toEqual([{ day: later, remaining: 29 }]);
    const code = async (args: Record<string, unknown>) => {
      const r = await client.callTool({ name: 'book_visit', arguments: { clinicId, patientId, ...args } });
      return [r.isError, parse(r)['code']];
    };
    const slot = (
      parse(await client.callTool({ name: 'find_free_slots', arguments: { clinicId, from: later } }))[
        'data'
      ] as { start: string }[]
    )[0]!.start;
    expect(await code({ slotStart: slot, appointmentTypeId: typeId })).toEqual([
      true,
      'BOOKING.MODE_MISMATCH',
    ]);
    expect(await code({ day: later })).toEqual([true, 'BOOKING.MODE_MISMATCH']); // the clinic's types: slotted
    expect(await code({ day: later, slotStart: slot })).toEqual([true, 'VALIDATION.FAILED']);
    expect(await code({})).toEqual([true, 'VALIDATION.FAILED']);
    const foreign = await typeOf((await app.newClinic('mcp-fluid-other')).clinicId);
    expect(await code({ day: later, appointmentTypeId: foreign })).toEqual([true, 'NOT_FOUND']);
    expect(await days()).toEqual([{ day: later, remaining: 29 }]); // the refusals took nothing
  });

  it('F7 fluid with a doctor (issue 17): find_fluid_days takes practitionerId (her leave left out, a doctor who does not offer the type refused as /slots), book_visit keeps her, visit_status names her', async () => {
    const dayOf = (hours: number) =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone: middayZone(),
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(new Date(Date.now() + hours * 3600 * 1000));
    const [d3, d4] = [dayOf(72), dayOf(96)];
    const doctor = await app.signUp('mcpfluiddoc');
    const docId = (
      await app.db.query<{ id: string }>(
        `insert into public.clinic_members (clinic_id, user_id, role, display_name)
         values ($1, $2, 'practitioner', 'Dr Ségolène 🩺') returning id`,
        [clinicId, doctor.userId],
      )
    ).rows[0]!.id;
    const typeId = (
      await app.db.query<{ id: string }>(
        `insert into public.appointment_types (clinic_id, name, duration_minutes, booking_mode, practitioner_ids)
         values ($1, 'Vaccin 💉', 20, 'fluid', array[$2::uuid]) returning id`,
        [clinicId, docId],
      )
    ).rows[0]!.id;
    await app.db.query(
      `insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day) values ($1, $2, $3, $3)`,
      [clinicId, docId, d3],
    );
    const days = (practitionerId?: string) =>
      client.callTool({
        name: 'find_fluid_days',
        arguments: { clinicId, from: d3, to: d4, appointmentTypeId: typeId, practitionerId },
      });
    const list = (r: unknown) => (parse(r)['data'] as { day: string }[]).map((d) => d.day);
    // F8 (fluid22): she is the type's only doctor, so her leave day is not offered to "any doctor" either
    expect(list(await days())).toEqual([d4]);
    const hers = await days(docId);
    expect(hers.isError).toBeFalsy();
    expect(list(hers)).toEqual([d4]); // her leave is not offered
    const notOffered = await days(ownerMemberId); // the owner is a doctor too (DR1), but not of this type
    expect([notOffered.isError, parse(notOffered)['code']]).toEqual([
      true,
      'BOOKING.PRACTITIONER_NOT_OFFERED',
    ]);
    // find_free_slots takes the doctor too (its schema always had practitionerId): not silently any doctor's
    const slots = await client.callTool({
      name: 'find_free_slots',
      arguments: { clinicId, from: d4, practitionerId: crypto.randomUUID() },
    });
    expect([slots.isError, parse(slots)['code']]).toEqual([true, 'NOT_FOUND']);
    const [p] = await app.addPatients(clinicId, ['سعاد 🌿']);
    // F8: a forged "any doctor" day on which no doctor of the type works is refused, as the list left it out
    const forged = await client.callTool({
      name: 'book_visit',
      arguments: { clinicId, patientId: p!.id, day: d3, appointmentTypeId: typeId },
    });
    expect([forged.isError, parse(forged)['code']]).toEqual([true, 'BOOKING.DAY_UNAVAILABLE']);
    const booked = await client.callTool({
      name: 'book_visit',
      arguments: { clinicId, patientId: p!.id, day: d4, appointmentTypeId: typeId, practitionerId: docId },
    });
    expect(booked.isError, JSON.stringify(booked)).toBeFalsy();
    const token = parse(booked)['trackingToken'] as string;
    const status = parse(await client.callTool({ name: 'visit_status', arguments: { token } }));
    expect(status).toMatchObject({ status: 'scheduled', day: d4, doctorName: 'Dr Ségolène 🩺' });
    // over streamable HTTP without a credential (a public tool): the same name
    const anon = await overHttp({});
    const pub = parse(await anon.callTool({ name: 'visit_status', arguments: { token } }));
    expect(pub['doctorName']).toBe('Dr Ségolène 🩺');
  });

  it('message log with the channel (WhatsApp) and webhooks managed by an admin key; other keys refused', async () => {
    const owner = await app.newClinic('mcp-hooks');
    const other = await app.newClinic('mcp-hooks-other');
    const keyOf = async (c: typeof owner, scopes: string[]) => {
      const { data, error } = await c.client.rpc('create_api_key', {
        p_clinic_id: c.clinicId,
        p_name: `agent ${scopes.join(' ')}`,
        p_scopes: scopes,
      });
      if (error) throw new Error(error.message);
      return (data as { key: string }).key;
    };
    const admin = await overHttp({ authorization: `Bearer ${await keyOf(owner, ['admin'])}` });
    const reader = await overHttp({ authorization: `Bearer ${await keyOf(owner, ['read'])}` });
    const stranger = await overHttp({ authorization: `Bearer ${await keyOf(other, ['admin'])}` });
    const id = owner.clinicId;

    // the message log names the channel: a WhatsApp message and the SMS sent in its place
    const wa = (
      await app.db.query<{ id: string }>(
        `insert into public.notifications (clinic_id, kind, language, body, idempotency_key, status, channel)
         values ($1, 'your_turn', 'ar', 'دورك', 'mcp-wa-1', 'failed', 'whatsapp') returning id`,
        [id],
      )
    ).rows[0]!.id;
    await app.db.query(
      `insert into public.notifications (clinic_id, kind, language, body, idempotency_key, status, channel, fallback_of)
       values ($1, 'your_turn', 'ar', 'دورك', 'mcp-sms-1', 'sent', 'sms', $2)`,
      [id, wa],
    );
    const log = await reader.callTool({ name: 'message_log', arguments: { clinicId: id } });
    expect(log.isError).toBeFalsy();
    const messages = parse(log)['data'] as { id: string; channel: string; fallbackOf: string | null }[];
    expect(messages.map((m) => [m.channel, m.fallbackOf])).toEqual(
      expect.arrayContaining([
        ['whatsapp', null],
        ['sms', wa],
      ]),
    );
    const foreignLog = await stranger.callTool({ name: 'message_log', arguments: { clinicId: id } });
    expect([foreignLog.isError, parse(foreignLog)['code']]).toEqual([true, 'AUTH.FORBIDDEN']);

    // webhooks: create (secret once), list, deliveries, delete — the admin scope only
    const created = await admin.callTool({
      name: 'create_webhook',
      arguments: { clinicId: id, url: 'https://hooks.example.com/mcp', eventTypes: ['patient.called'] },
    });
    expect(created.isError).toBeFalsy();
    const hook = parse(created);
    expect(hook['secret']).toEqual(expect.any(String));
    const listed = parse(await admin.callTool({ name: 'list_webhooks', arguments: { clinicId: id } }));
    expect((listed['data'] as { id: string; url: string }[]).map((w) => [w.id, w.url])).toEqual([
      [hook['id'], 'https://hooks.example.com/mcp'],
    ]);
    expect(JSON.stringify(listed)).not.toContain(hook['secret'] as string);
    const deliveries = await admin.callTool({ name: 'webhook_deliveries', arguments: { clinicId: id } });
    expect([deliveries.isError, Array.isArray(parse(deliveries)['data'])]).toEqual([undefined, true]);
    const missing = await admin.callTool({
      name: 'resend_webhook_delivery',
      arguments: { clinicId: id, deliveryId: '00000000-0000-4000-8000-000000000000' },
    });
    expect([missing.isError, parse(missing)['code']]).toEqual([true, 'NOT_FOUND']);
    const privateUrl = await admin.callTool({
      name: 'create_webhook',
      arguments: { clinicId: id, url: 'https://127.0.0.1:8443/hook', eventTypes: ['patient.called'] },
    });
    expect([privateUrl.isError, parse(privateUrl)['code']]).toEqual([true, 'WEBHOOK.URL_PRIVATE']);
    for (const [agent, code] of [
      [reader, 'AUTH.SCOPE_MISSING'],
      [stranger, 'AUTH.FORBIDDEN'],
    ] as const) {
      const refused = await agent.callTool({ name: 'list_webhooks', arguments: { clinicId: id } });
      expect([refused.isError, parse(refused)['code']]).toEqual([true, code]);
      const notDeleted = await agent.callTool({
        name: 'delete_webhook',
        arguments: { clinicId: id, webhookId: hook['id'] as string },
      });
      expect([notDeleted.isError, parse(notDeleted)['code']]).toEqual([true, code]);
    }
    // enable: an endpoint the sweep disabled for failing is switched back on by the admin key only
    await app.db.query(
      `update public.webhook_endpoints set enabled = false, disabled_reason = 'failing', consecutive_failures = 20
        where id = $1`,
      [hook['id']],
    );
    for (const [agent, code] of [
      [reader, 'AUTH.SCOPE_MISSING'],
      [stranger, 'AUTH.FORBIDDEN'],
    ] as const) {
      const notEnabled = await agent.callTool({
        name: 'enable_webhook',
        arguments: { clinicId: id, webhookId: hook['id'] as string },
      });
      expect([notEnabled.isError, parse(notEnabled)['code']]).toEqual([true, code]);
    }
    const enabled = await admin.callTool({
      name: 'enable_webhook',
      arguments: { clinicId: id, webhookId: hook['id'] as string },
    });
    expect(enabled.isError).toBeFalsy();
    expect(parse(enabled)).toMatchObject({
      id: hook['id'],
      enabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
    });
    const deleted = await admin.callTool({
      name: 'delete_webhook',
      arguments: { clinicId: id, webhookId: hook['id'] as string },
    });
    expect(deleted.isError).toBeFalsy();
    expect(parse(deleted)).toEqual({ done: true, status: 204 });
    const after = parse(await admin.callTool({ name: 'list_webhooks', arguments: { clinicId: id } }));
    expect(after['data']).toEqual([]);
  });

  it("review21 L5: another clinic's user (a JWT) gets AUTH.FORBIDDEN from message_log, list_webhooks and webhook_deliveries, not an empty list", async () => {
    const other = await app.newClinic('mcp-l5-other');
    const stranger = await overHttp({ authorization: `Bearer ${other.token}` });
    for (const name of ['message_log', 'list_webhooks', 'webhook_deliveries']) {
      const r = await stranger.callTool({ name, arguments: { clinicId } });
      expect([r.isError, parse(r)['code']], name).toEqual([true, 'AUTH.FORBIDDEN']);
    }
  });

  it('over streamable HTTP: the same tools; finds, books and reads the status with the key; scopes as REST', async () => {
    const agent = await overHttp({ authorization: `Bearer ${key}` });
    const [other] = await app.addPatients(clinicId, ['Mcp Http Patient']);
    const httpPatient = other!.id;
    const { tools } = await agent.listTools();
    const { tools: stdioTools } = await client.listTools();
    // one definition, two transports: the same names, descriptions and input schemas
    expect(tools).toEqual(stdioTools);
    const slots = parse(
      await agent.callTool({ name: 'find_free_slots', arguments: { clinicId, from: tomorrow } }),
    );
    const slot = (slots['data'] as { start: string }[])[1]!.start;
    const booked = await agent.callTool({
      name: 'book_visit',
      arguments: { clinicId, patientId: httpPatient, slotStart: slot },
    });
    expect(booked.isError, JSON.stringify(booked)).toBeFalsy();
    const b = parse(booked);
    expect(b['status']).toBe('scheduled');
    const { rows } = await app.db.query<{ n: number }>(
      `select count(*)::int as n from public.queue_entries where id = $1 and patient_id = $2 and status = 'scheduled'`,
      [b['id'], httpPatient],
    );
    expect(rows[0]?.n).toBe(1);
    const status = parse(
      await agent.callTool({ name: 'visit_status', arguments: { token: b['trackingToken'] as string } }),
    );
    expect([status['ticket'], status['status']]).toEqual([b['ticket'], 'scheduled']);
    const denied = await agent.callTool({ name: 'call_next', arguments: { clinicId } });
    expect(denied.isError).toBe(true);
    expect(parse(denied)['code']).toBe('AUTH.SCOPE_MISSING');
    // a read key (X-API-Key) may read the queue but not book
    const reader = await overHttp({ 'x-api-key': readKey });
    const queue = await reader.callTool({ name: 'todays_queue', arguments: { clinicId } });
    expect(queue.isError).toBeFalsy();
    expect(parse(queue)['clinicId']).toBe(clinicId);
    const refused = await reader.callTool({
      name: 'book_visit',
      arguments: {
        clinicId,
        patientId: httpPatient,
        slotStart: (slots['data'] as { start: string }[])[2]!.start,
      },
    });
    expect(refused.isError).toBe(true);
    expect(parse(refused)['code']).toBe('AUTH.SCOPE_MISSING');
    // no credential: the public tools answer, the others are the API's 401; a revoked/unknown key is 401
    const anon = await overHttp({});
    const pub = await anon.callTool({
      name: 'visit_status',
      arguments: { token: b['trackingToken'] as string },
    });
    expect(pub.isError).toBeFalsy();
    const anonQueue = await anon.callTool({ name: 'todays_queue', arguments: { clinicId } });
    expect([anonQueue.isError, parse(anonQueue)['code']]).toEqual([true, 'AUTH.REQUIRED']);
    const forged = await overHttp({ authorization: `Bearer qmk_${'0'.repeat(64)}` });
    const bad = await forged.callTool({ name: 'todays_queue', arguments: { clinicId } });
    expect([bad.isError, parse(bad)['code']]).toEqual([true, 'AUTH.INVALID_KEY']);
    // not a JSON-RPC POST: 405 as a problem
    const get = await fetch(`${app.stack.url}/functions/v1/mcp`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get('content-type')).toContain('application/problem+json');
  });
});
