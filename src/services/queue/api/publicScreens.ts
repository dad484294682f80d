/**
 * What the two public screens read — the patient's tracker (`get_tracker_view`: `get_visit_live`'s status plus
 * stored estimate, by the private link, and the clinic clock) and
 * the waiting-room board (`get_waiting_board`) — as schemas. Built with the light validator
 * (shared/lightSchema.ts, zod's semantics for the few validators used, ~1 KiB): these screens are the light
 * ones a patient opens on a cheap phone, and even zod/mini weighed 6.8 KiB gzipped of the tracker's first
 * render (issue 14). Keep this file free of other imports. publicScreens.shapes.test.ts pins what is refused.
 */
import * as z from '../../shared/lightSchema';

const lang = z.enum(['ar', 'fr', 'en']);
/** PostgREST renders timestamptz as ISO text; anything unparseable is a bug in the backend, not a time. */
const instant = z.refine(z.string(), (v) => !Number.isNaN(Date.parse(v)), 'Invalid timestamp');

/**
 * The clinic's clock as the server computes it (`get_clinic_clock`: Postgres's tz database): zone, today by
 * the server's clock, and the UTC offsets in force (each from its instant, ascending). The screens format
 * clinic times with these offsets, never with the browser's own rules for the zone (issue 13).
 */
export const ScreenClockSchema = z.object({
  time_zone: z.string(),
  now: instant,
  today: z.string(),
  offsets: z.array(z.object({ from: instant, offset_minutes: z.number() })),
});
export type ScreenClock = z.Infer<typeof ScreenClockSchema>;

/**
 * Keep in step with `QueueStatus` of the queue module's domain (QueueEntry.ts): repeated here on purpose so
 * the light screens do not load the domain; `publicScreens.test.ts` checks the two lists agree.
 */
export const VISIT_STATUSES = [
  'scheduled',
  'waiting',
  'called',
  'in_service',
  'completed',
  'cancelled',
  'no_show',
  'absent',
] as const;
export type VisitStatusName = (typeof VISIT_STATUSES)[number];

export function RunningLateNoteSchema() {
  return z.object({
    minutes: z.nullable(z.number()),
    reported_at: z.string(),
    until: z.nullable(z.string()),
  });
}

/** the stored estimate as a tracker shows it (also pushed: trackerPush.ts) */
export const estimate = z.nullable(
  z.object({
    display: z.union([
      z.object({ kind: z.literal('minutes'), minutes: z.number(), low: z.number(), high: z.number() }),
      z.object({ kind: z.literal('soon') }),
      z.object({ kind: z.literal('unknown') }),
    ]),
  }),
);

export const TrackedVisitSchema = z.object({
  entry_id: z.string(),
  clinic: z.object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    default_language: lang,
    time_zone: z.string(),
  }),
  day: z.string(),
  ticket: z.string(),
  status: z.enum(VISIT_STATUSES),
  slot_start: z.nullable(instant),
  room: z.nullable(z.string()),
  grace_ends_at: z.nullable(instant),
  late: z.boolean(),
  position: z.nullable(z.int()),
  /** the queue's version when this was read: a realtime change with the same version changes nothing */
  queue_version: z.optional(z.nullable(z.number())),
  /**
   * `get_visit_live`: the estimate the clinic's dashboard computed and stored for this visit (the one
   * estimator, issue 16) — only while waiting; the display form is what the patient reads.
   */
  estimate: z.optional(estimate),
  /** "usually accurate to ± N min at this clinic" (null until the clinic has enough days). */
  accuracy_minutes: z.optional(z.nullable(z.number())),
  /** `get_tracker_view`: the clinic clock of the visit's day (today, offsets), in the same request */
  clock: ScreenClockSchema,
  /** Issue 17: the visit's doctor has paused calling; the day takes no new patients. */
  desk_paused: z.optional(z.boolean()),
  intake_closed: z.optional(z.boolean()),
  /** Issue 17: a remote joiner with the clinic's arrival window is asked to be there by then (waiting only). */
  arrive_by: z.optional(z.nullable(z.string())),
  /** Issue 17 (feat21a): the display name of the doctor the visit is with (null: any doctor) — never an id. */
  doctor_name: z.optional(z.nullable(z.string())),
  /**
   * Issue 15.16: the "running late" note in force (`get_visit_running_late`, read with the visit): the amount
   * the patient gave (null: none) and until when; null once called, past the amount, or at the day's end.
   */
  late_note: z.optional(z.nullable(RunningLateNoteSchema())),
  /** sock26 (mreview25 F8): the Realtime topic the estimates store pushes this visit's tracker on (trk25) */
  push_topic: z.optional(z.nullable(z.string())),
});
export type TrackedVisit = z.Infer<typeof TrackedVisitSchema>;

const ticketRow = { ticket: z.string(), name: z.nullable(z.string()) };
/**
 * `get_visit_running_late`: { entry_id, note: { minutes, reported_at, until } | null }. No screen reads it since trk22
 * (the note comes with get_tracker_view): pure, so the light screens' bundle drops it (rt27: −bytes for F4/F5).
 */
export const VisitRunningLateSchema = /* @__PURE__ */ z.object({
  entry_id: z.string(),
  note: z.nullable(RunningLateNoteSchema()),
});
export const WaitingBoardSchema = z.object({
  clinic: z.object({ name: z.string(), default_language: lang, time_zone: z.string() }),
  day: z.string(),
  version: z.number(),
  now_serving: z.array(z.object({ ...ticketRow, room: z.nullable(z.string()) })),
  /** `room`: the room of the doctor the ticket waits for (null: any doctor) — it follows a transfer. */
  next: z.array(z.object({ ...ticketRow, room: z.optional(z.nullable(z.string())) })),
  /**
   * Whether today's queue is closed (End day or closing time) — `get_queue_day_status`, read with the
   * board: a closed day says so instead of "Please take a seat" (issue 15.14).
   */
  day_status: z.optional(z.enum(['none', 'open', 'closed'])),
  /** the clinic's clock (`get_clinic_clock`), read with the board: its clock face uses these offsets */
  clock: z.optional(ScreenClockSchema),
  /** Issue 17: rooms (or names) of the doctors whose calling is paused; the day takes no new patients. */
  paused_rooms: z.optional(z.array(z.string())),
  intake_closed: z.optional(z.boolean()),
  /**
   * board18: whether the board key this screen sent is a live pairing of this clinic's board (names need one),
   * and whether the clinic shows names that this screen, not paired, does not get.
   */
  paired: z.optional(z.boolean()),
  names_hidden: z.optional(z.boolean()),
  /** board20: the rooms the admin set for this paired screen (null: every room; only to the screen's own key). */
  rooms: z.optional(z.nullable(z.array(z.string()))),
});
export const QueueDayStatusSchema = z.object({
  day: z.string(),
  status: z.enum(['none', 'open', 'closed']),
  closed_at: z.nullable(instant),
});
/**
 * The board as the realtime event carries it (`public.waiting_boards`, one row per queue, refreshed at commit of
 * every queue change): the same lists get_waiting_board answers, so the screen renders it without a refetch.
 */
export const PushedBoardSchema = z.object({
  queue_id: z.string(),
  clinic_id: z.string(),
  day: z.string(),
  version: z.number(),
  day_status: z.enum(['open', 'closed']),
  now_serving: z.array(z.object({ ...ticketRow, room: z.nullable(z.string()) })),
  next: z.array(z.object({ ...ticketRow, room: z.optional(z.nullable(z.string())) })),
  paused_rooms: z.optional(z.array(z.string())),
  intake_closed: z.optional(z.boolean()),
});
export type PushedBoard = z.Infer<typeof PushedBoardSchema>;
export type WaitingBoard = z.Infer<typeof WaitingBoardSchema>;
export type QueueDayStatus = z.Infer<typeof QueueDayStatusSchema>;

/** The little the board needs of the clinic behind its address (`get_public_clinic`, by slug or id). */
export const BoardClinicSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  time_zone: z.string(),
  default_language: lang,
});
export type BoardClinic = z.Infer<typeof BoardClinicSchema>;
