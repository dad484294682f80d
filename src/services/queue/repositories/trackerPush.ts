/**
 * trk25: a visit's tracker pushed by the database (private.push_tracker_states, at the estimates store): a Realtime
 * broadcast on the visit's own topic, rendered without a read. Loaded after the tracker's first render (its own
 * chunk: the tracker's first-render budget is full).
 */
import * as z from '../../shared/lightSchema';
import { estimate } from '../api/publicScreens';
import { watchQueueRow, type SocketFactory } from './queueRowChannel';
import type { FeedStatus } from './QueueChangeFeed';
import type { TrackedVisit } from '../api/publicScreens';

/** fix26a (review26 M1): at most what the database can hold (a room ≤ 40 characters, a display name ≤ 120). */
const capped = (max: number) =>
  z.nullable(z.refine(z.string(), (v) => v.length <= max, `at most ${max} characters`));

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
  room: capped(40),
  doctor_name: capped(120),
});

/**
 * The broadcast topic of a visit's tracker (private.tracker_topic): 'tracker:' + hex(sha256(sha256(token))) — the
 * database keeps sha256(token) only. Null without WebCrypto (an insecure context): the tracker then reads instead.
 */
export async function trackerTopic(token: string): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const once = await subtle.digest('SHA-256', new TextEncoder().encode(token));
  const twice = new Uint8Array(await subtle.digest('SHA-256', once));
  return `tracker:${Array.from(twice, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Watches the visit's topic; a malformed push is never handed on. Resolves to its stop (null: no topic). */
export async function watchVisit(o: {
  url: string;
  apiKey: string;
  token: string;
  socket?: SocketFactory;
  onPush: VisitPushHandler;
  onStatus?: (status: FeedStatus) => void;
}): Promise<(() => void) | null> {
  const topic = await trackerTopic(o.token);
  if (!topic) return null;
  return watchQueueRow({
    url: o.url,
    apiKey: o.apiKey,
    clinicId: '',
    broadcast: topic,
    ...(o.socket ? { socket: o.socket } : {}),
    ...(o.onStatus ? { onStatus: o.onStatus } : {}),
    onRow(row) {
      const parsed = PushedVisitSchema.safeParse(row);
      const p = parsed.success ? parsed.data : null;
      if (p) o.onPush(p.queue_version, (shown) => mergePushedVisit(shown, p));
    },
  });
}
export type PushedVisit = z.Infer<typeof PushedVisitSchema>;

/** A push: the version it is of, and how to make the shown visit of that version (null: it cannot — read). */
export type VisitPushHandler = (version: number, merge: (shown: TrackedVisit) => TrackedVisit | null) => void;

/**
 * A waiting visit's tracker as the estimates store pushed it (trk25): its place in line, estimate, doctor, pause and
 * intake of the new version. Null (read instead) when what is shown is not a waiting visit, or its running-late
 * state changed (the note comes with a read).
 */
export const mergePushedVisit = (shown: TrackedVisit, p: PushedVisit): TrackedVisit | null =>
  shown.status !== 'waiting' || shown.late !== p.late
    ? null
    : {
        ...shown,
        queue_version: p.queue_version,
        position: p.position,
        estimate: p.estimate,
        desk_paused: p.desk_paused,
        intake_closed: p.intake_closed,
        arrive_by: p.arrive_by,
        room: p.room,
        doctor_name: p.doctor_name,
      };
