/**
 * trk25: a visit's tracker pushed by the database (private.push_tracker_states, at the estimates store): a Realtime
 * broadcast on the visit's own topic, rendered without a read. Loaded after the tracker's first render (its own
 * chunk: the tracker's first-render budget is full). The topic comes with the tracker's read (get_tracker_view's
 * push_topic, sock26): an HMAC of the link's stored hash under a key only the database holds — the stored hash alone
 * (a backup, the service role) does not name it. Joined on the socket of the tracker's queue feed (sock26).
 */
import * as z from '../../shared/lightSchema';
import { estimate, RunningLateNoteSchema } from '../api/publicScreens';
import type { WatchChannel } from './queueRowChannel';
import type { FeedStatus } from './QueueChangeFeed';
import type { TrackedVisit } from '../api/publicScreens';

/**
 * fix26a (review26 M1): at most what the database can hold (a room ≤ 40 characters, a display name ≤ 120). rt27
 * (mreview26 F6): counted as the database counts (char_length: code points, not UTF-16 units — an emoji or an astral
 * CJK character is one), and the name after btrim (spaces only) as its check does: a name it legally holds is never
 * refused (every push of its visits was).
 */
const capped = (max: number, trim?: boolean) =>
  z.nullable(
    z.refine(
      z.string(),
      (v) => [...(trim ? v.replace(/^ +| +$/g, '') : v)].length <= max,
      `at most ${max} characters`,
    ),
  );

/**
 * What the estimates store pushes to one waiting visit's tracker when what it shows changed. fix26a: the topic is a
 * private channel only the database sends on; still, a push no database could have written (a room or name longer
 * than a column holds, a place below 1) is refused — a push never shows more than a read would.
 */
export const PushedVisitSchema = z.object({
  queue_version: z.refine(z.int(), (v) => v >= 0, 'a version'),
  status: z.literal('waiting'),
  position: z.refine(z.int(), (v) => v >= 1, 'a place in line'),
  estimate,
  desk_paused: z.boolean(),
  intake_closed: z.boolean(),
  arrive_by: z.nullable(z.string()),
  late: z.boolean(),
  /** sock26 (mreview25 F10): the running-late note as get_tracker_view gives it (a new amount pushes) */
  late_note: z.nullable(RunningLateNoteSchema()),
  room: capped(40),
  doctor_name: capped(120, true),
});

/** Watches the visit's topic on the screen's socket; a malformed push is never handed on. */
export const watchVisit = (
  watch: WatchChannel,
  topic: string,
  onPush: VisitPushHandler,
  onStatus?: (status: FeedStatus) => void,
): (() => void) =>
  watch({
    clinicId: '',
    broadcast: topic,
    onStatus,
    onRow(row) {
      const parsed = PushedVisitSchema.safeParse(row);
      const p = parsed.success ? parsed.data : null;
      if (p) onPush(p.queue_version, (shown) => mergePushedVisit(shown, p));
    },
  });
export type PushedVisit = z.Infer<typeof PushedVisitSchema>;

/** A push: the version it is of, and how to make the shown visit of that version (null: it cannot — read). */
export type VisitPushHandler = (version: number, merge: (shown: TrackedVisit) => TrackedVisit | null) => void;

/**
 * A waiting visit's tracker as the estimates store pushed it (trk25): its place in line, estimate, doctor, pause,
 * intake and running-late note of the new version (the note pushed since sock26: a new amount was not, mreview25
 * F10). Null (read instead) when what is shown is not a waiting visit.
 */
export const mergePushedVisit = (shown: TrackedVisit, p: PushedVisit): TrackedVisit | null =>
  shown.status !== 'waiting'
    ? null
    : {
        ...shown,
        queue_version: p.queue_version,
        position: p.position,
        estimate: p.estimate,
        desk_paused: p.desk_paused,
        intake_closed: p.intake_closed,
        arrive_by: p.arrive_by,
        late: p.late,
        late_note: p.late_note,
        room: p.room,
        doctor_name: p.doctor_name,
      };
