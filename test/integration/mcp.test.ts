// The MCP server (scripts/mcp.ts, `npm run mcp`) driven by the official SDK client over stdio against
// REST /v1 on the local stack: list the tools, find a slot, book it, read the visit's status, and a
// scope the key lacks comes back as a tool error with the API's code.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppStack, type AppStack } from './appStack';
import { middayZone } from './queueStackKit';

const ROOT = new URL('../../', import.meta.url).pathname;

const parse = (r: unknown): Record<string, unknown> => {
  const c = (r as { content: { type: string; text: string }[] }).content[0];
  return JSON.parse(c?.text ?? 'null') as Record<string, unknown>;
};

describe('MCP server over stdio (pglite)', () => {
  let app: AppStack;
  let client: Client;
  let clinicId = '';
  let patientId = '';
  let tomorrow = '';

  beforeAll(async () => {
    app = await startAppStack('pglite', {
      functionsDir: `${ROOT}supabase/functions`,
      configToml: `${ROOT}supabase/config.toml`,
    });
    const owner = await app.newClinic('mcp');
    clinicId = owner.clinicId;
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
    const key = (data as { key: string }).key;
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
  });
  afterAll(async () => {
    await client?.close();
    await app?.stop();
  });

  it('lists the tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['book_visit', 'call_next', 'cancel_visit', 'find_free_slots', 'todays_queue', 'visit_status'].sort(),
    );
    const book = tools.find((t) => t.name === 'book_visit')!;
    expect(book.inputSchema.required).toEqual(expect.arrayContaining(['clinicId', 'patientId', 'slotStart']));
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
    const denied = await client.callTool({ name: 'call_next', arguments: { clinicId } });
    expect(denied.isError).toBe(true);
    expect(parse(denied)['code']).toBe('AUTH.SCOPE_MISSING');
    const invalid = await client.callTool({ name: 'find_free_slots', arguments: { clinicId, from: 'soon' } });
    expect(invalid.isError).toBe(true);
  });
});
