/**
 * A clinic-day simulator for scoring wait estimates (issue 16). It generates days from ITS OWN parameters
 * (below, with the reason for each); the estimators only ever see what the `estimate` CLI input gives:
 * snapshots of the queue every 5 minutes and the completed visits of earlier days and of today so far.
 *
 * Phenomena: booked patients with early/late arrivals and no-shows; walk-ins with morning and afternoon
 * peaks; practitioners of unknown speed (regulars with a personal pace, substitutes with new ids);
 * late starts per practitioner and session; overtime (patients present at a session's end are still
 * seen, up to a personal limit before the break; at the last session everyone present is seen);
 * patients absent when called who return within the grace period (placed after the next patient) or
 * not; urgent/emergency walk-ins; a turnover gap between patients.
 *
 * Deterministic per seed (mulberry32). Time advances in 15-second steps.
 */
import { DateTime } from 'luxon';
import type { ClinicDay, DayEntry, DayPractitioner, HistoryVisit } from '../models/WaitEstimator';

export const SIM_TIME_ZONE = 'Africa/Casablanca';

/** Parameters and why (see docs/wait-estimates.md "The simulator"). */
export const SIM_PARAMS = {
  /** Configured minutes vs. what visits really take on average: clinics' settings are rounded guesses. */
  types: [
    { id: 'consult', minutes: 15, trueMean: 17, share: 0.6 },
    { id: 'control', minutes: 10, trueMean: 8.5, share: 0.28 },
    { id: 'procedure', minutes: 30, trueMean: 36, share: 0.12 },
  ],
  /** Spread of one visit (log-normal σ): a GP visit's CV is typically 35–50 %. */
  visitSigma: 0.42,
  /** Occasional very long visit (complication, paperwork): the outliers robust statistics must survive. */
  outlierShare: 0.03,
  outlierFactor: 3,
  /** Regular practitioners: personal pace (log-normal σ 0.2 → most within ±20–40 %). */
  regulars: 3,
  paceSigma: 0.2,
  attendProbability: 0.85,
  substituteProbability: 0.25,
  /** Usual late start per practitioner and session (0–20 min), plus daily noise (σ 5 min). */
  startDelayMax: 20,
  startDelayNoise: 5,
  /** Overtime before the break: a practitioner sees the patients present at 13:00 up to this limit. */
  overtimeMin: 15,
  overtimeMax: 60,
  /** Split day, the common Moroccan practice pattern. */
  sessions: [
    { start: '09:00', end: '13:00' },
    { start: '15:00', end: '19:00' },
  ],
  /** Bookings: 20-minute slots, ~55 % filled; 12 % no-shows; arrival − slot ~ N(−4, 9) min. */
  slotMinutes: 20,
  slotFill: 0.55,
  noShow: 0.12,
  latenessMean: -4,
  latenessSd: 9,
  /** Walk-ins per hour by local time (peaks at opening of each session). */
  walkInRates: [
    { from: 8.5, to: 10.5, perHour: 5 },
    { from: 10.5, to: 12.5, perHour: 2 },
    { from: 14.75, to: 16, perHour: 4 },
    { from: 16, to: 18, perHour: 1.5 },
  ],
  walkInAnyShare: 0.65,
  urgentShare: 0.04,
  emergencyShare: 0.005,
  /** Called but not in the room; returns within grace with this probability (after U(1, 9) min). */
  absentShare: 0.06,
  returnShare: 0.6,
  graceMinutes: 10,
  /** Minutes between a finish and the next call (exponential mean). */
  gapMean: 1,
  onTimeTolerance: 10,
} as const;

export const mulberry32 = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type Rng = () => number;
const normal = (rng: Rng) => {
  const u = Math.max(1e-12, rng());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
};
const pick = <T extends { share: number }>(rng: Rng, xs: readonly T[]): T => {
  let r = rng() * xs.reduce((a, x) => a + x.share, 0);
  for (const x of xs) if ((r -= x.share) <= 0) return x;
  return xs[xs.length - 1] as T;
};

const MIN = 60_000;
const STEP = 15_000;

interface Doctor {
  id: string;
  pace: number;
  delays: number[];
  overtime: number;
}

interface SimVisit {
  id: string;
  kind: 'booked' | 'walk_in';
  priority: 'normal' | 'urgent' | 'emergency';
  practitionerId: string | null;
  type: (typeof SIM_PARAMS.types)[number];
  slotAt: number | null;
  arrivesAt: number | null;
  /** Standard-normal draw of this visit's length (oracle: length = f(z, practitioner)). */
  z: number;
  outlier: boolean;
  absentDelay: number | null;
  // live state
  status: 'scheduled' | 'waiting' | 'called' | 'absent' | 'done' | 'no_show';
  orderKey: number;
  arrivedAt: number | null;
  calls: number[];
  servedBy: string | null;
  calledAt: number | null;
  finishedAt: number | null;
  returnAt: number | null;
  graceEnd: number | null;
}

/** One judged moment: the queue as the CLI would receive it, and when each waiting patient was called. */
export interface Snapshot {
  readonly input: ClinicDay;
  /** Waiting entry id → epoch ms of its (next) call. */
  readonly actualCall: ReadonlyMap<string, number>;
}

export interface SimulatedDay {
  readonly day: string;
  readonly visits: readonly HistoryVisit[];
  readonly snapshots: readonly Snapshot[];
  /** Oracle: true minutes of a visit if served by a practitioner, and true end of visits in progress. */
  readonly trueMinutes: (entryId: string, practitionerId: string) => number | undefined;
  readonly trueEnd: (snapshotIndex: number, practitionerId: string) => number | undefined;
  /**
   * Decomposition oracle: the EXPECTED minutes of a visit's type with that practitioner (true type mean ×
   * true pace, outliers included on average) — what a perfectly learned model could know, without the
   * visit's own draw.
   */
  readonly meanMinutes: (entryId: string, practitionerId: string) => number | undefined;
}

export class ClinicSimulator {
  private readonly rng: Rng;
  private readonly regulars: Doctor[];
  private history: { day: string; visits: HistoryVisit[] }[] = [];
  private dayNo = 0;

  constructor(
    readonly seed: number,
    private readonly params = SIM_PARAMS,
  ) {
    this.rng = mulberry32(seed);
    this.regulars = Array.from({ length: params.regulars }, (_, i) => this.newDoctor(`s${seed}-dr${i + 1}`));
  }

  private newDoctor(id: string): Doctor {
    const p = this.params;
    return {
      id,
      pace: Math.exp(p.paceSigma * normal(this.rng)),
      delays: p.sessions.map(() => this.rng() * p.startDelayMax),
      overtime: p.overtimeMin + this.rng() * (p.overtimeMax - p.overtimeMin),
    };
  }

  trueLength(v: Pick<SimVisit, 'type' | 'z' | 'outlier'>, pace: number): number {
    const s = this.params.visitSigma;
    return (
      v.type.trueMean * pace * Math.exp(s * v.z - (s * s) / 2) * (v.outlier ? this.params.outlierFactor : 1)
    );
  }

  /** Simulates the next day (days start on 2026-09-01, weekends included: the clinic opens daily). */
  nextDay(options: { snapshots: boolean }): SimulatedDay {
    const p = this.params;
    const rng = this.rng;
    const day = DateTime.fromISO('2026-09-01', { zone: SIM_TIME_ZONE })
      .plus({ days: this.dayNo++ })
      .toISODate() as string;
    const midnight = DateTime.fromISO(day, { zone: SIM_TIME_ZONE });
    const atCache = new Map<string | number, number>();
    const at = (hhmm: string | number) => {
      let v = atCache.get(hhmm);
      if (v === undefined) {
        const minutes =
          typeof hhmm === 'number' ? hhmm * 60 : Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
        atCache.set(hhmm, (v = midnight.plus({ minutes }).toMillis()));
      }
      return v;
    };
    const doctors = this.regulars.filter(() => rng() < p.attendProbability);
    if (doctors.length === 0 || rng() < p.substituteProbability) doctors.push(this.newDoctor(`${day}-sub`));
    const sessions = p.sessions.map((s) => ({ start: at(s.start), end: at(s.end) }));
    const daily = new Map(
      doctors.map((d) => [d.id, d.delays.map((m) => Math.max(-5, m + p.startDelayNoise * normal(rng)))]),
    );

    const visits: SimVisit[] = [];
    let seq = 0;
    const mk = (v: Partial<SimVisit> & Pick<SimVisit, 'kind' | 'practitionerId'>): SimVisit => ({
      id: `${day}-v${++seq}`,
      priority: 'normal',
      type: pick(rng, p.types),
      slotAt: null,
      arrivesAt: null,
      z: normal(rng),
      outlier: rng() < p.outlierShare,
      absentDelay:
        rng() < p.absentShare ? (rng() < p.returnShare ? 1 + rng() * 8 : Number.POSITIVE_INFINITY) : null,
      status: 'scheduled',
      orderKey: 0,
      arrivedAt: null,
      calls: [],
      servedBy: null,
      calledAt: null,
      finishedAt: null,
      returnAt: null,
      graceEnd: null,
      ...v,
    });
    for (const d of doctors) {
      for (const s of sessions) {
        for (let t = s.start; t < s.end - 30 * MIN; t += p.slotMinutes * MIN) {
          if (rng() >= p.slotFill) continue;
          const noShow = rng() < p.noShow;
          const late = Math.max(-30, Math.min(60, p.latenessMean + p.latenessSd * normal(rng)));
          visits.push(
            mk({
              kind: 'booked',
              practitionerId: d.id,
              slotAt: t,
              arrivesAt: noShow ? null : t + late * MIN,
            }),
          );
        }
      }
    }
    for (const r of p.walkInRates) {
      let t = at(r.from);
      const end = at(r.to);
      for (;;) {
        t += (-Math.log(Math.max(1e-12, rng())) / r.perHour) * 60 * MIN;
        if (t >= end) break;
        const u = rng();
        const priority =
          u < p.emergencyShare ? 'emergency' : u < p.emergencyShare + p.urgentShare ? 'urgent' : 'normal';
        const pid =
          rng() < p.walkInAnyShare ? null : (doctors[Math.floor(rng() * doctors.length)] as Doctor).id;
        visits.push(mk({ kind: 'walk_in', practitionerId: pid, arrivesAt: t, priority }));
      }
    }
    for (const v of visits) v.orderKey = v.slotAt ?? (v.arrivesAt as number);

    const rank = { emergency: 0, urgent: 1, normal: 2 } as const;
    const ordered = () =>
      visits
        .filter((v) => v.status === 'waiting' || v.status === 'scheduled')
        .sort(
          (a, b) => rank[a.priority] - rank[b.priority] || a.orderKey - b.orderKey || (a.id < b.id ? -1 : 1),
        );

    const state = doctors.map((d) => ({
      d,
      freeAt: 0,
      current: null as SimVisit | null,
      started: sessions.map(() => false),
    }));
    const snapshots: {
      now: number;
      practitioners: DayPractitioner[];
      entries: DayEntry[];
      waiting: string[];
      ends: Map<string, number>;
    }[] = [];
    const dayStart = at('08:30');
    const dayEnd = at('23:30');
    for (let t = dayStart; t < dayEnd; t += STEP) {
      // arrivals, returns, grace expiry
      for (const v of visits) {
        if (v.status === 'scheduled' && v.arrivesAt !== null && v.arrivesAt <= t) {
          v.status = 'waiting';
          v.arrivedAt = v.arrivesAt;
          if (v.kind === 'walk_in' || (v.slotAt !== null && v.arrivesAt > v.slotAt + p.onTimeTolerance * MIN))
            v.orderKey = v.arrivesAt;
        }
        if (v.status === 'absent' && v.returnAt !== null && v.returnAt <= t) {
          v.status = 'waiting';
          // after the next present patient of the same pool
          const line = ordered().filter(
            (o) => o.status === 'waiting' && o !== v && o.practitionerId === v.practitionerId,
          );
          const a = line[0];
          const b = line[1];
          v.orderKey = a === undefined ? t : b === undefined ? a.orderKey + 1 : (a.orderKey + b.orderKey) / 2;
          v.priority = a === undefined ? v.priority : a.priority;
        }
        if (
          v.status === 'absent' &&
          v.graceEnd !== null &&
          v.graceEnd <= t &&
          (v.returnAt === null || v.returnAt > t)
        ) {
          v.status = 'no_show';
        }
      }
      // finishes
      for (const s of state) {
        if (s.current !== null && (s.current.finishedAt as number) <= t) s.current = null;
      }
      // snapshot every 5 minutes (the queue as it is at t, before this step's calls)
      if (options.snapshots && (t - dayStart) % (5 * MIN) === 0 && t <= at('20:30')) {
        const waiting = visits.filter((v) => v.status === 'waiting');
        if (waiting.length > 0) {
          snapshots.push({
            now: t,
            practitioners: state.map((s) => ({
              id: s.d.id,
              sessions: sessions.map((x) => ({
                start: new Date(x.start).toISOString(),
                end: new Date(x.end).toISOString(),
              })),
              serving:
                s.current === null
                  ? null
                  : {
                      entryId: s.current.id,
                      appointmentTypeId: s.current.type.id,
                      startedAt: new Date(s.current.calledAt as number).toISOString(),
                    },
            })),
            // the queue as QueueMed has it: a walk-in enters it when they come (desk, kiosk or remote join:
            // `waiting`), so one who has not come yet is not in it (session 19: every walk-in of the day was
            // passed as `scheduled` from the morning on — the rest of the day's inflow, known in advance,
            // counted ahead as if present now; the backtest's replays of past days never had it)
            entries: visits
              .filter(
                (v) =>
                  v.status === 'waiting' ||
                  (v.status === 'scheduled' && v.kind === 'booked') ||
                  v.status === 'absent',
              )
              .map((v) => ({
                id: v.id,
                status: v.status as DayEntry['status'],
                kind: v.kind,
                priority: v.priority,
                practitionerId: v.practitionerId,
                appointmentTypeId: v.type.id,
                slotAt: v.slotAt === null ? null : new Date(v.slotAt).toISOString(),
                arrivedAt: v.arrivedAt === null ? null : new Date(v.arrivedAt).toISOString(),
                orderKey: v.orderKey,
              })),
            waiting: waiting.map((v) => v.id),
            ends: new Map(
              state
                .filter((s) => s.current !== null)
                .map((s) => [s.d.id, (s.current as SimVisit).finishedAt as number]),
            ),
          });
        }
      }
      // calls
      for (const s of state) {
        if (s.current !== null || s.freeAt > t) continue;
        // which window is this practitioner in?
        const delays = daily.get(s.d.id) as number[];
        let cutoff = Number.POSITIVE_INFINITY;
        let may = false;
        for (let i = 0; i < sessions.length; i++) {
          const ss = sessions[i] as { start: number; end: number };
          const begin = ss.start + (delays[i] as number) * MIN;
          const last = i === sessions.length - 1;
          if (t >= begin && t < ss.end) {
            may = true;
            break;
          }
          if (t >= ss.end && (last || t < ss.end + s.d.overtime * MIN) && s.started[i]) {
            may = true;
            cutoff = ss.end;
            if (!last) break;
          }
        }
        if (!may) continue;
        const next = ordered().find(
          (v) =>
            v.status === 'waiting' &&
            (v.practitionerId === null || v.practitionerId === s.d.id) &&
            (v.arrivedAt as number) <= cutoff,
        );
        if (next === undefined) continue;
        const idx = sessions.findIndex((x) => t >= x.start - 60 * MIN && t < x.end + 120 * MIN);
        if (idx >= 0) s.started[idx] = true;
        next.calls.push(t);
        if (next.absentDelay !== null && next.calls.length === 1) {
          next.status = 'absent';
          next.graceEnd = t + p.graceMinutes * MIN;
          next.returnAt = next.absentDelay <= p.graceMinutes ? t + next.absentDelay * MIN : null;
          s.freeAt = t + MIN; // marking absent takes a minute
          continue;
        }
        next.status = 'called';
        next.servedBy = s.d.id;
        next.calledAt = t;
        next.finishedAt = t + this.trueLength(next, s.d.pace) * MIN;
        s.current = next;
        s.freeAt = (next.finishedAt as number) + -Math.log(Math.max(1e-12, rng())) * p.gapMean * MIN;
      }
      if (
        t > at('19:00') &&
        visits.every((v) => v.status !== 'waiting' && v.status !== 'absent') &&
        state.every((s) => s.current === null)
      )
        break;
    }
    for (const v of visits) if (v.status === 'called') v.status = 'done';

    const recorded = visits.filter((v) => v.kind === 'booked' || v.arrivedAt !== null);
    const hvOf = new Map<SimVisit, HistoryVisit>(
      recorded.map((v) => [
        v,
        {
          day,
          practitionerId: v.servedBy ?? v.practitionerId,
          appointmentTypeId: v.type.id,
          kind: v.kind,
          slotAt: v.slotAt === null ? null : new Date(v.slotAt).toISOString(),
          arrivedAt: v.arrivedAt === null ? null : new Date(v.arrivedAt).toISOString(),
          calledAt: v.calledAt === null ? null : new Date(v.calledAt).toISOString(),
          finishedAt: v.finishedAt === null ? null : new Date(v.finishedAt).toISOString(),
          noShow: v.calledAt === null,
          // the event log's absence / return counts (get_wait_history)
          absences: v.absentDelay !== null && v.calls.length > 0 ? 1 : 0,
          returned: v.absentDelay !== null && v.calls.length > 0 && v.calledAt !== null ? 1 : 0,
          // what the clinic's records say (get_wait_history's any_doctor): the visit had no doctor of its own
          anyDoctor: v.practitionerId === null,
        },
      ]),
    );
    const hv = [...hvOf.values()];
    const past = this.history.slice(-30).flatMap((h) => h.visits);
    const byId = new Map(visits.map((v) => [v.id, v]));
    const pace = new Map(doctors.map((d) => [d.id, d.pace]));
    const finishedVisits = recorded
      .filter((v) => v.finishedAt !== null)
      .map((v) => ({ at: v.finishedAt as number, h: hvOf.get(v) as HistoryVisit }));
    const snaps: Snapshot[] = snapshots.map((s) => {
      const actualCall = new Map<string, number>();
      for (const id of s.waiting) {
        const v = byId.get(id) as SimVisit;
        const c = v.calls.find((x) => x >= s.now);
        if (c !== undefined) actualCall.set(id, c);
      }
      return {
        input: {
          now: new Date(s.now).toISOString(),
          timeZone: SIM_TIME_ZONE,
          appointmentTypes: p.types.map((t) => ({ id: t.id, minutes: t.minutes })),
          practitioners: s.practitioners,
          entries: s.entries,
          history: [...past, ...finishedVisits.filter((f) => f.at <= s.now).map((f) => f.h)],
          onTimeToleranceMinutes: p.onTimeTolerance,
        },
        actualCall,
      };
    });
    this.history.push({ day, visits: hv });
    return {
      day,
      visits: hv,
      snapshots: snaps,
      trueMinutes: (entryId, practitionerId) => {
        const v = byId.get(entryId);
        const pc = pace.get(practitionerId);
        return v === undefined || pc === undefined ? undefined : this.trueLength(v, pc);
      },
      trueEnd: (i, practitionerId) => snapshots[i]?.ends.get(practitionerId),
      meanMinutes: (entryId, practitionerId) => {
        const v = byId.get(entryId);
        const pc = pace.get(practitionerId);
        return v === undefined || pc === undefined
          ? undefined
          : v.type.trueMean * pc * (1 + p.outlierShare * (p.outlierFactor - 1));
      },
    };
  }
}
