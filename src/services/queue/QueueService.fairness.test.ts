// Issue 12 (no give-ups, client side): after a version conflict QueueService spreads its retry over the
// desks that compete (heard over Realtime), and from the second conflict on it waits for the queue's next
// version instead of sleeping blindly. The in-memory feed reports every save, as Realtime does.
import { describe, expect, it } from 'vitest';
import { CLINIC, DR_A, queueFixture } from '../../../test/fixtures/queueFixture';
import { InMemoryQueueChangeFeed } from './repositories/InMemoryQueueChangeFeed';
import { FeedVersionWatch } from './repositories/QueueVersionWatch';
import { QueueService } from './QueueService';

describe('QueueService retries: fairness across desks', () => {
  it('tells the pause how many saves beat it (versions heard past the one it loaded)', async () => {
    const { repo, bus, clock } = queueFixture();
    const versions = new FeedVersionWatch(new InMemoryQueueChangeFeed(repo));
    const seen: (number | null)[] = [];
    const service = new QueueService({
      repo,
      bus,
      clock,
      versions,
      retryDelayMs: (_attempt, _rtt, contenders) => {
        seen.push(contenders);
        return 0;
      },
    });
    const other = new QueueService({ repo, bus, clock });
    expect((await service.addWalkIn(CLINIC, { patientName: 'First' })).ok).toBe(true);
    // Three other saves land between our load and our save (three desks were faster).
    repo.beforeSave = async () => {
      repo.beforeSave = null;
      for (const n of ['X', 'Y', 'Z'])
        expect((await other.addWalkIn(CLINIC, { patientName: n })).ok).toBe(true);
    };
    const r = await service.callNext(CLINIC, { practitionerId: DR_A, room: null });
    expect(r.ok && r.value.attempts).toBe(2);
    expect(seen).toEqual([3]);
    versions.dispose();
  });

  it('from the second conflict on, waits for the next queue version instead of its (here endless) pause', async () => {
    const { repo, bus, clock } = queueFixture();
    const feed = new InMemoryQueueChangeFeed(repo);
    const watch = new FeedVersionWatch(feed);
    let waits = 0;
    let release: (() => Promise<void>) | null = null;
    const versions = {
      follow: (c: string) => watch.follow(c),
      latest: (q: string) => watch.latest(q),
      dispose: () => watch.dispose(),
      next: (q: string, above: number, timeoutMs: number) => {
        waits++;
        const p = watch.next(q, above, timeoutMs);
        void release?.(); // another desk saves while we wait: the queue's next version
        return p;
      },
    };
    const service = new QueueService({
      repo,
      bus,
      clock,
      versions,
      // attempt 1 retries at once; any later blind pause would never end (the test would time out)
      retryDelayMs: (attempt) => (attempt === 1 ? 0 : 2 ** 31 - 1),
    });
    const other = new QueueService({ repo, bus, clock });
    expect((await service.addWalkIn(CLINIC, { patientName: 'First' })).ok).toBe(true);
    let interfere = 2; // two saves of ours lose
    repo.beforeSave = async () => {
      if (interfere === 0) return;
      interfere--;
      const hook = repo.beforeSave;
      repo.beforeSave = null;
      expect((await other.addWalkIn(CLINIC, { patientName: `Faster ${interfere}` })).ok).toBe(true);
      repo.beforeSave = hook;
    };
    release = async () => {
      release = null;
      const hook = repo.beforeSave;
      repo.beforeSave = null;
      expect((await other.addWalkIn(CLINIC, { patientName: 'While we wait' })).ok).toBe(true);
      repo.beforeSave = hook;
    };
    const r = await service.callNext(CLINIC, { practitionerId: DR_A, room: null });
    expect(r.ok && r.value.attempts).toBe(3);
    expect(waits).toBe(1);
    watch.dispose();
  });
});
