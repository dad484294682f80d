/**
 * QueueMed's MCP server for AI agents (issue 18), on the official @modelcontextprotocol/sdk, over stdio
 * (`npm run mcp`). Its tools are a thin client of REST /v1: the same API key, the same scopes, the same
 * rate limits and problems — nothing here decides anything. Tool inputs are the application services'
 * own zod schemas (BookingService, the queue's CallNextInputSchema).
 *
 *   QUEUEMED_API_URL=https://<project>.supabase.co/functions/v1/api QUEUEMED_API_KEY=qmk_… npm run mcp
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import {
  BookInputSchema,
  FreeSlotsInputSchema,
  StaffBookInputSchema,
  TrackingTokenSchema,
} from '../src/services/appointment/BookingService';
import { CallNextInputSchema } from '../src/services/queue/api/schemas';

export interface McpOptions {
  /** The base of REST /v1 (…/functions/v1/api). */
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
}

const text = (value: unknown, isError = false) => ({
  content: [{ type: 'text' as const, text: JSON.stringify(value, null, 2) }],
  ...(isError ? { isError: true } : {}),
});

export function createMcpServer(options: McpOptions): McpServer {
  const f = options.fetch ?? fetch;
  const base = options.apiUrl.replace(/\/$/, '');
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await f(base + path, {
      method,
      headers: {
        authorization: `Bearer ${options.apiKey}`,
        accept: 'application/json',
        ...(method === 'POST' ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {}),
      },
      ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
    });
    const json: unknown = await res.json().catch(() => null);
    // A problem (4xx/5xx) goes back to the agent as a tool error with its stable code.
    return text(json, !res.ok);
  };
  const q = (o: Record<string, string | number | null | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null) p.set(k, String(v));
    return p.toString();
  };

  const server = new McpServer({ name: 'queuemed', version: '1.0.0' });

  server.registerTool(
    'find_free_slots',
    {
      description:
        "A clinic's free slots from a local date (YYYY-MM-DD), optionally to another, for a visit type.",
      inputSchema: FreeSlotsInputSchema.shape,
    },
    (a) =>
      call(
        'GET',
        `/v1/clinics/${encodeURIComponent(a.clinicId)}/slots?${q({ from: a.from, to: a.to, visitTypeId: a.appointmentTypeId, limit: 100 })}`,
      ),
  );
  server.registerTool(
    'book_visit',
    {
      description:
        "Book a slot for a patient of the key's clinic (needs the `bookings` scope). Returns the ticket and the private tracking token.",
      inputSchema: {
        ...StaffBookInputSchema.shape,
        fullName: BookInputSchema.shape.fullName,
      },
    },
    (a) =>
      call('POST', '/v1/bookings', {
        clinicId: a.clinicId,
        patientId: a.patientId,
        slotStart: a.slotStart,
        appointmentTypeId: a.appointmentTypeId ?? null,
        practitionerId: a.practitionerId ?? null,
      }),
  );
  server.registerTool(
    'cancel_visit',
    {
      description: 'Cancel a booking by its id (needs the `bookings` scope).',
      inputSchema: { bookingId: z.uuid(), reason: z.string().trim().max(500).optional() },
    },
    (a) =>
      call('POST', `/v1/bookings/${encodeURIComponent(a.bookingId)}/cancel`, { reason: a.reason ?? null }),
  );
  server.registerTool(
    'visit_status',
    {
      description:
        "A visit's live status (position, room, called or not) and the clinic's wait estimate, through its private tracking token.",
      inputSchema: { token: TrackingTokenSchema },
    },
    (a) => call('GET', `/v1/visits/${encodeURIComponent(a.token)}`),
  );
  server.registerTool(
    'todays_queue',
    {
      description: "Today's queue of the key's clinic, in order (staff keys).",
      inputSchema: { clinicId: z.uuid() },
    },
    (a) => call('GET', `/v1/clinics/${encodeURIComponent(a.clinicId)}/queue?limit=100`),
  );
  server.registerTool(
    'call_next',
    {
      description: 'Call the next present patient, for a practitioner or "any" (needs the `queue` scope).',
      inputSchema: { clinicId: z.uuid(), ...CallNextInputSchema.partial().shape },
    },
    (a) =>
      call('POST', `/v1/clinics/${encodeURIComponent(a.clinicId)}/queue/call-next`, {
        practitionerId: a.practitionerId ?? null,
        room: a.room ?? null,
      }),
  );
  return server;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const apiUrl = process.env['QUEUEMED_API_URL'];
  const apiKey = process.env['QUEUEMED_API_KEY'];
  if (!apiUrl || !apiKey) {
    process.stderr.write('QUEUEMED_API_URL and QUEUEMED_API_KEY are required\n');
    process.exit(2);
  }
  await createMcpServer({ apiUrl, apiKey }).connect(new StdioServerTransport());
}
