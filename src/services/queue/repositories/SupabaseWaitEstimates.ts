/**
 * The wait estimator's ports on supabase-js (issue 16, 20261201005001_wait_estimates.sql):
 * - `load`: `get_wait_history` — the day's working intervals and the last 30 days' visits (who called
 *   them, from the event log; absences and returns), zod-parsed; and `get_wait_accuracy` — how far the
 *   estimates patients were shown yesterday / this week were from their actual calls;
 * - `store`: `store_queue_estimates` — the estimates of the queue version the dashboard computed, which
 *   the tracker (`get_visit_live`) and SMS `{eta}` (`get_entry_estimate`) read back.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { fromResponse } from '../../shared/repositories/postgrest';
import type { HistoryVisit } from '../models/WaitEstimator';
import type { ShownAccuracy, WaitContext, WaitContextSource, WaitEstimateSink } from './WaitEstimates';

/** Instants as the database sends them (timestamptz in JSON) → ISO strings. */
const instant = z.pipe(
  z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'an instant')),
  z.transform((s) => new Date(s).toISOString()),
);
const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const count = z.pipe(
  z.pipe(z.union([z.number(), z.string()]), z.transform(Number)),
  z.number().check(z.int(), z.gte(0)),
);

const daySessions = z.array(z.object({ start: instant, end: instant }));
export const WaitHistorySchema = z.object({
  time_zone: z.string().check(z.minLength(1)),
  day,
  sessions: daySessions,
  // hours19: the doctors whose day is not the clinic's (own hours, leave: []); older databases leave it out
  practitioner_sessions: z.optional(
    z.record(z.string(), z.array(z.object({ start: instant, end: instant }))),
  ),
  history: z.array(
    z.object({
      day,
      practitioner_id: z.nullable(z.string()),
      appointment_type_id: z.nullable(z.string()),
      kind: z.enum(['booked', 'walk_in']),
      slot_start: z.nullable(instant),
      checked_in_at: z.nullable(instant),
      called_at: z.nullable(instant),
      finished_at: z.nullable(instant),
      no_show: z.boolean(),
      absences: count,
      returned: count,
      // the visit was for any practitioner (20261212400001); older databases leave it out
      any_doctor: z.optional(z.boolean()),
    }),
  ),
});

const StoredSchema = z.object({ stored: z.number().check(z.int()), stale: z.boolean() });

const figures = z.object({
  median_abs_error: z.nullable(z.number().check(z.gte(0))),
  within_share: z.nullable(z.number().check(z.gte(0), z.lte(1))),
  count,
});
/** `get_wait_accuracy`: the shown estimates of yesterday and of the last 7 days vs. the actual calls. */
export const ShownAccuracySchema = z.object({
  yesterday: z.extend(figures, { day: z.nullable(day) }),
  week: figures,
  source: z.enum(['shown', 'replay']),
});

export const toShownAccuracy = (raw: z.output<typeof ShownAccuracySchema>): ShownAccuracy => {
  const f = (x: z.output<typeof figures>) => ({
    medianAbsError: x.median_abs_error,
    coverage: x.within_share,
    n: x.count,
  });
  return {
    yesterday: { day: raw.yesterday.day, ...f(raw.yesterday) },
    week: f(raw.week),
    source: raw.source,
  };
};

/** `get_wait_history`'s answer → the estimator's context. */
export const toWaitContext = (raw: z.output<typeof WaitHistorySchema>): WaitContext => ({
  sessions: new Map(Object.entries(raw.practitioner_sessions ?? {})),
  clinicSessions: raw.sessions,
  history: raw.history.map((h): HistoryVisit => ({
    day: h.day,
    practitionerId: h.practitioner_id,
    appointmentTypeId: h.appointment_type_id,
    kind: h.kind,
    slotAt: h.slot_start,
    arrivedAt: h.checked_in_at,
    calledAt: h.called_at,
    finishedAt: h.finished_at,
    noShow: h.no_show,
    absences: h.absences,
    returned: h.returned,
    ...(h.any_doctor === undefined ? {} : { anyDoctor: h.any_doctor }),
  })),
});

const round2 = (n: number) => Math.round(Math.min(1440, Math.max(0, n)) * 100) / 100;

export class SupabaseWaitEstimates implements WaitContextSource, WaitEstimateSink {
  constructor(
    private readonly client: SupabaseClient,
    private readonly days = 30,
  ) {}

  async load(clinicId: string, forDay: string): Promise<WaitContext | null> {
    const [res, acc] = await Promise.all([
      this.client.rpc('get_wait_history', { p_clinic_id: clinicId, p_days: this.days, p_day: forDay }),
      this.client.rpc('get_wait_accuracy', { p_clinic_id: clinicId }),
    ]);
    const parsed = fromResponse(res, WaitHistorySchema, 'get_wait_history');
    if (!parsed.ok) throw new Error(`${parsed.error.code}: ${parsed.error.message}`);
    // the shown estimates' accuracy is a figure for staff: without it the replay on past days stands in
    const shown = fromResponse(acc, ShownAccuracySchema, 'get_wait_accuracy');
    return { ...toWaitContext(parsed.value), shown: shown.ok ? toShownAccuracy(shown.value) : null };
  }

  async store(input: Parameters<WaitEstimateSink['store']>[0]): Promise<void> {
    const figures = (f: { medianAbsError: number | null; coverage: number | null; n: number }) => ({
      median_abs_error: f.medianAbsError === null ? null : round2(f.medianAbsError),
      within_share:
        f.coverage === null ? null : Math.round(Math.min(1, Math.max(0, f.coverage)) * 1000) / 1000,
      count: f.n,
    });
    const res = await this.client.rpc('store_queue_estimates', {
      p_clinic_id: input.clinicId,
      p_day: input.day,
      p_version: input.version,
      p_estimates: input.estimates.map((e) => {
        const minutes = round2(e.minutes);
        return {
          entry_id: e.entryId,
          minutes,
          low: Math.min(minutes, round2(e.low)),
          high: Math.max(minutes, round2(e.high)),
          display: e.display,
        };
      }),
      p_accuracy:
        input.accuracy === null
          ? null
          : { yesterday: figures(input.accuracy.yesterday), week: figures(input.accuracy.week) },
      // the clock the figures were computed by: one more than 30 s off the database's is refused (skew22)
      p_as_of: input.asOf,
    });
    const parsed = fromResponse(res, StoredSchema, 'store_queue_estimates');
    if (!parsed.ok) throw new Error(`${parsed.error.code}: ${parsed.error.message}`);
  }
}
