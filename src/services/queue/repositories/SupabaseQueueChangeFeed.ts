/** `QueueChangeFeed` on supabase-js Realtime: postgres_changes on `public.queues` for one clinic (RLS-checked). */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { subscribeAsCaller } from '../../shared/repositories/realtimeAuth';
import type { FeedStatus, QueueChange, QueueChangeFeed } from './QueueChangeFeed';

const QueueRowSchema = z.object({
  id: z.string(),
  clinic_id: z.string(),
  day: z.string(),
  version: z.number().int(),
});

let channelSeq = 0;

export class SupabaseQueueChangeFeed implements QueueChangeFeed {
  constructor(private readonly client: SupabaseClient) {}

  subscribe(
    clinicId: string,
    handlers: { onChange(change: QueueChange): void; onStatus?(status: FeedStatus): void },
  ): () => void {
    const channel: RealtimeChannel = this.client
      .channel(`queue:${clinicId}:${++channelSeq}`)
      .on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'queues', filter: `clinic_id=eq.${clinicId}` },
        (payload) => {
          const row = QueueRowSchema.safeParse(payload.new);
          if (!row.success) return;
          handlers.onChange({
            clinicId: row.data.clinic_id,
            queueId: row.data.id,
            day: row.data.day,
            version: row.data.version,
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
