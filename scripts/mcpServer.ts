/**
 * QueueMed's MCP tools (issue 18) — ONE definition for both transports: stdio (`npm run mcp`,
 * scripts/mcp.ts) and streamable HTTP (the edge function `mcp`, supabase/functions/mcp). The tools are a
 * thin client of REST /v1: the same API key, the same scopes, the same rate limits and problems — nothing
 * here decides anything. Tool inputs are the application services' own zod schemas (BookingService, the
 * queue's CallNextInputSchema). Runs in Node and in Deno (extension-less imports: no Node built-ins).
 */
// Deno's type check does not map the SDK's `./*` export to its .d.ts files; point it at them (a comment for tsc).
// @ts-types="../node_modules/@modelcontextprotocol/sdk/dist/esm/server/mcp.d.ts"
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
// the services' input schemas are zod/mini (the browser's size, issue 14): their functional helpers
import { z as zm } from 'zod/mini';
import {
  BookInputSchema,
  FreeSlotsInputSchema,
  StaffBookFluidInputSchema,
  StaffBookInputSchema,
  TrackingTokenSchema,
} from '../src/services/appointment/BookingService';
import { DirectorySearchSchema } from '../src/services/clinic/ClinicDirectoryService';
import { SPECIALTIES } from '../src/services/clinic/api/directory';
import { CreateWebhookInputSchema } from '../src/services/clinic/WebhookService';
import { CallNextInputSchema } from '../src/services/queue/api/schemas';

export interface McpOptions {
  /** The base of REST /v1 (…/functions/v1/api). */
  readonly apiUrl: string;
  /** An API key `qmk_…` or a user's JWT; null: anonymous (only the public tools answer). */
  readonly apiKey: string | null;
  readonly fetch?: typeof fetch;
}

const text = (value: unknown, isError = false) => ({
  content: [{ type: 'text' as const, text: JSON.stringify(value, null, 2) }],
  ...(isError ? { isError: true } : {}),
});

export function createMcpServer(options: McpOptions): McpServer {
  const f = options.fetch ?? fetch;
  const base = options.apiUrl.replace(/\/$/, '');
  const call = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => {
    const res = await f(base + path, {
      method,
      headers: {
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        accept: 'application/json',
        ...(method === 'POST'
          ? { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }
          : {}),
      },
      ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
    });
    // 204 (a deletion): no body — the tool says what was done
    const json: unknown =
      res.status === 204 ? { done: true, status: 204 } : await res.json().catch(() => null);
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
    'find_clinics',
    {
      description:
        "Search QueueMed's public clinic directory (the clinics that chose to be listed) by part of the name, part of the city and a specialty code; accents, case and Arabic letter forms do not matter. At most 20 clinics a page, each with its id (for find_free_slots) and public page URL; pass nextCursor back as cursor for the next page. Needs no credential.",
      inputSchema: {
        query: DirectorySearchSchema.shape.query,
        city: DirectorySearchSchema.shape.city,
        specialty: z.enum(SPECIALTIES).optional(),
        cursor: z.string().max(500).optional(),
      },
    },
    (a) =>
      call(
        'GET',
        `/v1/clinics?${q({ q: a.query || undefined, city: a.city || undefined, specialty: a.specialty, cursor: a.cursor })}`,
      ),
  );
  server.registerTool(
    'find_free_slots',
    {
      description:
        "A clinic's free slots from a local date (YYYY-MM-DD), optionally to another at most 7 days later, for a visit type, of any doctor or of one (`practitionerId`).",
      inputSchema: FreeSlotsInputSchema.shape,
    },
    (a) =>
      call(
        'GET',
        `/v1/clinics/${encodeURIComponent(a.clinicId)}/slots?${q({ from: a.from, to: a.to, visitTypeId: a.appointmentTypeId, practitionerId: a.practitionerId, limit: 100 })}`,
      ),
  );
  server.registerTool(
    'find_fluid_days',
    {
      description:
        "A fluid visit type's days (no times: patients come during opening hours and are seen in order of arrival) with the places left in each day's line, from a local date (YYYY-MM-DD), optionally to another, of any doctor or of one (`practitionerId`: not their leave nor a day they do not work; book the day with the same doctor). Empty for a slotted type.",
      inputSchema: FreeSlotsInputSchema.shape,
    },
    (a) =>
      call(
        'GET',
        `/v1/clinics/${encodeURIComponent(a.clinicId)}/days?${q({ from: a.from, to: a.to, visitTypeId: a.appointmentTypeId, practitionerId: a.practitionerId })}`,
      ),
  );
  server.registerTool(
    'book_visit',
    {
      description:
        "Book for a patient of the key's clinic (needs the `bookings` scope): a slot (`slotStart`, from find_free_slots) for a slotted visit type, or a place in a day's line (`day`, from find_fluid_days) for a fluid one — exactly one of them. Returns the ticket and the private tracking token.",
      inputSchema: {
        ...StaffBookInputSchema.shape,
        slotStart: z.optional(StaffBookInputSchema.shape.slotStart),
        day: z.optional(StaffBookFluidInputSchema.shape.day),
        fullName: BookInputSchema.shape.fullName,
      },
    },
    (a) =>
      call('POST', '/v1/bookings', {
        clinicId: a.clinicId,
        patientId: a.patientId,
        ...(a.slotStart !== undefined ? { slotStart: a.slotStart } : {}),
        ...(a.day !== undefined ? { day: a.day } : {}),
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
        "A visit's live status (position, room, called or not, the doctor's name or null for any doctor) and the clinic's wait estimate, through its private tracking token.",
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
      inputSchema: { clinicId: z.uuid(), ...zm.partial(CallNextInputSchema).shape },
    },
    (a) =>
      call('POST', `/v1/clinics/${encodeURIComponent(a.clinicId)}/queue/call-next`, {
        practitionerId: a.practitionerId ?? null,
        room: a.room ?? null,
      }),
  );
  const clinicPath = (clinicId: string) => `/v1/clinics/${encodeURIComponent(clinicId)}`;
  server.registerTool(
    'message_log',
    {
      description:
        "The clinic's message log, newest first: each SMS, WhatsApp message or email with its channel, status, a fallback's original (fallbackOf) and a hard bounce (read scope). Pass nextCursor back as cursor for the next page.",
      inputSchema: {
        clinicId: z.uuid(),
        limit: z.number().int().min(1).max(100).optional(),
        cursor: z.string().max(500).optional(),
      },
    },
    (a) => call('GET', `${clinicPath(a.clinicId)}/messages?${q({ limit: a.limit ?? 20, cursor: a.cursor })}`),
  );
  // Webhooks: keys with the admin scope (owners' and admins' keys), as REST /v1.
  server.registerTool(
    'list_webhooks',
    {
      description:
        "The clinic's webhook endpoints: URL, event types, enabled or switched off after repeated failures (admin scope).",
      inputSchema: { clinicId: z.uuid() },
    },
    (a) => call('GET', `${clinicPath(a.clinicId)}/webhooks`),
  );
  server.registerTool(
    'create_webhook',
    {
      description:
        'Register an https endpoint of a public host for event types (admin scope). The signing secret is in this answer only: keep it to verify QueueMed-Signature.',
      inputSchema: {
        clinicId: z.uuid(),
        url: CreateWebhookInputSchema.shape.url,
        eventTypes: CreateWebhookInputSchema.shape.eventTypes,
        description: z.string().trim().max(120).optional(),
      },
    },
    (a) =>
      call('POST', `${clinicPath(a.clinicId)}/webhooks`, {
        url: a.url,
        eventTypes: a.eventTypes,
        ...(a.description !== undefined ? { description: a.description } : {}),
      }),
  );
  server.registerTool(
    'delete_webhook',
    {
      description: 'Delete a webhook endpoint; its pending deliveries go with it (admin scope).',
      inputSchema: { clinicId: z.uuid(), webhookId: z.uuid() },
    },
    (a) => call('DELETE', `${clinicPath(a.clinicId)}/webhooks/${encodeURIComponent(a.webhookId)}`),
  );
  server.registerTool(
    'enable_webhook',
    {
      description:
        'Switch a webhook endpoint back on after it was disabled for failing (or switched off); its failure count starts again at 0 (admin scope).',
      inputSchema: { clinicId: z.uuid(), webhookId: z.uuid() },
    },
    (a) => call('POST', `${clinicPath(a.clinicId)}/webhooks/${encodeURIComponent(a.webhookId)}/enable`, {}),
  );
  server.registerTool(
    'webhook_deliveries',
    {
      description:
        'The webhook delivery log: the 50 newest deliveries with status, attempts and the last error (admin scope).',
      inputSchema: { clinicId: z.uuid() },
    },
    (a) => call('GET', `${clinicPath(a.clinicId)}/webhook-deliveries`),
  );
  server.registerTool(
    'resend_webhook_delivery',
    {
      description: 'Send a webhook delivery again now, with a fresh attempt count (admin scope).',
      inputSchema: { clinicId: z.uuid(), deliveryId: z.uuid() },
    },
    (a) =>
      call(
        'POST',
        `${clinicPath(a.clinicId)}/webhook-deliveries/${encodeURIComponent(a.deliveryId)}/resend`,
        {},
      ),
  );
  return server;
}
