/**
 * The board's chime before each spoken call (issue 17 "a chime before each spoken call"): two soft tones, as the
 * waiting rooms' familiar "ding-dong", so heads turn before the ticket is read out. Web Audio only (no sound file
 * to download); loaded with the first call that is announced. Never in the way of the voice: no Web Audio, a
 * context the browser keeps suspended, or any failure — it resolves at once and the call is still spoken.
 */
type Ctx = Pick<
  AudioContext,
  'state' | 'currentTime' | 'destination' | 'resume' | 'createOscillator' | 'createGain'
>;
type CtxConstructor = new () => Ctx;

/** The two tones (Hz) and how long each sounds (s); the voice starts after CHIME_MS. */
export const CHIME_TONES = [660, 880] as const;
const TONE_S = 0.32;
export const CHIME_MS = 750;

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
let shared: Ctx | null = null;

export async function playChime(
  win: { AudioContext?: CtxConstructor; webkitAudioContext?: CtxConstructor } = window as never,
): Promise<void> {
  const Context = win.AudioContext ?? win.webkitAudioContext;
  if (!Context) return;
  try {
    shared ??= new Context();
    const ctx = shared;
    // a context made outside a user's gesture starts suspended; the board's sound button was that gesture
    if (ctx.state === 'suspended') await Promise.race([ctx.resume(), wait(300)]);
    if (ctx.state !== 'running') return;
    const t0 = ctx.currentTime;
    CHIME_TONES.forEach((hz, i) => {
      const start = t0 + i * TONE_S;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.35, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + TONE_S);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + TONE_S);
    });
    await wait(CHIME_MS);
  } catch {
    // no audio device or a browser refusing Web Audio: the voice still speaks
  }
}

/** Tests only: forget the shared context. */
export const resetChimeForTests = () => {
  shared = null;
};
