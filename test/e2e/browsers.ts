/**
 * Which Chromium the end-to-end suite drives (issue 14, CI time; ci28).
 *
 * Debian's `chromium-headless-shell` is Chromium's own headless build (the one Playwright itself runs headless by
 * default): the same Blink, V8 and network stack, without the full browser's window, compositor and UI layers. On
 * this 2-core machine the full browser's processes spent ≈ 70 % of the e2e phase's real CPU and escaped the phase's
 * own accounting (session 27: a11y-screens alone 51.6 CPU-s by its process tree, 188 busy CPU-s by /proc/stat).
 * Measured by the machine's /proc/stat, quiet machine, same checkout (ci28): a11y-screens 214 → 154 busy CPU-s,
 * morning + admin + kiosk 149 → 88.
 *
 * The shell shows no notifications (a service worker's getNotifications() stays empty), so web-push.spec — the one
 * spec that asserts a shown notification — runs in the full browser (playwright.config.ts, project "full").
 * CHROMIUM_PATH overrides the headless one, CHROMIUM_FULL_PATH the full one; with no shell installed everything
 * runs in the full browser, as before.
 */
import { existsSync } from 'node:fs';

export const FULL_CHROMIUM = process.env.CHROMIUM_FULL_PATH ?? '/usr/bin/chromium';
const SHELL = '/usr/bin/chromium-headless-shell';
export const HEADLESS_CHROMIUM = process.env.CHROMIUM_PATH ?? (existsSync(SHELL) ? SHELL : FULL_CHROMIUM);
/**
 * The flags every launch of the suite passes (playwright.config.ts and the helpers' own launches).
 *
 * `--js-flags=--no-opt --no-maglev` (s32, issue 14, CI time): the pages' JavaScript stays on V8's interpreter and
 * baseline compiler (Ignition, Sparkplug), without the optimising tiers (Maglev, TurboFan) that compile hot functions
 * again on background threads — a spec's page lives seconds to minutes, rarely long enough to earn that back, as
 * PGlite's WebAssembly in the db/stack workers (`--no-wasm-tier-up`, ci23). Same code, same results, only the tier it
 * runs on. morning + admin + kiosk + arabic-rtl, the Chromium processes' CPU-s (three alternated pairs):
 * 69.3 / 63.0 / 60.1 → 55.0 / 53.0 / 51.6. `npm run bench:web` launches its own Chromium with V8's defaults: the
 * speed figures stay those of a patient's browser.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--js-flags=--no-opt --no-maglev',
];

/**
 * Every page of the suite asks for reduced motion (issue 14, CI time; s32). The live dot of the desk, the board, the
 * tracker and the home page pulses forever (app.css `qm-pulse`) unless the reader asks for less motion: in an open
 * page that is a new frame 60 times a second, composited in software by the headless shell, for as long as the page
 * stays open — and the specs keep a desk, a board and a phone open side by side for minutes. Measured with
 * /proc/stat on a quiet machine, morning + admin + kiosk + arabic-rtl alternated: 122 / 116 busy CPU-s with the pulse,
 * 105 / 101 without. Nothing a spec asserts moves; polish.spec proves both sides of the setting (the dot pulses for a
 * reader who did not ask, and stands still for one who did).
 */
export const SUITE_MOTION = { reducedMotion: 'reduce' } as const;
