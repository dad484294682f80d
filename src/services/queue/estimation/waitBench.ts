/**
 * `npm run bench:wait`: scores wait estimators on simulated clinic days (ClinicDaySimulator), at every
 * waiting patient every 5 minutes, against when they were actually called.
 *
 * - naive:    durations (configured) of the waiting entries ahead that share the patient's doctors ÷ doctors;
 * - tracker:  the old tracker formula (position in own pool × 12 min, one doctor; range ×0.8–×1.4);
 * - product:  `estimateClinicDay` (models/WaitEstimator) fed exactly the CLI's input;
 * - oracle:   the same estimator told every visit's TRUE length (and the true end of visits in progress).
 *
 * WAIT_BENCH_DAYS (40), WAIT_BENCH_SEEDS (3), WAIT_BENCH_WARMUP (30) change the run.
 */
import { ClinicSimulator } from './ClinicDaySimulator';
import {
  estimateClinicDay,
  learnPastProfile,
  type ClinicDay,
  type DayEntry,
  type EntryWaitEstimate,
} from '../models/WaitEstimator';

interface Score {
  n: number;
  abs: number;
  bias: number;
  inside: number;
  withRange: number;
}
const blank = (): Score => ({ n: 0, abs: 0, bias: 0, inside: 0, withRange: 0 });
const add = (s: Score, est: number, actual: number, range?: { low: number; high: number }) => {
  s.n += 1;
  s.abs += Math.abs(actual - est);
  s.bias += actual - est;
  if (range !== undefined) {
    s.withRange += 1;
    if (actual >= range.low && actual <= range.high) s.inside += 1;
  }
};

const RANK = { emergency: 0, urgent: 1, normal: 2 } as const;
const inOrder = (xs: readonly DayEntry[]) =>
  [...xs].sort(
    (a, b) => RANK[a.priority] - RANK[b.priority] || a.orderKey - b.orderKey || (a.id < b.id ? -1 : 1),
  );

/** "Durations of those ahead ÷ doctors". */
export const naiveEstimate = (day: ClinicDay, target: DayEntry): number => {
  const minutes = new Map(day.appointmentTypes.map((t) => [t.id, t.minutes]));
  const waiting = inOrder(day.entries.filter((e) => e.status === 'waiting'));
  const ahead = waiting.slice(0, waiting.indexOf(target));
  const shares = (e: DayEntry) =>
    target.practitionerId === null || e.practitionerId === null || e.practitionerId === target.practitionerId;
  const sum = ahead.filter(shares).reduce((a, e) => a + (minutes.get(e.appointmentTypeId ?? '') ?? 15), 0);
  const doctors = target.practitionerId === null ? Math.max(1, day.practitioners.length) : 1;
  return sum / doctors;
};

/** The tracker's former `waitFromPosition` (position in own pool × 12, one doctor). */
export const trackerEstimate = (day: ClinicDay, target: DayEntry) => {
  const pool = inOrder(
    day.entries.filter((e) => e.status === 'waiting' && e.practitionerId === target.practitionerId),
  );
  const position = pool.indexOf(target) + 1;
  const m = (Math.max(1, position) - 1) * 12 + 6;
  return { minutes: m, low: m * 0.8, high: m * 1.4 };
};

export interface BenchResult {
  readonly days: number;
  readonly seeds: number;
  readonly judged: number;
  readonly rows: readonly { name: string; mae: number; bias: number; coverage: number | null }[];
  readonly seconds: number;
}

export const runWaitBench = (opts: {
  days: number;
  seeds: number;
  warmup: number;
  firstSeed?: number;
}): BenchResult => {
  const started = performance.now();
  const scores = { naive: blank(), tracker: blank(), product: blank(), oracle: blank() };
  for (let s = 0; s < opts.seeds; s++) {
    const sim = new ClinicSimulator((opts.firstSeed ?? 1) + s);
    for (let d = 0; d < opts.warmup; d++) sim.nextDay({ snapshots: false });
    for (let d = 0; d < opts.days; d++) {
      const day = sim.nextDay({ snapshots: true });
      const first = day.snapshots[0];
      if (first === undefined) continue;
      const past = learnPastProfile(first.input);
      day.snapshots.forEach((snap, i) => {
        const product = new Map<string, EntryWaitEstimate>(
          estimateClinicDay(snap.input, past).map((e) => [e.entryId, e]),
        );
        const oracle = new Map<string, EntryWaitEstimate>(
          estimateClinicDay(snap.input, past, {
            duration: day.trueMinutes,
            currentEnd: (p) => day.trueEnd(i, p),
          }).map((e) => [e.entryId, e]),
        );
        const now = Date.parse(snap.input.now);
        for (const [id, call] of snap.actualCall) {
          const target = snap.input.entries.find((e) => e.id === id) as DayEntry;
          const actual = (call - now) / 60_000;
          add(scores.naive, naiveEstimate(snap.input, target), actual);
          const tr = trackerEstimate(snap.input, target);
          add(scores.tracker, tr.minutes, actual, tr);
          const pe = product.get(id) as EntryWaitEstimate;
          add(scores.product, pe.minutes, actual, pe);
          add(scores.oracle, (oracle.get(id) as EntryWaitEstimate).minutes, actual);
        }
      });
    }
  }
  const row = (name: string, s: Score) => ({
    name,
    mae: s.abs / s.n,
    bias: s.bias / s.n,
    coverage: s.withRange > 0 ? s.inside / s.withRange : null,
  });
  return {
    days: opts.days,
    seeds: opts.seeds,
    judged: scores.product.n,
    rows: [
      row('naive (ahead ÷ doctors)', scores.naive),
      row('tracker (position × 12)', scores.tracker),
      row('product (WaitEstimator)', scores.product),
      row('oracle (true lengths)', scores.oracle),
    ],
    seconds: (performance.now() - started) / 1000,
  };
};

export const printWaitBench = (r: BenchResult): string => {
  const pct = (x: number | null) => (x === null ? '   –  ' : `${(x * 100).toFixed(1).padStart(5)} %`);
  const lines = [
    `wait estimates: ${r.days} days × ${r.seeds} seeds, ${r.judged} judgements (every waiting patient every 5 min)`,
    `${'estimator'.padEnd(26)} ${'MAE min'.padStart(8)} ${'bias min'.padStart(9)} ${'20–80 % range coverage'.padStart(23)}`,
    ...r.rows.map(
      (x) =>
        `${x.name.padEnd(26)} ${x.mae.toFixed(2).padStart(8)} ${x.bias.toFixed(2).padStart(9)} ${pct(x.coverage).padStart(23)}`,
    ),
  ];
  const get = (prefix: string) =>
    r.rows.find((x) => x.name.startsWith(prefix)) as BenchResult['rows'][number];
  const product = get('product');
  const oracle = get('oracle');
  const naive = get('naive');
  lines.push(
    `product / oracle MAE = ${(product.mae / oracle.mae).toFixed(3)} (target ≤ 1.05); ` +
      `product vs naive = ${(((naive.mae - product.mae) / naive.mae) * 100).toFixed(1)} % lower (target ≥ 15 %); ` +
      `coverage ${pct(product.coverage).trim()} (target 55–65 %)`,
    `(${r.seconds.toFixed(1)} s)`,
  );
  return lines.join('\n');
};
