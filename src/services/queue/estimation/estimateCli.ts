/**
 * `npm run -s estimate`: reads one clinic day per JSON line on stdin, writes one JSON line per input
 * line on stdout — `{ "estimates": [{ entryId, minutes, low, high }] }`, or
 * `{ "error": { "code": "ESTIMATE.INVALID_INPUT", "message": … } }` for a line it cannot read — and
 * nothing else on stdout. No network. The learned profile of the earlier days is cached across lines
 * (keyed by a fingerprint of those days), so a process kept running answers each line in milliseconds.
 * Format: docs/wait-estimates.md.
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
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

const iso = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'an ISO-8601 instant');
const id = z.union([z.string().min(1), z.number()]).transform(String);

export const ClinicDaySchema = z.object({
  now: iso,
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone'),
  appointmentTypes: z.array(z.object({ id, minutes: z.number().positive() })),
  practitioners: z.array(
    z.object({
      id,
      sessions: z.array(z.object({ start: iso, end: iso })).default([]),
      serving: z
        .object({ entryId: id, appointmentTypeId: id.nullable().default(null), startedAt: iso })
        .nullable()
        .default(null),
    }),
  ),
  entries: z.array(
    z.object({
      id,
      status: z.enum(['scheduled', 'waiting', 'absent']),
      kind: z.enum(['booked', 'walk_in']),
      priority: z.enum(['normal', 'urgent', 'emergency']).default('normal'),
      practitionerId: id.nullable().default(null),
      appointmentTypeId: id.nullable().default(null),
      slotAt: iso.nullable().default(null),
      arrivedAt: iso.nullable().default(null),
      orderKey: z.number(),
      tiebreak: z.number().optional(),
    }),
  ),
  // history rows are many (30 days × 60): checked by `readHistory` (a per-row zod parse would dominate)
  history: z.array(z.unknown()).default([]),
  onTimeToleranceMinutes: z.number().nonnegative().optional(),
});

const HistoryRowSchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  practitionerId: id.nullable().default(null),
  appointmentTypeId: id.nullable().default(null),
  kind: z.enum(['booked', 'walk_in']),
  slotAt: iso.nullable().default(null),
  arrivedAt: iso.nullable().default(null),
  calledAt: iso.nullable().default(null),
  finishedAt: iso.nullable().default(null),
  noShow: z.boolean().default(false),
  absences: z.number().int().nonnegative().optional(),
  returned: z.number().int().nonnegative().optional(),
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
      isCountOrAbsent(r.returned)
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

/** FNV-1a over the fields that the past profile depends on. */
const fingerprint = (day: ClinicDay): string => {
  const today = localDayOf(day.timeZone, Date.parse(day.now));
  let h = 0x811c9dc5;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
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
    mix(
      `${v.day}${v.practitionerId}${v.calledAt}${v.finishedAt}${v.arrivedAt}${v.noShow ? 1 : 0}${v.absences ?? ''}/${v.returned ?? ''}`,
    );
  }
  return `${n}:${h >>> 0}`;
};

export class Estimator {
  private readonly cache = new Map<string, PastProfile>();

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
      const key = fingerprint(day);
      let past = this.cache.get(key);
      if (past === undefined) {
        past = learnPastProfile(day);
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

export const runEstimateCli = async (input: NodeJS.ReadableStream, output: NodeJS.WritableStream) => {
  const estimator = new Estimator();
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    output.write(`${estimator.answer(line)}\n`);
  }
};
