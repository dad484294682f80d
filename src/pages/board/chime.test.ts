// Issue 17: a chime before each spoken call on the board. The two tones are scheduled on a running audio context;
// a browser without Web Audio, or one that keeps the context suspended, gets no chime and no wait.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHIME_MS, CHIME_TONES, playChime, resetChimeForTests } from './chime';

function fakeAudio(initial: 'running' | 'suspended', resumes: boolean) {
  const started: { hz: number; at: number }[] = [];
  class FakeContext {
    state: string = initial;
    currentTime = 5;
    destination = {};
    resume = () =>
      resumes ? Promise.resolve().then(() => void (this.state = 'running')) : new Promise<void>(() => {});
    createGain = () => {
      const param = { setValueAtTime: vi.fn(), exponentialRampToValueAtTime: vi.fn() };
      return { gain: param, connect: (n: unknown) => n };
    };
    createOscillator = () => {
      const osc = {
        type: '',
        frequency: { value: 0 },
        connect: (n: unknown) => n,
        start: (at: number) => started.push({ hz: osc.frequency.value, at }),
        stop: vi.fn(),
      };
      return osc;
    };
  }
  return { win: { AudioContext: FakeContext as never }, started };
}

describe('the board chime', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    resetChimeForTests();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('plays two rising tones, one after the other, and resolves once they have sounded', async () => {
    const { win, started } = fakeAudio('running', true);
    let done = false;
    const p = playChime(win).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(CHIME_MS - 1);
    expect(done).toBe(false);
    expect(started.map((s) => s.hz)).toEqual([...CHIME_TONES]);
    expect(started[1]!.at).toBeGreaterThan(started[0]!.at);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
  });

  it('resumes a context suspended until the sound button was pressed', async () => {
    const { win, started } = fakeAudio('suspended', true);
    const p = playChime(win);
    await vi.advanceTimersByTimeAsync(CHIME_MS);
    await p;
    expect(started).toHaveLength(2);
  });

  it('gives up at once on a context the browser keeps suspended, and without Web Audio: the voice is not held', async () => {
    const { win, started } = fakeAudio('suspended', false);
    const p = playChime(win);
    await vi.advanceTimersByTimeAsync(300);
    await p;
    expect(started).toEqual([]);
    resetChimeForTests();
    await expect(playChime({})).resolves.toBeUndefined();
  });
});
