/**
 * `QueueChangeFeed` on supabase-js Realtime: postgres_changes on `public.queues` for one clinic (RLS-checked),
 * and — for a staff screen that asks (`onEntry`) — on `public.queue_entries` of that clinic on the same
 * channel, so the rows arrive in commit order with the queue row that counts them (issue 12). RLS decides per
 * subscriber: another clinic's user, a patient or anon hears no entry of this clinic.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { subscribeAsCaller } from '../../shared/repositories/realtimeAuth';
import type { QueueChangeFeed, QueueChangeHandlers, QueueControl } from './QueueChangeFeed';
import { InstantSchema } from '../api';
import { EntryChangeRowSchema } from './queueEntryRow';

const QueueRowSchema = z.object({
  id: z.string(),
  clinic_id: z.string(),
  day: z.string(),
  version: z.number().check(z.int()),
  version_entries: z.optional(z.number().check(z.int(), z.gte(0))),
  status: z.optional(z.enum(['open', 'closed'])),
  updated_at: z.optional(z.string()),
});
/**
 * The pause and intake state, granted to authenticated only (20261210800002): a pause or an intake change
 * travels in the queue row itself. Both columns or nothing (anon, an older server): then the change says
 * nothing of the pause and a version without entry rows reloads, as before.
 */
const ControlSchema = z.pipe(
  z.object({
    paused_practitioner_ids: z.array(z.string()),
    intake_closed_at: z.nullable(InstantSchema),
  }),
  z.transform((c): QueueControl => ({
    pausedPractitionerIds: c.paused_practitioner_ids,
    intakeClosedAt: c.intake_closed_at,
  })),
);
const TurnReleaseRowSchema = z.object({
  queue_id: z.string(),
  releases: z.number().check(z.int(), z.gte(0)),
  // 20261213600001: the line after the change (bigint arrival numbers; absent from an older database)
  line: z.optional(z.array(z.coerce.number().check(z.int()))),
  line_version: z.optional(z.nullable(z.number().check(z.int()))),
});
const EntryHeadSchema = z.object({
  queue_id: z.string(),
  queue_version: z.optional(z.nullable(z.number().check(z.int()))),
});

let channelSeq = 0;

export class SupabaseQueueChangeFeed implements QueueChangeFeed {
  constructor(private readonly client: SupabaseClient) {}

  subscribe(clinicId: string, handlers: QueueChangeHandlers): () => void {
    let channel: RealtimeChannel = this.client.channel(`queue:${clinicId}:${++channelSeq}`);
    const onEntry = handlers.onEntry;
    if (onEntry) {
      // bound first: a change's entry rows are delivered before its queue row (commit order)
      channel = channel.on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'queue_entries', filter: `clinic_id=eq.${clinicId}` },
        (payload) => {
          // a DELETE carries the key only: no version, so the screen reloads
          const head = EntryHeadSchema.safeParse(payload.new);
          if (!head.success) {
            const queueId = (payload.old as { queue_id?: unknown } | null)?.queue_id;
            onEntry({ queueId: typeof queueId === 'string' ? queueId : '', version: null, row: null });
            return;
          }
          const row = EntryChangeRowSchema.safeParse(payload.new);
          onEntry({
            queueId: head.data.queue_id,
            version: head.data.queue_version ?? null,
            row: row.success ? row.data : null,
          });
        },
      );
    }
    const onTurnReleased = handlers.onTurnReleased;
    if (onTurnReleased) {
      // a turn claim ended without a save (20261212100001): staff of the clinic only (RLS)
      channel = channel.on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'queue_turn_releases', filter: `clinic_id=eq.${clinicId}` },
        (payload) => {
          const row = TurnReleaseRowSchema.safeParse(payload.new);
          if (!row.success) return;
          const { queue_id: queueId, releases, line, line_version: lineVersion } = row.data;
          onTurnReleased({
            queueId,
            releases,
            ...(line === undefined || lineVersion === undefined ? {} : { line, lineVersion }),
          });
        },
      );
    }
    channel = channel.on(
      'postgres_changes',
      { event: '*', schema: 'public', table: 'queues', filter: `clinic_id=eq.${clinicId}` },
      (payload) => {
        const row = QueueRowSchema.safeParse(payload.new);
        if (!row.success) return;
        const control = ControlSchema.safeParse(payload.new);
        handlers.onChange({
          clinicId: row.data.clinic_id,
          queueId: row.data.id,
          day: row.data.day,
          version: row.data.version,
          ...(row.data.version_entries !== undefined ? { entryCount: row.data.version_entries } : {}),
          ...(row.data.status !== undefined ? { status: row.data.status } : {}),
          ...(row.data.updated_at !== undefined ? { touchedAt: row.data.updated_at } : {}),
          ...(control.success ? { control: control.data } : {}),
        });
      },
    );
    // joins with the signed-in user's token (RLS on the rows it hears), never as anon by a race
    return subscribeAsCaller(this.client, channel, (status) => {
      if (status === 'SUBSCRIBED') handlers.onStatus?.('subscribed');
      else handlers.onStatus?.('disconnected');
    });
  }
}
