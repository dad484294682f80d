// The queue's aggregate and wait estimator load beside the first queue read, not with the staff screen
// (issue 14: lazyQueueDomain.ts → the queueDomain chunk). What must still hold: the first read answers with
// the estimates (nothing shown without them, no second render); a Realtime change that arrives before any read
// answers null (the screen reloads) instead of throwing; a failed chunk load is retried by the next read.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../shared/Result';
import type { AppError } from '../shared/AppError';

const must = <T>(r: Result<T, AppError>): T => {
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
};

/** A fresh module graph: its lazyQueueDomain has loaded nothing yet. */
async function fresh() {
  vi.resetModules();
  const fixture = await import('../../../test/fixtures/queueFixture');
  const lazy = await import('./lazyQueueDomain');
  return { ...fixture, lazy };
}

afterEach(() => {
  vi.doUnmock('./queueDomain');
  vi.resetModules();
});

describe('QueueService with the lazily loaded queue domain', () => {
  it('the first read loads the domain and answers with positions and wait estimates', async () => {
    const { queueFixture, CLINIC, lazy } = await fresh();
    const { service } = queueFixture();
    expect(lazy.loadedQueueDomain()).toBeNull();
    must(await service.addWalkIn(CLINIC, { patientName: 'Amina' }));
    must(await service.addWalkIn(CLINIC, { patientName: 'Youssef' }));
    const shown = must(await service.status(CLINIC));
    expect(lazy.loadedQueueDomain()).not.toBeNull();
    expect(shown.entries.map((e) => [e.patientName, e.position])).toEqual([
      ['Amina', 1],
      ['Youssef', 2],
    ]);
    expect(shown.entries.every((e) => e.wait !== null && e.wait.minutes >= 0)).toBe(true);
  });

  it('a change applied before any read of this session answers null (the caller reloads), then applies after a read', async () => {
    const before = await fresh();
    const shown = must(await before.queueFixture().service.status(before.CLINIC));
    const { queueFixture, CLINIC, lazy } = await fresh();
    const { service } = queueFixture();
    const change = { version: shown.queue.version + 1, rows: [] };
    expect(lazy.loadedQueueDomain()).toBeNull();
    expect(service.applyChange(shown, change)).toBeNull();
    must(await service.status(CLINIC));
    expect(service.applyChange(shown, change)?.queue.version).toBe(shown.queue.version + 1);
  });

  it('a failed load of the domain chunk fails that read with no harm and the next read loads it', async () => {
    let failures = 1;
    vi.resetModules();
    vi.doMock('./queueDomain', async (real) => {
      if (failures-- > 0) throw new Error('Failed to fetch dynamically imported module');
      return real();
    });
    const { queueFixture, CLINIC } = await import('../../../test/fixtures/queueFixture');
    const { service } = queueFixture();
    await expect(service.status(CLINIC)).rejects.toThrow(); // vitest words the failed import its own way
    const added = must(await service.addWalkIn(CLINIC, { patientName: 'Amina' }));
    expect(added.view.entries.map((e) => e.patientName)).toEqual(['Amina']);
  });

  it('a command whose domain chunk fails to load answers a coded error, not a throw, and holds no turn', async () => {
    let failures = 1;
    vi.resetModules();
    vi.doMock('./queueDomain', async (real) => {
      if (failures-- > 0) throw new Error('Failed to fetch dynamically imported module');
      return real();
    });
    const { queueFixture, CLINIC } = await import('../../../test/fixtures/queueFixture');
    const { service, repo } = queueFixture();
    repo.enableTurns();
    const failed = await service.addWalkIn(CLINIC, { patientName: 'Amina' });
    expect(failed.ok ? null : failed.error.code).toBe('INTERNAL');
    expect((repo as unknown as { turns: unknown[] }).turns).toEqual([]); // nothing left holding the day
    const added = must(await service.addWalkIn(CLINIC, { patientName: 'Amina' }));
    expect(added.view.entries.map((e) => e.patientName)).toEqual(['Amina']);
  });

  it('QueueService takes the aggregate and the estimator only as types (their code stays out of the screen’s chunk)', () => {
    const src = readFileSync(new URL('./QueueService.ts', import.meta.url), 'utf8');
    const valueImports = [...src.matchAll(/^import\s+(?!type\b)\{([^}]*)\}\s*from\s*'([^']+)'/gm)].flatMap(
      ([, names, from]) =>
        names!
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n && !n.startsWith('type '))
          .map((n) => `${n} from ${from}`),
    );
    const domain = /^(QueueAggregate|estimateQueueWaits|learnPastProfile|accuracyOverview|undoableStep) /;
    expect(valueImports.filter((i) => domain.test(i))).toEqual([]);
    expect(
      valueImports.some((i) => /models\/(QueueAggregate|WaitEstimator|QueueWaitEstimates)$/.test(i)),
    ).toBe(false);
  });
});
