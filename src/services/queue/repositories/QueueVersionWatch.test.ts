// FeedVersionWatch: the queue versions a client hears over the change feed, for the retry loop's fairness.
import { describe, expect, it } from 'vitest';
import type { QueueChange, QueueChangeFeed } from './QueueChangeFeed';
import { FeedVersionWatch } from './QueueVersionWatch';

function fakeFeed() {
  const subs: { clinicId: string; onChange(c: QueueChange): void }[] = [];
  const feed: QueueChangeFeed = {
    subscribe(clinicId, handlers) {
      const s = { clinicId, onChange: handlers.onChange };
      subs.push(s);
      return () => subs.splice(subs.indexOf(s), 1);
    },
  };
  const emit = (queueId: string, version: number) => {
    for (const s of [...subs]) s.onChange({ clinicId: s.clinicId, queueId, day: '2026-11-24', version });
  };
  return { feed, subs, emit };
}

/** Timers the test fires by hand (no wall clock). */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let seq = 0;
  return {
    timers: {
      set: (f: () => void) => {
        pending.set(++seq, f);
        return seq;
      },
      clear: (h: unknown) => void pending.delete(h as number),
    },
    fireAll: () => {
      for (const [k, f] of [...pending]) {
        pending.delete(k);
        f();
      }
    },
    pending,
  };
}

describe('FeedVersionWatch', () => {
  it('follows a clinic once and keeps the newest version per queue (late or repeated ones are ignored)', () => {
    const { feed, subs, emit } = fakeFeed();
    const w = new FeedVersionWatch(feed);
    w.follow('c1');
    w.follow('c1');
    expect(subs).toHaveLength(1);
    expect(w.latest('q1')).toBeNull();
    emit('q1', 4);
    emit('q1', 3);
    emit('q2', 9);
    expect(w.latest('q1')).toBe(4);
    expect(w.latest('q2')).toBe(9);
    w.dispose();
    expect(subs).toHaveLength(0);
  });

  it('next() resolves with the first version above the one given, at once when it was already heard', async () => {
    const { feed, emit } = fakeFeed();
    const t = manualTimers();
    const w = new FeedVersionWatch(feed, t.timers);
    w.follow('c1');
    emit('q1', 5);
    await expect(w.next('q1', 4, 1000)).resolves.toBe(5);
    const waiting = w.next('q1', 5, 1000);
    emit('q2', 6); // another queue: not this one
    emit('q1', 5); // not newer
    emit('q1', 6);
    await expect(waiting).resolves.toBe(6);
    expect(t.pending.size).toBe(0); // its timer was cleared
  });

  it('next() gives null when nothing newer is heard before its timer fires (Realtime late or down)', async () => {
    const { feed } = fakeFeed();
    const t = manualTimers();
    const w = new FeedVersionWatch(feed, t.timers);
    w.follow('c1');
    const waiting = w.next('q1', 0, 50);
    t.fireAll();
    await expect(waiting).resolves.toBeNull();
  });
});
