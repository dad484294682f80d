/**
 * `npm run -s estimate`: reads one clinic day per JSON line on stdin, writes one JSON line per input
 * line on stdout — `{ "estimates": [{ entryId, minutes, low, high }] }`, or
 * `{ "error": { "code": "ESTIMATE.INVALID_INPUT", "message": … } }` for a line it cannot read — and
 * nothing else on stdout. No network. The learned profile of the earlier days is cached across lines
 * (keyed by a fingerprint of those days), so a process kept running answers each line in milliseconds.
 * Format: docs/wait-estimates.md.
 */
import { z } from '../../shared/zod';
import {
  estimateClinicDay,
  learnPastProfile,
  localDayOf,
  sessionTemplate,
  type ClinicDay,
  type HistoryVisit,
  type PastProfile,
} from '../models/WaitEstimator';

/** Zones already checked (building an Intl.DateTimeFormat per line cost as much as the estimate). */
const knownZones = new Set<string>();
const isTimeZone = (tz: string): boolean => {
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    return false;
  }
  if (knownZones.size < 64) knownZones.add(tz);
  return true;
};

const iso = z.string().check(z.refine((s) => Number.isFinite(Date.parse(s)), 'an ISO-8601 instant'));
const id = z.pipe(z.union([z.string().check(z.minLength(1)), z.number()]), z.transform(String));

export const ClinicDaySchema = z.object({
  now: iso,
  timeZone: z.string().check(z.refine(isTimeZone, 'an IANA time zone')),
  appointmentTypes: z.array(z.object({ id, minutes: z.number().check(z.gt(0)) })),
  practitioners: z.array(
    z.object({
      id,
      sessions: z._default(z.array(z.object({ start: iso, end: iso })), []),
      serving: z._default(
        z.nullable(
          z.object({ entryId: id, appointmentTypeId: z._default(z.nullable(id), null), startedAt: iso }),
        ),
        null,
      ),
    }),
  ),
  entries: z.array(
    z.object({
      id,
      status: z.enum(['scheduled', 'waiting', 'absent']),
      kind: z.enum(['booked', 'walk_in']),
      priority: z._default(z.enum(['normal', 'urgent', 'emergency']), 'normal'),
      practitionerId: z._default(z.nullable(id), null),
      appointmentTypeId: z._default(z.nullable(id), null),
      slotAt: z._default(z.nullable(iso), null),
      arrivedAt: z._default(z.nullable(iso), null),
      orderKey: z.number(),
      tiebreak: z.optional(z.number()),
    }),
  ),
  // history rows are many (30 days × 60): checked by `readHistory` (a per-row zod parse would dominate)
  history: z._default(z.array(z.unknown()), []),
  onTimeToleranceMinutes: z.optional(z.number().check(z.gte(0))),
});

const HistoryRowSchema = z.object({
  day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  practitionerId: z._default(z.nullable(id), null),
  appointmentTypeId: z._default(z.nullable(id), null),
  kind: z.enum(['booked', 'walk_in']),
  slotAt: z._default(z.nullable(iso), null),
  arrivedAt: z._default(z.nullable(iso), null),
  calledAt: z._default(z.nullable(iso), null),
  finishedAt: z._default(z.nullable(iso), null),
  noShow: z._default(z.boolean(), false),
  absences: z.optional(z.number().check(z.int(), z.gte(0))),
  returned: z.optional(z.number().check(z.int(), z.gte(0))),
  anyDoctor: z.optional(z.boolean()),
});
const isCountOrAbsent = (x: unknown) => x === undefined || (Number.isInteger(x) && (x as number) >= 0);

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Shape only (the estimator rejects an impossible date it meets: see `answer`). */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const isIsoOrNull = (x: unknown) => x === null || (typeof x === 'string' && ISO.test(x));
const isIdOrNull = (x: unknown) => x === null || (typeof x === 'string' && x.length > 0);

/**
 * History rows: a fast structural check of the common, well-formed row; anything else goes through
 * HistoryRowSchema (defaults, numeric ids, precise error paths).
 */
const readHistory = (rows: readonly unknown[]): { ok: HistoryVisit[] } | { error: string } => {
  const out: HistoryVisit[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as Record<string, unknown> | null;
    if (
      r !== null &&
      typeof r === 'object' &&
      typeof r.day === 'string' &&
      DAY.test(r.day) &&
      isIdOrNull(r.practitionerId) &&
      isIdOrNull(r.appointmentTypeId) &&
      (r.kind === 'booked' || r.kind === 'walk_in') &&
      isIsoOrNull(r.slotAt) &&
      isIsoOrNull(r.arrivedAt) &&
      isIsoOrNull(r.calledAt) &&
      isIsoOrNull(r.finishedAt) &&
      typeof r.noShow === 'boolean' &&
      isCountOrAbsent(r.absences) &&
      isCountOrAbsent(r.returned) &&
      (r.anyDoctor === undefined || typeof r.anyDoctor === 'boolean')
    ) {
      out.push(r as unknown as HistoryVisit);
      continue;
    }
    const p = HistoryRowSchema.safeParse(r);
    if (!p.success) {
      const issue = p.error.issues[0];
      return { error: `history.${i}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
    }
    out.push(p.data);
  }
  return { ok: out };
};

/**
 * FNV-1a over every field of the earlier days' rows (what the past profile is learned from) and the day's
 * template, zone, types and tolerance. Strings are mixed field by field (no per-row string is built: at
 * 30 days × 60 rows that cost as much as the estimate itself), each ended by a separator so that
 * `"ab","c"` and `"a","bc"` differ. Today's rows are left out: they change line by line and the profile
 * does not read them.
 */
export const fingerprint = (day: ClinicDay): string => {
  const today = localDayOf(day.timeZone, Date.parse(day.now));
  let h = 0x811c9dc5;
  const mix = (s: string | null | undefined) => {
    if (s === null || s === undefined) {
      h = Math.imul(h ^ 0xfffe, 0x01000193);
    } else {
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    }
    h = Math.imul(h ^ 0xffff, 0x01000193);
  };
  const mixInt = (n: number | undefined) => {
    h = Math.imul(h ^ (n === undefined ? 0xfffd : (n & 0xffff) + 0x10000), 0x01000193);
  };
  mix(
    JSON.stringify([
      day.timeZone,
      today,
      sessionTemplate(day),
      day.appointmentTypes,
      day.onTimeToleranceMinutes,
    ]),
  );
  let n = 0;
  for (const v of day.history) {
    if (v.day === today) continue;
    n++;
    mix(v.day);
    mix(v.practitionerId);
    mix(v.appointmentTypeId);
    mix(v.kind);
    mix(v.slotAt);
    mix(v.arrivedAt);
    mix(v.calledAt);
    mix(v.finishedAt);
    mixInt(v.noShow ? 1 : 0);
    mixInt(v.absences);
    mixInt(v.returned);
    mixInt(v.anyDoctor === undefined ? undefined : v.anyDoctor ? 1 : 0);
  }
  return `${n}:${h >>> 0}`;
};

const sameRow = (a: HistoryVisit, b: HistoryVisit): boolean =>
  a.day === b.day &&
  a.practitionerId === b.practitionerId &&
  a.appointmentTypeId === b.appointmentTypeId &&
  a.kind === b.kind &&
  a.slotAt === b.slotAt &&
  a.arrivedAt === b.arrivedAt &&
  a.calledAt === b.calledAt &&
  a.finishedAt === b.finishedAt &&
  a.noShow === b.noShow &&
  a.absences === b.absences &&
  a.returned === b.returned &&
  a.anyDoctor === b.anyDoctor;

export class Estimator {
  private readonly cache = new Map<string, PastProfile>();
  /** The last line's earlier-day rows, context and key: the same rows again skip the hash. */
  private last: { context: string; rows: HistoryVisit[]; key: string } | null = null;
  /** Profiles learned so far (cache misses): bench:estimate-cli and the tests read it. */
  learned = 0;

  /**
   * The cache key of `day`'s earlier days: the last line's key when its earlier-day rows and context are
   * the same, field by field (a simulator sends the same 30 days line after line; comparing is ~5× cheaper
   * than hashing them), else `fingerprint`.
   */
  private keyOf(day: ClinicDay): string {
    const today = localDayOf(day.timeZone, Date.parse(day.now));
    const context = JSON.stringify([
      day.timeZone,
      today,
      sessionTemplate(day),
      day.appointmentTypes,
      day.onTimeToleranceMinutes,
    ]);
    const rows = day.history.filter((v) => v.day !== today);
    const last = this.last;
    if (
      last !== null &&
      last.context === context &&
      last.rows.length === rows.length &&
      rows.every((v, i) => sameRow(v, last.rows[i] as HistoryVisit))
    )
      return last.key;
    const key = fingerprint(day);
    this.last = { context, rows, key };
    return key;
  }

  /** One input line → one output line (never throws). */
  answer(line: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return JSON.stringify({ error: { code: 'ESTIMATE.INVALID_INPUT', message: 'The line is not JSON.' } });
    }
    const r = ClinicDaySchema.safeParse(parsed);
    if (!r.success) {
      const issue = r.error.issues[0];
      return JSON.stringify({
        error: {
          code: 'ESTIMATE.INVALID_INPUT',
          message: `${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`,
        },
      });
    }
    const history = readHistory(r.data.history);
    if ('error' in history) {
      return JSON.stringify({ error: { code: 'ESTIMATE.INVALID_INPUT', message: history.error } });
    }
    const day: ClinicDay = { ...r.data, history: history.ok };
    try {
      const key = this.keyOf(day);
      let past = this.cache.get(key);
      if (past === undefined) {
        past = learnPastProfile(day);
        this.learned += 1;
        if (this.cache.size >= 16) this.cache.delete(this.cache.keys().next().value as string);
        this.cache.set(key, past);
      }
      return JSON.stringify({ estimates: estimateClinicDay(day, past) });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      return JSON.stringify({
        error: { code: 'ESTIMATE.INVALID_INPUT', message: 'An instant in the input is not a valid date.' },
      });
    }
  }
}

/**
 * Reads `input` line by line and answers each line as it is complete. Lines here are large (30 days of
 * history ≈ 450 kB), so chunks are kept in a list and joined once per line, and each line is answered in
 * the same tick (readline's async iterator queued every line read ahead: with a fast writer the whole
 * input sat in memory and the collector spent more than the estimator). Reading pauses while the output
 * is full.
 */
export const runEstimateCli = (input: NodeJS.ReadableStream, output: NodeJS.WritableStream) =>
  new Promise<void>((resolve, reject) => {
    const estimator = new Estimator();
    let parts: string[] = [];
    const answerLine = (raw: string): boolean => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() === '') return true;
      return output.write(`${estimator.answer(line)}\n`);
    };
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      let from = 0;
      let room = true;
      for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', from)) {
        parts.push(chunk.slice(from, i));
        const line = parts.length === 1 ? (parts[0] as string) : parts.join('');
        parts = [];
        from = i + 1;
        try {
          room = answerLine(line) && room;
        } catch (e) {
          reject(e);
          return;
        }
      }
      if (from < chunk.length) parts.push(chunk.slice(from));
      if (!room) {
        input.pause();
        output.once('drain', () => input.resume());
      }
    });
    input.on('end', () => {
      try {
        if (parts.length > 0) answerLine(parts.join(''));
      } catch (e) {
        reject(e);
        return;
      }
      resolve();
    });
    input.on('error', reject);
  });
