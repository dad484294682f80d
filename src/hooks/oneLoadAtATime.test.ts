// The one shared "one load at a time" rule of the live screens (desk, tracker, board): a burst of requests
// costs at most two loads, nothing requested during a load is lost, a failed load ends the chase.
import { describe, expect, it } from 'vitest';
import { oneLoadAtATime } from './oneLoadAtATime';

/** A load the test answers by hand. */
function heldLoads() {
  const pending: ((ok: boolean) => void)[] = [];
  let started = 0;
  const load = () =>
    new Promise<boolean>((resolve) => {
      started++;
      pending.push(resolve);
    });
  const finish = async (ok = true) => {
    pending.shift()?.(ok);
    await new Promise((r) => setTimeout(r, 0));
  };
  return { load, finish, started: () => started };
}

describe('oneLoadAtATime', () => {
  it('20 requests during a load cost one more load, not 20', async () => {
    const h = heldLoads();
    const loop = oneLoadAtATime(h.load);
    loop.request();
    for (let i = 0; i < 20; i++) loop.request();
    expect(h.started()).toBe(1);
    expect(loop.running()).toBe(true);
    await h.finish();
    expect(h.started()).toBe(2); // the requests heard meanwhile: one load that starts after them
    await h.finish();
    expect(h.started()).toBe(2);
    expect(loop.running()).toBe(false);
  });

  it('settled() may say the requests made meanwhile are covered: then no second load', async () => {
    const h = heldLoads();
    const loop = oneLoadAtATime(h.load, () => true);
    loop.request();
    loop.request();
    await h.finish();
    expect(h.started()).toBe(1);
  });

  it('a failed load ends the chase; the next request starts it again; nothing starts after stop()', async () => {
    const h = heldLoads();
    const loop = oneLoadAtATime(h.load);
    loop.request();
    loop.request();
    await h.finish(false);
    expect(h.started()).toBe(1);
    loop.request();
    expect(h.started()).toBe(2);
    await h.finish();
    loop.stop();
    loop.request();
    expect(h.started()).toBe(2);
  });
});
