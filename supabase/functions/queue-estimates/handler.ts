/**
 * POST /functions/v1/queue-estimates — wait estimates computed on the server (issue 16), so that a change
 * made with no staff screen open (a patient's check-in, the grace sweep) or time passing alone still gets
 * fresh estimates for the tracker, the board and SMS `{eta}`.
 *
 * Service role only. It asks the database which of today's open queues need estimates
 * (`queues_needing_estimates`: someone waits and the stored estimates are missing, of an older version,
 * or older than `max_age_seconds`) and, for each, runs the SAME `QueueService.status()` a staff desk runs:
 * load the queue, `get_wait_history`, the one estimator (`models/WaitEstimator.ts`), `store_queue_estimates`
 * for that queue version. The estimator counts from the database's clock (`private.now()`, pinnable in
 * tests), not this process's.
 *
 * Callers: the local stack, on every queue change (LISTEN, debounced, with `clinic_id`) and on a periodic
 * tick (no body); on Supabase pg_cron + pg_net every minute and/or a database webhook on `public.queues`
 * (docs/wait-estimates.md "Server-side recompute").
 *
 * Body (optional JSON): { clinic_id?: uuid, max_age_seconds?: 10-86400 (60), limit?: 1-200 (50) }, or a
 * Supabase database webhook's body (its record's clinic_id is used).
 * Answer 200: { now, queues: [{ clinic_id, day, version, estimates }], failed }
 */
import { createClient } from '@supabase/supabase-js';
import { z } from 'npm:zod@^4.6.7';
import { QueueService } from '../../../src/services/queue/QueueService.ts';
import { SupabaseQueueRepository } from '../../../src/services/queue/repositories/SupabaseQueueRepository.ts';
import { SupabaseWaitEstimates } from '../../../src/services/queue/repositories/SupabaseWaitEstimates.ts';
import type { WaitEstimateSink } from '../../../src/services/queue/repositories/WaitEstimates.ts';
import { ManualClock } from '../../../src/services/shared/Clock.ts';
import { isServiceToken, rpcFor } from '../_shared/context.ts';
import type { Runtime } from '../_shared/context.ts';
import { bearerToken, fail, json } from '../_shared/http.ts';
import { RpcError } from '../_shared/rest.ts';
import { supaFromEnv } from '../_shared/rest.ts';

const Options = z
  .object({
    clinic_id: z.uuid().optional(),
    max_age_seconds: z.number().int().min(10).max(86_400).default(60),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();

const Work = z.object({
  now: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an instant'),
  queues: z.array(z.object({ clinic_id: z.string(), day: z.string(), version: z.number().int() })),
});

const noBus = { publish: () => undefined };

/**
 * A Supabase database webhook's body ({ type, table, schema, record, old_record }) on public.queues or
 * public.queue_entries → that row's clinic; null when the body is not a webhook's.
 */
const fromWebhook = (raw: unknown): { clinic_id?: string } | null => {
  if (raw === null || typeof raw !== 'object' || !('type' in raw) || !('table' in raw)) return null;
  const w = raw as { record?: { clinic_id?: unknown } | null; old_record?: { clinic_id?: unknown } | null };
  const clinic = w.record?.clinic_id ?? w.old_record?.clinic_id;
  return typeof clinic === 'string' ? { clinic_id: clinic } : {};
};

export interface Refreshed {
  clinic_id: string;
  day: string;
  /** The queue version the estimates were stored for (null: nothing stored, e.g. a newer one won). */
  version: number | null;
  estimates: number;
}

export const createEstimatesHandler =
  (rt: Runtime) =>
  async (req: Request): Promise<Response> => {
    if (req.method !== 'POST') return fail(405, 'VALIDATION.FAILED', 'POST only');
    const token = bearerToken(req);
    if (!token || !isServiceToken(rt, token)) return fail(403, 'AUTH.FORBIDDEN', 'service role only');
    const text = await req.text();
    let raw: unknown = {};
    try {
      raw = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return fail(400, 'VALIDATION.FAILED', 'the body must be JSON');
    }
    const opts = Options.safeParse(fromWebhook(raw) ?? raw ?? {});
    if (!opts.success) {
      return fail(
        422,
        'VALIDATION.FAILED',
        opts.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    }
    const rpc = rpcFor(rt, token, req);
    let work: z.output<typeof Work>;
    try {
      work = Work.parse(
        await rpc('queues_needing_estimates', {
          ...(opts.data.clinic_id ? { p_clinic_id: opts.data.clinic_id } : {}),
          p_max_age_seconds: opts.data.max_age_seconds,
        }),
      );
    } catch (e) {
      rt.log.error('work list failed', { code: e instanceof RpcError ? e.code : 'unknown' });
      return fail(502, 'ESTIMATES.UNAVAILABLE', 'the database did not answer');
    }

    const s = supaFromEnv(rt.env);
    const db = createClient(s.url, s.serviceKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: { fetch: rt.fetch },
    });
    const repo = new SupabaseQueueRepository(db);
    const waits = new SupabaseWaitEstimates(db);
    const clock = new ManualClock(new Date(work.now));
    const out: Refreshed[] = [];
    let failed = 0;
    for (const q of work.queues.slice(0, opts.data.limit)) {
      let stored: { version: number; estimates: number } | null = null;
      const sink: WaitEstimateSink = {
        store: async (input) => {
          await waits.store(input);
          stored = { version: input.version, estimates: input.estimates.length };
        },
      };
      const service = new QueueService({ repo, bus: noBus, clock, waitContext: waits, waitEstimates: sink });
      try {
        const r = await service.status(q.clinic_id, q.day);
        if (!r.ok) {
          failed++;
          rt.log.warn('queue not estimated', { clinic_id: q.clinic_id, day: q.day, code: r.error.code });
          continue;
        }
      } catch (e) {
        failed++;
        rt.log.error('queue not estimated', {
          clinic_id: q.clinic_id,
          day: q.day,
          error: e instanceof Error ? e.name : 'unknown',
        });
        continue;
      }
      const done = stored as { version: number; estimates: number } | null;
      out.push({
        clinic_id: q.clinic_id,
        day: q.day,
        version: done?.version ?? null,
        estimates: done?.estimates ?? 0,
      });
    }
    rt.log.info('estimates refreshed', { queues: out.length, failed });
    return json(200, { now: work.now, queues: out, failed });
  };
