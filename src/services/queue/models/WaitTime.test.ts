import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SPREAD,
  DurationModel,
  estimateAccuracy,
  estimateWaitTime,
  formatWaitForPatient,
  roundForDisplay,
} from './WaitTime';
import type { ObservedVisit, WaitEntry, WaitPractitioner, WaitTimeInput } from './WaitTime';

// Monday 2026-06-08 in Casablanca (UTC+1); open 09:00–13:00 and 15:00–19:00.
const at = (hhmm: string) => `2026-06-08T${hhmm}:00+01:00`;
const SPLIT_DAY = [
  { start: at('09:00'), end: at('13:00') },
  { start: at('15:00'), end: at('19:00') },
];

let seq = 0;
const entry = (over: Partial<WaitEntry> = {}): WaitEntry => ({
  id: `e${++seq}`,
  practitionerId: null,
  appointmentTypeId: 'consult',
  expectedDurationMinutes: 15,
  ...over,
});
const target = (over: Partial<WaitEntry> = {}) => entry({ id: 'target', ...over });
const drA: WaitPractitioner = { id: 'dr-a' };
const drB: WaitPractitioner = { id: 'dr-b' };

const estimate = (over: Partial<WaitTimeInput>) =>
  estimateWaitTime({
    now: at('10:00'),
    target: target(),
    ahead: [],
    practitioners: [drA],
    workingIntervals: SPLIT_DAY,
    ...over,
  });

/** What a simple "position × average" would say: present entries ahead × average / practitioners. */
const naive = (input: { ahead: WaitEntry[]; practitioners: unknown[] }) =>
  (input.ahead.filter((e) => e.availableFrom == null).length * 15) / input.practitioners.length;

describe('WaitTime: from the remaining time of the patients being served and the expected durations ahead', () => {
  it('sums the expected durations of the entries ahead for one free practitioner', () => {
    const e = estimate({ ahead: [entry(), entry(), entry()] });
    expect(e.kind).toBe('estimate');
    expect(e.minutes).toBe(45);
    expect(e.expectedCallAt).toBe('2026-06-08T09:45:00.000Z');
    expect(e.visitsBefore).toBe(3);
    expect(e.lowMinutes).toBeLessThan(45);
    expect(e.highMinutes).toBeGreaterThan(45);
  });

  it('counts only the remaining time of the patient in service', () => {
    const busy = {
      ...drA,
      current: { startedAt: at('09:50'), appointmentTypeId: 'consult', expectedDurationMinutes: 20 },
    };
    expect(estimate({ practitioners: [busy] }).minutes).toBe(10);
    expect(estimate({ practitioners: [busy], ahead: [entry()] }).minutes).toBe(25);
  });

  it('assumes an overdue visit ends soon, not that it has already ended', () => {
    const overdue = {
      ...drA,
      current: { startedAt: at('09:00'), appointmentTypeId: 'consult', expectedDurationMinutes: 20 },
    };
    const e = estimate({ practitioners: [overdue] });
    expect(e.minutes).toBe(2); // 10 % of the expected 20 min
    expect(e.display).toEqual({ kind: 'soon' });
  });

  it('uses each entry’s own appointment type duration', () => {
    const e = estimate({
      ahead: [entry({ expectedDurationMinutes: 40, appointmentTypeId: 'first-visit' }), entry()],
    });
    expect(e.minutes).toBe(55);
  });

  it('estimates a booked patient who has not arrived yet from their slot time (tracking page before arrival)', () => {
    expect(estimate({ target: target({ availableFrom: at('10:30') }) }).minutes).toBe(30);
    // the practitioner serves the present patient first, then waits for the booked one
    const e = estimate({
      target: target({ availableFrom: at('10:30') }),
      ahead: [entry({ expectedDurationMinutes: 20 })],
    });
    expect(e.expectedCallAt).toBe(new Date(at('10:30')).toISOString());
    // two practitioners idle until the arrival: the first free one takes it
    const two = estimate({ target: target({ availableFrom: at('10:40') }), practitioners: [drA, drB] });
    expect(two.minutes).toBe(40);
  });

  it('is unknown when nobody working today serves the target’s pool', () => {
    const e = estimate({ target: target({ practitionerId: 'dr-absent' }) });
    expect(e).toMatchObject({ kind: 'unknown', expectedCallAt: null, display: { kind: 'unknown' } });
    expect(estimate({ practitioners: [] }).kind).toBe('unknown');
    expect(estimate({ practitioners: [{ id: 'dr-a', servesAnyPool: false }] }).kind).toBe('unknown');
  });
});

describe('What a simple "position × average" gets wrong, and the estimate must not', () => {
  it('booked patients who have not arrived yet but whose slot will place them ahead', () => {
    // The target is booked for 11:00 and arrived early (10:00). W1 is present; B1 (10:15) and B2 (10:30)
    // are booked, not here yet, but their slots put them ahead once they arrive.
    const ahead = [
      entry({ id: 'W1', expectedDurationMinutes: 30 }),
      entry({ id: 'B1', availableFrom: at('10:15') }),
      entry({ id: 'B2', availableFrom: at('10:30') }),
    ];
    const e = estimate({ ahead });
    expect(naive({ ahead, practitioners: [drA] })).toBe(15);
    expect(e.minutes).toBe(60); // W1 10:00–10:30, B1 10:30–10:45, B2 10:45–11:00, target 11:00
    // and a booked patient who would arrive only after the target's turn is passed over, as call next does
    const late = [
      entry({ id: 'W1', expectedDurationMinutes: 30 }),
      entry({ id: 'B3', availableFrom: at('10:45') }),
    ];
    expect(estimate({ ahead: late }).minutes).toBe(30);
  });

  it('breaks in the working day (a walk-in at 12:50 in a clinic closed 13:00–15:00 waits past the break)', () => {
    const now = at('12:50');
    const busy = {
      ...drA,
      current: { startedAt: at('12:40'), appointmentTypeId: 'consult', expectedDurationMinutes: 20 },
    };
    const e = estimate({ now, practitioners: [busy] });
    const naiveMinutes = 10; // "the visit in progress ends in 10 min, nobody ahead"
    expect(e.expectedCallAt).toBe(new Date(at('15:00')).toISOString());
    expect(e.minutes).toBe(130);
    expect(e.minutes - naiveMinutes).toBe(120); // the whole break
    expect(e.display).toMatchObject({ kind: 'minutes', minutes: 135 }); // rounded to 15 beyond two hours
    // a call before the break still happens before it (the visit runs over, it is not cut)
    const free = estimate({ now, ahead: [entry({ expectedDurationMinutes: 5 })] });
    expect(free.minutes).toBe(5);
    // before opening, nobody is called either
    expect(estimate({ now: at('08:30') }).expectedCallAt).toBe(new Date(at('09:00')).toISOString());
    // patients still waiting at closing time are seen (overtime), not left unknown
    expect(estimate({ now: at('18:50'), ahead: [entry(), entry()] }).minutes).toBe(30);
    // without working intervals there are no breaks
    expect(estimate({ now, practitioners: [busy], workingIntervals: undefined }).minutes).toBe(10);
  });

  it('entries assigned to one practitioner versus "any"', () => {
    const ahead = [
      entry({ practitionerId: 'dr-a' }),
      entry({ practitionerId: 'dr-a' }),
      entry({ practitionerId: 'dr-a' }),
    ];
    const two = [drA, drB];
    expect(naive({ ahead, practitioners: two })).toBe(22.5); // the same for everyone: wrong for all three
    expect(estimate({ ahead, practitioners: two, target: target({ practitionerId: 'dr-a' }) }).minutes).toBe(
      45,
    );
    expect(estimate({ ahead, practitioners: two, target: target({ practitionerId: 'dr-b' }) }).minutes).toBe(
      0,
    );
    expect(estimate({ ahead, practitioners: two, target: target({ practitionerId: null }) }).minutes).toBe(0);
    // "any" goes to whoever is free first; a practitioner who only takes their own patients does not help
    const busyB = {
      ...drB,
      current: { startedAt: at('09:55'), appointmentTypeId: 'consult', expectedDurationMinutes: 15 },
    };
    const anyAhead = [entry(), entry()];
    expect(estimate({ ahead: anyAhead, practitioners: [drA, busyB] }).minutes).toBe(15); // A:e1, B(10:10):e2, A(10:15):target
    expect(
      estimate({ ahead: anyAhead, practitioners: [drA, { ...busyB, servesAnyPool: false }] }).minutes,
    ).toBe(30);
  });

  it('practitioners who have not started their session yet', () => {
    const late = { ...drA, sessionStartsAt: at('10:30') };
    const e = estimate({ ahead: [entry()], practitioners: [late] });
    expect(naive({ ahead: [entry()], practitioners: [late] })).toBe(15);
    expect(e.minutes).toBe(45);
    // a session that already started changes nothing; one that ended serves no one
    expect(
      estimate({ ahead: [entry()], practitioners: [{ ...drA, sessionStartsAt: at('08:00') }] }).minutes,
    ).toBe(15);
    expect(estimate({ practitioners: [{ ...drA, sessionEndsAt: at('09:30') }] }).kind).toBe('unknown');
    // with two, the one already working takes the queue until the other arrives
    const e2 = estimate({
      ahead: [entry(), entry(), entry()],
      practitioners: [{ ...drB, sessionStartsAt: at('10:20') }, drA],
    });
    expect(e2.minutes).toBe(30); // A: e1 10:00, e2 10:15; B: e3 10:20; A: target 10:30
  });
});

describe('Expected duration per appointment type starts from the clinic’s setting and is corrected by real durations', () => {
  const visits = (
    minutes: number[],
    practitionerId: string | null = 'dr-x',
    type = 'consult',
  ): ObservedVisit[] =>
    minutes.map((m, i) => ({
      practitionerId,
      appointmentTypeId: type,
      durationMinutes: m,
      finishedAt: new Date(Date.UTC(2026, 5, 1, 8) + i * 3_600_000).toISOString(),
    }));

  it('starts from the clinic’s setting when nothing was observed', () => {
    expect(DurationModel.learn([]).typeMinutes('consult', 15)).toBe(15);
    expect(estimate({ ahead: [entry({ expectedDurationMinutes: 20 })] }).minutes).toBe(20);
  });

  it('moves towards the durations observed', () => {
    const model = DurationModel.learn(visits([30, 30, 30, 30, 30, 30, 30, 30]));
    expect(model.typeMinutes('consult', 15)).toBeGreaterThan(28);
    expect(model.typeMinutes('other-type', 15)).toBe(15);
    const e = estimate({ ahead: [entry(), entry()], observed: visits([30, 30, 30, 30, 30, 30, 30, 30]) });
    expect(e.minutes).toBeGreaterThan(55);
  });

  it('recent visits weigh more', () => {
    const recentLong = DurationModel.learn(visits([10, 10, 10, 10, 30, 30, 30, 30]));
    const recentShort = DurationModel.learn(visits([30, 30, 30, 30, 10, 10, 10, 10]));
    expect(recentLong.typeMinutes('consult', 20)).toBeGreaterThan(
      recentShort.typeMinutes('consult', 20) + 10,
    );
    // order comes from finishedAt, not from the array order
    const shuffled = visits([10, 10, 10, 10, 30, 30, 30, 30]).reverse();
    expect(DurationModel.learn(shuffled).typeMinutes('consult', 20)).toBe(
      recentLong.typeMinutes('consult', 20),
    );
  });

  it('practitioners differ in pace', () => {
    const observed = [...visits([30, 30, 30, 30], 'dr-slow'), ...visits([15, 15, 15, 15], 'dr-fast')];
    const model = DurationModel.learn(observed);
    expect(model.paceOf('dr-slow')).toBeGreaterThan(1.1);
    expect(model.paceOf('dr-fast')).toBeLessThan(0.9);
    expect(model.paceOf('dr-new')).toBe(1);
    expect(model.paceOf(null)).toBe(1);
    const ahead = (p: string) => [entry({ practitionerId: p }), entry({ practitionerId: p })];
    const slow = estimate({
      observed,
      practitioners: [{ id: 'dr-slow' }],
      ahead: ahead('dr-slow'),
      target: target({ practitionerId: 'dr-slow' }),
    });
    const fast = estimate({
      observed,
      practitioners: [{ id: 'dr-fast' }],
      ahead: ahead('dr-fast'),
      target: target({ practitionerId: 'dr-fast' }),
    });
    expect(slow.minutes).toBeGreaterThan(fast.minutes * 1.4);
  });

  it('reads an unusable configured duration as 0 rather than poisoning the estimate', () => {
    const e = estimate({
      ahead: [
        entry({ expectedDurationMinutes: Number.NaN }),
        entry({ expectedDurationMinutes: -10 }),
        entry(),
      ],
    });
    expect(e.minutes).toBe(15);
  });

  it('ignores unusable observations (zero, negative, not a number)', () => {
    const model = DurationModel.learn([
      ...visits([0, -5]),
      { practitionerId: null, appointmentTypeId: null, durationMinutes: Number.NaN, finishedAt: at('09:00') },
    ]);
    expect(model.typeMinutes('consult', 15)).toBe(15);
    expect(model.spread()).toEqual(DEFAULT_SPREAD);
  });
});

describe('The range is roughly the 20th–80th percentile', () => {
  const durations = [17, 24, 12, 28, 15, 21, 10, 26, 19, 14, 23, 11, 27, 18, 22, 13, 25, 16, 29, 20];
  const observed: ObservedVisit[] = durations.map((m, i) => ({
    practitionerId: 'dr-a',
    appointmentTypeId: 'consult',
    durationMinutes: m,
    finishedAt: new Date(Date.UTC(2026, 5, 1, 8) + i * 600_000).toISOString(),
  }));

  it('uses the default spread until enough visits are observed, then the observed one', () => {
    expect(DurationModel.learn(observed.slice(0, 4)).spread()).toEqual(DEFAULT_SPREAD);
    const { low, high } = DurationModel.learn(observed).spread();
    expect(low).toBeLessThan(0.85);
    expect(high).toBeGreaterThan(1.15);
  });

  it('about 60 % of real waits fall inside the range (calibration on the observed distribution)', () => {
    const e = estimate({ ahead: [entry({ practitionerId: 'dr-a', expectedDurationMinutes: 20 })], observed });
    const acc = estimateAccuracy(
      durations.map((actual) => ({
        estimatedMinutes: e.minutes,
        lowMinutes: e.lowMinutes,
        highMinutes: e.highMinutes,
        actualMinutes: actual,
      })),
    );
    expect(acc.withinRangeShare).toBeGreaterThanOrEqual(0.45);
    expect(acc.withinRangeShare).toBeLessThanOrEqual(0.75);
  });

  it('a tight history gives a tight range, a scattered one a wide range', () => {
    const steady = observed.map((v) => ({ ...v, durationMinutes: 20 + (v.durationMinutes % 2) }));
    const ahead = [entry({ expectedDurationMinutes: 20 }), entry({ expectedDurationMinutes: 20 })];
    const tight = estimate({ ahead, observed: steady });
    const wide = estimate({ ahead, observed });
    expect(tight.highMinutes - tight.lowMinutes).toBeLessThan((wide.highMinutes - wide.lowMinutes) / 2);
  });

  it('narrows relative to the wait as more visits are ahead (durations average out)', () => {
    const one = estimate({ ahead: [entry()] });
    const ten = estimate({ ahead: Array.from({ length: 10 }, () => entry()) });
    const rel = (e: typeof one) => (e.highMinutes - e.lowMinutes) / e.minutes;
    expect(rel(ten)).toBeLessThan(rel(one) / 2);
  });
});

describe('The patient sees "about 25 min (20–35)", never a false precision', () => {
  it('rounds to 5 minutes under an hour, 10 under two hours, 15 beyond', () => {
    expect(roundForDisplay(23.4, 19.1, 33.2)).toEqual({ kind: 'minutes', minutes: 25, low: 15, high: 35 });
    expect(roundForDisplay(24, 21, 31)).toEqual({ kind: 'minutes', minutes: 25, low: 20, high: 35 });
    expect(roundForDisplay(83, 71, 97)).toEqual({ kind: 'minutes', minutes: 80, low: 70, high: 100 });
    expect(roundForDisplay(131, 118, 160)).toEqual({ kind: 'minutes', minutes: 135, low: 105, high: 165 });
  });

  it('says "a few minutes" rather than "about 0 min"', () => {
    expect(roundForDisplay(0, 0, 0)).toEqual({ kind: 'soon' });
    expect(roundForDisplay(3, 2, 5)).toEqual({ kind: 'soon' });
  });

  it('never shows a zero-width range', () => {
    expect(roundForDisplay(20, 20, 20)).toEqual({ kind: 'minutes', minutes: 20, low: 20, high: 25 });
  });

  it('formats in Arabic, French and English; plain hyphen for an SMS', () => {
    const d = { kind: 'minutes', minutes: 25, low: 20, high: 35 } as const;
    expect(formatWaitForPatient(d, 'en')).toBe('about 25 min (20–35)');
    expect(formatWaitForPatient(d, 'fr')).toBe('environ 25 min (20–35)');
    expect(formatWaitForPatient(d, 'ar')).toBe('حوالي 25 دقيقة (20–35)');
    expect(formatWaitForPatient(d, 'fr', { gsm: true })).toBe('environ 25 min (20-35)');
    expect(formatWaitForPatient({ kind: 'soon' }, 'fr')).toBe('quelques minutes');
    expect(formatWaitForPatient({ kind: 'unknown' }, 'en')).toBe('not known yet');
    expect(formatWaitForPatient({ kind: 'unknown' }, 'ar')).toBe('غير معروفة بعد');
  });

  it('property: the display is rounded, ordered and never zero-width', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 400, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        (m, lf, hf) => {
          const d = roundForDisplay(m, m * lf, m * hf);
          if (d.kind !== 'minutes') {
            expect(m * hf).toBeLessThanOrEqual(5);
            return;
          }
          const step = d.minutes < 60 ? 5 : d.minutes < 120 ? 10 : 15;
          expect(d.minutes % 5).toBe(0);
          expect(d.low % 5).toBe(0);
          expect(d.high % 5).toBe(0);
          expect(d.low).toBeLessThanOrEqual(d.minutes);
          expect(d.minutes).toBeLessThanOrEqual(d.high);
          expect(d.high).toBeGreaterThan(d.low);
          expect(Math.abs(d.minutes - m)).toBeLessThanOrEqual(step);
        },
      ),
    );
  });
});

describe('Staff see how accurate yesterday’s estimates were', () => {
  it('reports mean absolute error, bias and the share inside the range', () => {
    const acc = estimateAccuracy([
      { estimatedMinutes: 20, lowMinutes: 15, highMinutes: 30, actualMinutes: 25 },
      { estimatedMinutes: 10, lowMinutes: 5, highMinutes: 15, actualMinutes: 4 },
      { estimatedMinutes: 40, lowMinutes: 30, highMinutes: 55, actualMinutes: 55 },
      { estimatedMinutes: 30, lowMinutes: 20, highMinutes: 40, actualMinutes: Number.NaN },
    ]);
    expect(acc).toEqual({
      count: 3,
      meanAbsoluteErrorMinutes: 26 / 3,
      meanBiasMinutes: 14 / 3,
      withinRangeShare: 2 / 3,
    });
  });

  it('says nothing rather than 0 when there is no data', () => {
    expect(estimateAccuracy([])).toEqual({
      count: 0,
      meanAbsoluteErrorMinutes: null,
      meanBiasMinutes: null,
      withinRangeShare: null,
    });
  });
});

describe('estimator properties', () => {
  const arb = fc.record({
    nowMin: fc.integer({ min: 8 * 60, max: 18 * 60 }),
    ahead: fc.array(
      fc.record({
        d: fc.integer({ min: 5, max: 40 }),
        arrivesIn: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
      }),
      { maxLength: 12 },
    ),
    extra: fc.integer({ min: 5, max: 40 }),
    currentFor: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
  });
  const hhmm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const build = (
    p: typeof arb extends fc.Arbitrary<infer T> ? T : never,
    extraAhead: boolean,
  ): WaitTimeInput => {
    const now = at(hhmm(p.nowMin));
    const ahead = p.ahead.map((a, i) =>
      entry({
        id: `a${i}`,
        expectedDurationMinutes: a.d,
        availableFrom: a.arrivesIn === null ? null : at(hhmm(p.nowMin + a.arrivesIn)),
      }),
    );
    if (extraAhead) ahead.push(entry({ id: 'extra', expectedDurationMinutes: p.extra }));
    const pr: WaitPractitioner =
      p.currentFor === null
        ? drA
        : {
            ...drA,
            current: {
              startedAt: at(hhmm(p.nowMin - p.currentFor)),
              appointmentTypeId: 'consult',
              expectedDurationMinutes: 30,
            },
          };
    return { now, target: target(), ahead, practitioners: [pr], workingIntervals: SPLIT_DAY };
  };

  it('property: the range holds the estimate, the call is never in a break, and the result is deterministic', () => {
    fc.assert(
      fc.property(arb, (p) => {
        const input = build(p, false);
        const e = estimateWaitTime(input);
        expect(e.kind).toBe('estimate');
        expect(e.lowMinutes).toBeLessThanOrEqual(e.minutes);
        expect(e.minutes).toBeLessThanOrEqual(e.highMinutes);
        expect(e.minutes).toBeGreaterThanOrEqual(0);
        const call = Date.parse(e.expectedCallAt as string);
        expect(call >= Date.parse(at('13:00')) && call < Date.parse(at('15:00'))).toBe(false);
        expect(estimateWaitTime(input)).toEqual(e);
      }),
    );
  });

  it('property: one more present patient ahead never shortens the wait', () => {
    fc.assert(
      fc.property(arb, (p) => {
        expect(estimateWaitTime(build(p, true)).minutes).toBeGreaterThanOrEqual(
          estimateWaitTime(build(p, false)).minutes,
        );
      }),
    );
  });
});
