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
