/**
 * `npm run bench:wait`: scores wait estimators on simulated clinic days (ClinicDaySimulator), at every
 * waiting patient every 5 minutes, against when they were actually called.
 *
 * - naive:    durations (configured) of the waiting entries ahead that share the patient's doctors ÷ doctors;
 * - tracker:  the old tracker formula (position in own pool × 12 min, one doctor; range ×0.8–×1.4);
 * - product:  `estimateClinicDay` (models/WaitEstimator) fed exactly the CLI's input;
 * - oracle:   the same estimator told every visit's TRUE length (and the true end of visits in progress);
 * - mean oracle (decomposition): told each visit's true EXPECTED length (true type mean × true pace), not
 *   its own draw nor the end of visits in progress: the best a perfectly learned duration model can do.
 *   product − mean oracle = what learning could still gain; mean oracle − oracle = per-visit chance.
 *
 * The breakdown (printed unless WAIT_BENCH_BREAKDOWN=0) gives MAE, bias and coverage by queue depth, kind,
 * hour and part of the day, with the oracle's and the mean oracle's bias beside the product's: a bias the
 * oracles share is chance or what nobody can know in advance, one only the product has is model error.
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

/**
 * A "not known" estimate (null: nobody will call the patient today) of a patient who WAS called is
 * scored as "at the end of the last session" (what the estimator said before it could say "not known").
 */
const scored = (e: EntryWaitEstimate | undefined, lastEnd: number) => ({
  minutes: e?.minutes ?? lastEnd,
  low: e?.low ?? lastEnd,
  high: e?.high ?? lastEnd,
});

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
  /** Judged patients (all were called) the product said "not known" for. */
  readonly notKnown: number;
  readonly rows: readonly { name: string; mae: number; bias: number; coverage: number | null }[];
  readonly seconds: number;
  /** Bucket → product and oracle MAE (WAIT_BENCH_BREAKDOWN). */
  readonly breakdown: readonly {
    bucket: string;
    n: number;
    product: number;
    oracle: number;
    bias: number;
    /** Bias (actual − estimate) of the oracle and the mean oracle in this bucket: model error vs chance. */
    oracleBias: number;
    meanOracleBias: number;
    /** Share of actual waits inside the product's 20–80 % range in this bucket. */
    coverage: number;
  }[];
}

/** The buckets one judgement falls in (for the breakdown). */
const bucketsOf = (day: ClinicDay, target: DayEntry, shown: number): string[] => {
  const local = (iso: string) => {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: day.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(iso));
    const get = (t: string) => Number(parts.find((x) => x.type === t)?.value ?? 0);
    return get('hour') * 60 + get('minute');
  };
  const now = local(day.now);
  const waiting = inOrder(day.entries.filter((e) => e.status === 'waiting'));
  const ahead = waiting.indexOf(target);
  const depth = ahead < 2 ? '0–1' : ahead < 5 ? '2–4' : ahead < 10 ? '5–9' : '10+';
  const when =
    now < 9 * 60
      ? 'before opening (< 09:00)'
      : now < 13 * 60
        ? 'morning session'
        : now < 15 * 60
          ? 'break / overtime (13–15)'
          : now < 16 * 60
            ? 'after the break (15–16)'
            : 'afternoon (≥ 16:00)';
  return [
    `ahead ${depth}`,
    `kind ${target.kind}${target.practitionerId === null ? ' (any)' : ' (own doctor)'}`,
    when,
    `hour ${String(Math.floor(now / 60)).padStart(2, '0')}`,
    // the minutes shown (session 18): the range's spread grows with the wait it is laid around
    `shown ${shown < 10 ? '0–9' : shown < 20 ? '10–19' : shown < 40 ? '20–39' : shown < 80 ? '40–79' : '80+'} min`,
  ];
};

export const runWaitBench = (opts: {
  days: number;
  seeds: number;
  warmup: number;
  firstSeed?: number;
}): BenchResult => {
  const started = performance.now();
  const scores = { naive: blank(), tracker: blank(), product: blank(), meanOracle: blank(), oracle: blank() };
  const buckets = new Map<string, { product: Score; oracle: Score; meanOracle: Score }>();
  let notKnown = 0;
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
            exact: true,
          }).map((e) => [e.entryId, e]),
        );
        const meanOracle = new Map<string, EntryWaitEstimate>(
          estimateClinicDay(snap.input, past, {
            duration: day.meanMinutes,
            currentEnd: () => undefined,
            // means only: each visit's spread still decides who is reached in overtime, as for the product
            exact: false,
          }).map((e) => [e.entryId, e]),
        );
        const now = Date.parse(snap.input.now);
        const lastEnd = Math.max(
          0,
          ...snap.input.practitioners.flatMap((p) =>
            p.sessions.map((x) => (Date.parse(x.end) - now) / 60_000),
          ),
        );
        for (const [id, call] of snap.actualCall) {
          const target = snap.input.entries.find((e) => e.id === id) as DayEntry;
          const actual = (call - now) / 60_000;
          add(scores.naive, naiveEstimate(snap.input, target), actual);
          const tr = trackerEstimate(snap.input, target);
          add(scores.tracker, tr.minutes, actual, tr);
          const pe = scored(product.get(id), lastEnd);
          if (product.get(id)?.minutes === null) notKnown += 1;
          add(scores.product, pe.minutes, actual, pe);
          const oe = scored(oracle.get(id), lastEnd).minutes;
          add(scores.oracle, oe, actual);
          const me = scored(meanOracle.get(id), lastEnd).minutes;
          add(scores.meanOracle, me, actual);
          for (const b of bucketsOf(snap.input, target, pe.minutes)) {
            const sc = buckets.get(b) ?? { product: blank(), oracle: blank(), meanOracle: blank() };
            buckets.set(b, sc);
            add(sc.product, pe.minutes, actual, pe);
            add(sc.oracle, oe, actual);
            add(sc.meanOracle, me, actual);
          }
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
    notKnown,
    rows: [
      row('naive (ahead ÷ doctors)', scores.naive),
      row('tracker (position × 12)', scores.tracker),
      row('product (WaitEstimator)', scores.product),
      row('mean oracle (true means)', scores.meanOracle),
      row('oracle (true lengths)', scores.oracle),
    ],
    seconds: (performance.now() - started) / 1000,
    breakdown: [...buckets.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([bucket, sc]) => ({
        bucket,
        n: sc.product.n,
        product: sc.product.abs / sc.product.n,
        oracle: sc.oracle.abs / sc.oracle.n,
        bias: sc.product.bias / sc.product.n,
        oracleBias: sc.oracle.bias / sc.oracle.n,
        meanOracleBias: sc.meanOracle.bias / sc.meanOracle.n,
        coverage: sc.product.inside / Math.max(1, sc.product.withRange),
      })),
  };
};

export const printWaitBench = (r: BenchResult, breakdown = false): string => {
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
    `"not known" said of ${r.notKnown} judged patients who were called that day (scored as "at the last session's end") (${r.seconds.toFixed(1)} s)`,
  );
  const meanOracle = get('mean oracle');
  lines.push(
    `gap to the oracle ${(product.mae - oracle.mae).toFixed(2)} min = learning ${(product.mae - meanOracle.mae).toFixed(2)} ` +
      `(product − mean oracle) + per-visit chance ${(meanOracle.mae - oracle.mae).toFixed(2)} (mean oracle − oracle); ` +
      `mean oracle / oracle = ${(meanOracle.mae / oracle.mae).toFixed(3)}`,
  );
  if (breakdown) {
    lines.push(
      '',
      'per bucket: MAE and bias (actual − estimate, min) of the product, the oracle (true lengths) and the',
      'mean oracle (true means); a bias the oracles share is chance or what nobody knows in advance',
      '(start delays, overtime), a bias only the product has is model error',
      `${'bucket'.padEnd(28)} ${'n'.padStart(6)} ${'product'.padStart(8)} ${'bias'.padStart(7)} ${'oracle'.padStart(7)} ${'o.bias'.padStart(7)} ${'m.bias'.padStart(7)} ${'ratio'.padStart(6)} ${'in range'.padStart(9)}`,
    );
    for (const b of r.breakdown) {
      lines.push(
        `${b.bucket.padEnd(28)} ${String(b.n).padStart(6)} ${b.product.toFixed(2).padStart(8)} ${b.bias.toFixed(2).padStart(7)} ${b.oracle.toFixed(2).padStart(7)} ${b.oracleBias.toFixed(2).padStart(7)} ${b.meanOracleBias.toFixed(2).padStart(7)} ${(b.product / b.oracle).toFixed(2).padStart(6)} ${pct(b.coverage).padStart(9)}`,
      );
    }
  }
  return lines.join('\n');
};
