import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Estimator, runEstimateCli } from './estimateCli';

const day = {
  now: '2026-11-20T09:00:00Z',
  timeZone: 'Africa/Casablanca',
  appointmentTypes: [{ id: 'consult', minutes: 15 }],
  practitioners: [
    { id: 'dr-a', sessions: [{ start: '2026-11-20T08:00:00Z', end: '2026-11-20T12:00:00Z' }], serving: null },
  ],
  entries: [
    {
      id: 'w1',
      status: 'waiting',
      kind: 'walk_in',
      priority: 'normal',
      practitionerId: null,
      appointmentTypeId: 'consult',
      slotAt: null,
      arrivedAt: '2026-11-20T08:30:00Z',
      orderKey: 1,
    },
    {
      id: 'w2',
      status: 'waiting',
      kind: 'walk_in',
      priority: 'normal',
      practitionerId: null,
      appointmentTypeId: 'consult',
      slotAt: null,
      arrivedAt: '2026-11-20T08:31:00Z',
      orderKey: 2,
    },
    {
      id: 's1',
      status: 'scheduled',
      kind: 'booked',
      priority: 'normal',
      practitionerId: 'dr-a',
      appointmentTypeId: 'consult',
      slotAt: '2026-11-20T10:00:00Z',
      arrivedAt: null,
      orderKey: 3,
    },
  ],
  history: [],
};

describe('estimate CLI: JSON lines in, one JSON line out per line', () => {
  it('answers every waiting and scheduled entry in minutes from now, with a range', () => {
    const out = JSON.parse(new Estimator().answer(JSON.stringify(day))) as {
      estimates: { entryId: string; minutes: number; low: number; high: number }[];
    };
    expect(out.estimates.map((e) => e.entryId).sort()).toEqual(['s1', 'w1', 'w2']);
    const m = new Map(out.estimates.map((e) => [e.entryId, e]));
    expect(m.get('w1')?.minutes).toBe(0);
    expect(m.get('w2')?.minutes).toBeCloseTo(15, 0);
    for (const e of out.estimates) expect(e.low <= e.minutes && e.minutes <= e.high).toBe(true);
  });

  it('answers a bad line with a coded error and keeps going; nothing else reaches stdout', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (c: Buffer) => chunks.push(c.toString()));
    const done = runEstimateCli(input, output);
    input.write('not json\n');
    input.write(`${JSON.stringify({ ...day, timeZone: 'Mars/Olympus' })}\n`);
    input.write(`${JSON.stringify({ ...day, history: [{ day: '2026-11-19', kind: 'x' }] })}\n`);
    input.write('\n');
    input.end(`${JSON.stringify(day)}\n`);
    await done;
    const lines = chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, { code: string; message: string }>);
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).map((l) => l.error?.code)).toEqual([
      'ESTIMATE.INVALID_INPUT',
      'ESTIMATE.INVALID_INPUT',
      'ESTIMATE.INVALID_INPUT',
    ]);
    expect(lines[1]?.error?.message).toMatch(/^timeZone/);
    expect(lines[2]?.error?.message).toMatch(/^history\.0\.kind/);
    expect(lines[3]).toHaveProperty('estimates');
  });
});

describe('estimate CLI: the learned profile is cached by the earlier days', () => {
  const visit = (d: string, hh: number, over: Record<string, unknown> = {}) => ({
    day: d,
    practitionerId: 'dr-a',
    appointmentTypeId: 'consult',
    kind: 'walk_in',
    slotAt: null,
    arrivedAt: `${d}T${String(hh).padStart(2, '0')}:00:00Z`,
    calledAt: `${d}T${String(hh).padStart(2, '0')}:05:00Z`,
    finishedAt: `${d}T${String(hh).padStart(2, '0')}:25:00Z`,
    noShow: false,
    ...over,
  });
  const earlier = ['2026-11-17', '2026-11-18', '2026-11-19'].flatMap((d) =>
    [8, 9, 10].map((h) => visit(d, h)),
  );
  const line = (history: unknown[], now = day.now) => JSON.stringify({ ...day, now, history });

  it('learns once while only today changes, again when an earlier day changes', () => {
    const est = new Estimator();
    est.answer(line(earlier));
    est.answer(line([...earlier, visit('2026-11-20', 8)], '2026-11-20T09:00:00Z'));
    est.answer(line([...earlier, visit('2026-11-20', 8)], '2026-11-20T09:10:00Z'));
    expect(est.learned).toBe(1);
    est.answer(line(earlier.map((v, i) => (i === 0 ? { ...v, finishedAt: '2026-11-17T08:45:00Z' } : v))));
    expect(est.learned).toBe(2);
  });

  it('every field of an earlier visit is part of the key (a cached answer equals a fresh one)', () => {
    // before: the key skipped appointmentTypeId, kind and slotAt — a history differing only there was
    // answered with the first history's profile
    const changes: Record<string, unknown>[] = [
      { appointmentTypeId: 'long' },
      { kind: 'booked', slotAt: '2026-11-17T08:00:00Z' },
      { absences: 1, returned: 1 },
      // session 14: a visit for any doctor is replayed in the "any" pool (its own calibration)
      { anyDoctor: true },
    ];
    for (const change of changes) {
      const other = earlier.map((v) => ({ ...v, ...change }));
      const est = new Estimator();
      est.answer(line(earlier));
      const cached = est.answer(line(other));
      expect(est.learned).toBe(2);
      expect(cached).toBe(new Estimator().answer(line(other)));
    }
  });

  it('reads lines split across chunks, CRLF endings and a last line without a newline', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (c: Buffer) => chunks.push(c.toString()));
    const done = runEstimateCli(input, output);
    const text = line(earlier);
    input.write(text.slice(0, 100));
    input.write(text.slice(100, 250));
    input.write(`${text.slice(250)}\r\n${text.slice(0, 10)}`);
    input.end(text.slice(10));
    await done;
    const lines = chunks.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(lines[1]);
    expect(JSON.parse(lines[0] as string)).toHaveProperty('estimates');
  });
});
