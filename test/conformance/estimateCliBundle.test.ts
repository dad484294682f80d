// `npm run -s estimate` runs the estimator from a prebuilt bundle (scripts/estimate.mjs, issue 16: loading its
// TypeScript through tsx was ≈ 0.35 CPU-s of every run): the bundle is built on the first run, reused while
// its sources are unchanged, and answers exactly as the sources run through tsx do — nothing else on stdout.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleIsFresh } from '../../scripts/serverBundle.mjs';

const root = join(import.meta.dirname, '..', '..');
const ENTRY = { estimateCli: 'src/services/queue/estimation/estimateCli.ts' };

const day = {
  now: '2026-11-20T09:00:00Z',
  timeZone: 'Africa/Casablanca',
  appointmentTypes: [{ id: 'consult', minutes: 15 }],
  practitioners: [
    { id: 'dr-a', sessions: [{ start: '2026-11-20T08:00:00Z', end: '2026-11-20T12:00:00Z' }], serving: null },
  ],
  entries: [1, 2, 3].map((i) => ({
    id: `w${i}`,
    status: 'waiting',
    kind: 'walk_in',
    priority: 'normal',
    practitionerId: null,
    appointmentTypeId: 'consult',
    slotAt: null,
    arrivedAt: `2026-11-20T08:3${i}:00Z`,
    orderKey: i,
  })),
  history: [],
};
const input = `${JSON.stringify(day)}\nnot json\n`;

const run = (env: Record<string, string>) => {
  const r = spawnSync(process.execPath, ['scripts/estimate.mjs'], {
    cwd: root,
    input,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  return r.stdout;
};

describe('the estimate CLI from its prebuilt bundle', () => {
  it('builds the bundle on the first run, reuses it, and answers as the sources do', () => {
    mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
    const dir = mkdtempSync(join(root, 'node_modules', '.cache', 'qm-estimate-test-'));
    try {
      const fromBundle = run({ QUEUEMED_ESTIMATE_BUNDLE_DIR: dir });
      expect(bundleIsFresh(root, dir, ENTRY)).toBe(true); // it was built, from today's sources
      const again = run({ QUEUEMED_ESTIMATE_BUNDLE_DIR: dir });
      const fromSources = run({ QUEUEMED_ESTIMATE_BUNDLE: '0' });
      const lines = fromBundle.split('\n').filter(Boolean);
      expect(lines).toHaveLength(2);
      expect(JSON.parse(lines[0]!).estimates.map((e: { entryId: string }) => e.entryId)).toEqual([
        'w1',
        'w2',
        'w3',
      ]);
      expect(JSON.parse(lines[1]!).error.code).toBe('ESTIMATE.INVALID_INPUT');
      expect(again).toBe(fromBundle);
      expect(fromSources).toBe(fromBundle);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
