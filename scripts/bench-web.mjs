// `npm run bench:web`: the web app's figures (issue 14), printed — never asserted in a test.
//   1. gzipped JS to first render (scripts/routeSizes.mjs): patient tracker and staff dashboard;
//   2. `npm start` until ready (/health answers 200 `ok`: database up, stack serving), first start
//      (migrations + seed) and restart, with the machine's load average (a loaded machine is slower);
//   3. what the server sends: Content-Encoding, Cache-Control, bytes on the wire for the tracker;
//   4. the tracker on a cheap phone: FCP and LCP in real Chromium under Lighthouse's mobile profile
//      (slow 4G: 150 ms RTT, 1.6 Mbps down, 750 kbps up; CPU 4× slower), via CDP throttling and the
//      browser's PerformanceObserver (Lighthouse itself is not used), median of BENCH_WEB_RUNS (default 5);
//      and how many status requests it makes on load (STATUS_RPCS: the tracker reads its visit with
//      get_tracker_view since session 13; get_visit_live is counted too, so a return to it shows). A run that
//      counts none measured nothing (the tracker renamed its request again, or never asked): it is printed
//      as a failure and the script exits 1. A read after a realtime change of the queue reached the page is that
//      change's live update, printed apart (dash24). BENCH_WEB_RUNS=10 for the issue's ≥ 10 cold loads.
//   4b. Lighthouse's own mobile audit of the tracker (performance score, LCP, FCP, TBT, bytes, unused JS;
//      median of BENCH_WEB_LH_RUNS, default 3), when lighthouse is installed: it is not a dependency (12.2.3
//      is 146 packages, 111 MB; 13.x wants Node 22) — `npm i -E --no-save lighthouse@12.2.3` adds it to
//      node_modules only. It runs offline against CHROMIUM_PATH (checked here, session 13).
// BENCH_WEB_ONLY=realtime: only steps 2 and 5 (start, then the queue change → screens samples);
// BENCH_WEB_ONLY=lighthouse: only steps 2 and 4b; BENCH_WEB_ONLY=phone: only steps 2, 3 and 4.
// BENCH_WEB_TRACE=1 prints each change's requests (ms from the desk's click). BENCH_WEB_PORT (default 54398), CHROMIUM_PATH (default /usr/bin/chromium).
// The clocks are pinned (rt26), the same way the e2e suite pins them (playwright.config.ts, test/e2e/helpers.ts):
// one offset, computed once, goes to the stack as QUEUEMED_CLOCK_OFFSET_MS (its Date, PGlite's now(), the edge
// functions' Date — supabase/local/fakeClock.ts) and to every browser context as page.clock at the same instant
// (time flows from there). The seed is made at that instant, so the demo's day is open and the realtime scenario
// runs the same at 10:00 and at 23:30 in Casablanca (unpinned, at night, the desk's emergency form never opened:
// the demo's day was over; with only the stack pinned, the desk's save never answered: the browser's day was
// another). Default: Tuesday 2026-12-01 10:00 in Africa/Casablanca by the zone files the database reads
// (QUEUEMED_ZONEINFO or /usr/share/zoneinfo — hence tsx, see package.json); BENCH_WEB_AT=<ISO instant> picks
// another instant, BENCH_WEB_AT=real keeps the machine's clock (no offset, no page.clock). The pinned instant is
// printed. Lighthouse (4b) drives its own Chromium: only the stack's clock is pinned there.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { routeSizes } from './routeSizes.mjs';
import { buildIsStale } from './sourceStamp.mjs';
import { zoneDataVersion, zoneOffsetAt } from '../supabase/local/db/zoneData.ts';

const root = new URL('..', import.meta.url).pathname;
const PORT = Number(process.env.BENCH_WEB_PORT ?? 54398);
const BASE = `http://127.0.0.1:${PORT}`;
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 5);
const ONLY_REALTIME = process.env.BENCH_WEB_ONLY === 'realtime';
const ONLY_LIGHTHOUSE = process.env.BENCH_WEB_ONLY === 'lighthouse';
const ONLY_PHONE = process.env.BENCH_WEB_ONLY === 'phone';
const LH_RUNS = Number(process.env.BENCH_WEB_LH_RUNS ?? 3);
const kib = (n) => (n / 1024).toFixed(1);
/** the RPCs that answer the tracker's visit status (FetchPublicScreensRepository.visit calls get_tracker_view) */
const STATUS_RPCS = ['get_tracker_view', 'get_visit_live'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ── the clocks ────────────────────────────────────────────────────────────────────────────────────────
const ZONE = 'Africa/Casablanca';
const ZONE_DIR = process.env.QUEUEMED_ZONEINFO ?? '/usr/share/zoneinfo';
/** The UTC instant at which the clinic's wall clock shows `day` `hh:mm`, by the database's zone files. */
function clinicInstant(day, hhmm) {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mi] = hhmm.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mi);
  for (let offset = -14 * 60; offset <= 14 * 60; offset += 15) {
    const at = wall - offset * 60_000;
    if (zoneOffsetAt(ZONE_DIR, ZONE, new Date(at)) === offset) return new Date(at).toISOString();
  }
  throw new Error(`no instant shows ${day} ${hhmm} in ${ZONE}`);
}
const AT = process.env.BENCH_WEB_AT || clinicInstant('2026-12-01', '10:00'); // a Tuesday, mid-morning
const PINNED = AT !== 'real';
if (PINNED && Number.isNaN(Date.parse(AT))) {
  console.error(`BENCH_WEB_AT is not an ISO date-time (or 'real'): ${AT}`);
  process.exit(1);
}
/** stack and browsers: now = the machine's clock + this (one number for all, computed once, as playwright.config) */
const CLOCK_OFFSET_MS = PINNED ? Date.parse(AT) - Date.now() : 0;
/** "Now" as the stack and the pinned browsers see it (epoch ms): what the pages' Date.now() says */
const clinicNow = () => Date.now() + CLOCK_OFFSET_MS;
/**
 * Every browser context shares the stack's clock: installed before its first page, at the same instant. The
 * bench's own timestamps do not use it: page.clock replaces Date and `performance` (whose entries it then hides),
 * and each page's fake clock starts from its own replay of the install — pages disagreed by tens of ms, the size
 * of what is measured. So an init script added BEFORE page.clock keeps the machine's clock for the bench:
 * `__realNow()` (performance.timeOrigin + now(), epoch ms) and `__realPerformance`, the same in every page and in
 * Playwright's request timings; realClockCheck proves it ran first.
 */
const pinClock = async (ctx) => {
  await ctx.addInitScript(() => {
    const p = performance;
    const origin = p.timeOrigin;
    const now = p.now.bind(p);
    window.__realPerformance = p;
    window.__realNow = () => Math.round(origin + now());
  });
  if (PINNED) await ctx.clock.install({ time: clinicNow() });
  return ctx;
};
/** A page's real clock really is the machine's (within 1 s; a pinned Date is CLOCK_OFFSET_MS away), else throws. */
async function realClockCheck(page) {
  const t0 = Date.now();
  const real = await page.evaluate(() => window.__realNow());
  if (Math.abs(real - t0) > 1_000)
    throw new Error(`bench-web: a page's __realNow() is ${Math.round(real - t0)} ms off the machine's clock`);
}
function clockLine() {
  if (!PINNED) return `clocks: the machine's own (BENCH_WEB_AT=real), ${new Date().toISOString()}`;
  const at = new Date(Date.parse(AT));
  const local = new Date(at.getTime() + zoneOffsetAt(ZONE_DIR, ZONE, at) * 60_000);
  const day = local.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
  return (
    `clocks pinned at ${at.toISOString()} = ${day} ${local.toISOString().slice(0, 16).replace('T', ' ')} in ${ZONE} ` +
    `(zone data ${zoneDataVersion(ZONE_DIR) ?? 'unknown'}, ${ZONE_DIR}; stack QUEUEMED_CLOCK_OFFSET_MS=${CLOCK_OFFSET_MS} ` +
    `and page.clock in every browser context; BENCH_WEB_AT=<ISO> for another instant, =real for none)`
  );
}
console.log(clockLine());

if (buildIsStale(root)) {
  console.error('dist/ is missing or older than the sources: run `npx vite build` first');
  process.exit(1);
}

// ── 1. JS to first render ──────────────────────────────────────────────────────────────────────────
const manifest = JSON.parse(readFileSync(join(root, 'dist/.vite/manifest.json'), 'utf8'));
const gz = (f) => gzipSync(readFileSync(join(root, 'dist', f)), { level: 9 }).length;
const sizes = routeSizes(manifest, gz);
console.log("gzipped JS to first render (entry + route + static imports + the reader's locale):");
for (const [route, target] of [
  ['src/pages/TrackerPage.tsx', 80],
  ['src/pages/DashboardPage.tsx', 150],
]) {
  const s = sizes[route];
  console.log(
    `  ${route.replace('src/pages/', '').padEnd(16)} ${kib(s.bytes).padStart(6)} KiB   (target ≤ ${target} KiB)`,
  );
}
const dashLocales = sizes['src/pages/DashboardPage.tsx'].files.filter((f) =>
  /\/(ar|fr|en)-[\w-]+\.js$/.test(f),
);
console.log(
  `  locale bundles loaded by the dashboard: ${dashLocales.length} (${dashLocales.join(', ') || 'none'})`,
);

// ── 2. npm start until ready ───────────────────────────────────────────────────────────────────────
const dataDir = mkdtempSync(join(tmpdir(), 'queuemed-bench-web-'));
async function startServer() {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      QUEUEMED_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // the seed (first start), the database's now() and the edge functions all run on the pinned clock
      QUEUEMED_CLOCK_OFFSET_MS: String(CLOCK_OFFSET_MS),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    try {
      const health = await fetch(`${BASE}/health`);
      if (health.ok && (await health.json()).status === 'ok') break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, ms: performance.now() - t0 };
}
/**
 * The desk (reception, signed in) adds an emergency for Dr Benali, then cancels it: each save is a queue
 * change the waiting-room board (next tickets) and Amine's tracker (place in line, same pool: any doctor) must show. Each screen
 * records in the page, with a MutationObserver, when its DOM changed; the delay is from the moment the desk's
 * save_queue_step response arrived (and from the click) to that DOM change. BENCH_WEB_SAMPLES (default 50).
 */
/**
 * A page's finished REST requests (/rest/v1/…), times on the machine's clock (epoch ms, as __realNow()). From Playwright's
 * request timing (the browser's network stack), not the page's resource timings: page.clock fakes
 * `performance`, whose getEntriesByType then answers nothing.
 */
function logRequests(page) {
  const log = [];
  page.on('requestfinished', (r) => {
    const url = r.url();
    if (!url.includes('/rest/v1/')) return;
    const t = r.timing(); // startTime: epoch ms on the machine's clock; responseEnd: ms after it
    const start = t.startTime;
    log.push({
      name: (url.match(/\/rest\/v1\/(?:rpc\/)?(\w+)/) ?? [])[1] ?? url,
      start,
      end: start + Math.max(0, t.responseEnd),
    });
  });
  return log;
}
let clockSkew = 'unmeasured';

async function realtimeToScreens() {
  const SAMPLES = Number(process.env.BENCH_WEB_SAMPLES ?? 50);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const fromSave = { board: [], tracker: [], desk: [] };
  /** per change: the desk's and the tracker's REST requests and the renders, ms from the desk's click event */
  const phases = [];
  /** Playwright's click() call → the page's click event (the bench's own overhead, not the app's) */
  const driverLag = [];
  const fromClick = { board: [], tracker: [], desk: [] };
  /** REST reads (/rest/v1/…) each watching screen made while the samples ran: what a change costs it. */
  const reads = { board: 0, tracker: 0, desk: 0 };
  /** desk25: the desk's own edge-function calls (send-sms: the messages its steps hand to the server). */
  let deskFunctionCalls = 0;
  let counting = false;
  try {
    const ctx = async () => {
      const c = await pinClock(
        await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' }),
      );
      c.setDefaultTimeout(180_000); // a loaded machine is slow, never wrong
      return c;
    };
    const english = (c) => c.addInitScript(() => localStorage.setItem('queuemed.language', 'en'));
    const [deskCtx, boardCtx, phoneCtx, desk2Ctx] = await Promise.all([ctx(), ctx(), ctx(), ctx()]);
    await Promise.all([deskCtx, boardCtx, phoneCtx, desk2Ctx].map(english));
    const desk = await deskCtx.newPage();
    const deskLog = logRequests(desk);
    desk.on('request', (r) => {
      if (counting && r.url().includes('/functions/v1/')) deskFunctionCalls++;
    });
    // the click as the person makes it: the page's own event (capture phase, before React handles it) — the
    // time Playwright's click() starts also counts its own actionability checks and round trips to the browser
    await desk.addInitScript(() => {
      window.__clicks = [];
      document.addEventListener('click', () => window.__clicks.push(window.__realNow()), {
        capture: true,
      });
    });
    await desk.goto(`${BASE}/sign-in?login=accueil%40demo.queuemed.ma&next=%2Fstaff`);
    await desk.locator('input[type=password]').fill('QueueMed-demo-2026');
    await desk.locator('form button[type=submit]').click();
    await desk.getByTestId('dashboard').waitFor({ timeout: 180_000 }); // a loaded machine is slow, never wrong
    const watch = async (c, path, testId, name, signIn = null) => {
      const page = await c.newPage();
      page.on('request', (r) => {
        if (counting && r.url().includes('/rest/v1/')) reads[name]++;
      });
      if (signIn) await signIn(page);
      else await page.goto(`${BASE}${path}`);
      await page.getByTestId(testId).waitFor({ timeout: 180_000 });
      await page.evaluate((id) => {
        // the screen's text, wherever React re-renders it: a change of it is a re-render that shows
        const w = window;
        const text = () => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
        let last = text();
        w.__changes = [];
        new MutationObserver(() => {
          const now = text();
          if (now !== last) w.__changes.push(w.__realNow());
          last = now;
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      }, testId);
      await page.waitForEvent('websocket', { timeout: 10_000 }).catch(() => undefined);
      return page;
    };
    const board = await watch(boardCtx, '/board/cabinet-anfa', 'next-tickets', 'board');
    const phone = await watch(phoneCtx, '/t/demo-visit-amine', 'tracker', 'tracker');
    // a second staff screen (the owner's desk): its queue table's "any doctor" pool shows each change
    const other = await watch(desk2Ctx, '/staff', 'pool-any', 'desk', async (page) => {
      await page.goto(`${BASE}/sign-in?login=owner%40demo.queuemed.ma&next=%2Fstaff`);
      await page.locator('input[type=password]').fill('QueueMed-demo-2026');
      await page.locator('form button[type=submit]').click();
    });
    await new Promise((r) => setTimeout(r, 2_000)); // the subscriptions joined
    counting = true;
    const count = (p) => p.evaluate(() => window.__changes.length);
    const phoneLog = logRequests(phone);
    const otherLog = logRequests(other);
    // the pinned clocks (page.clock) against the stack's: each page's Date.now() − __realNow() − the offset
    const skews = [];
    for (const p of [desk, board, phone, other]) {
      await realClockCheck(p);
      skews.push(Math.round(await p.evaluate((o) => Date.now() - window.__realNow() - o, CLOCK_OFFSET_MS)));
    }
    clockSkew = `${Math.min(...skews)}…${Math.max(...skews)} ms`;
    /** A page's REST requests started since `t0` (page clock, epoch ms), ms from t0; the log is then cleared. */
    const requestsSince = (log, t0) =>
      log
        .splice(0)
        .flatMap((r) =>
          r.start < t0 - 1
            ? []
            : [{ name: r.name, start: Math.round(r.start - t0), end: Math.round(r.end - t0) }],
        );
    const firstAfter = async (p, n) => {
      await p.waitForFunction((k) => window.__changes.length > k, n, { timeout: 60_000 });
      return p.evaluate((k) => window.__changes[k], n);
    };
    for (let i = 0; i < SAMPLES; i++) {
      const [nb, np, nd] = await Promise.all([count(board), count(phone), count(other)]);
      const saved = desk.waitForResponse((r) => r.url().includes('/rpc/save_queue_step') && r.ok(), {
        timeout: 180_000, // a loaded machine is slow, never wrong
      });
      saved.catch(() => undefined); // a step below that fails reports its own error, not this one
      let clickedAt;
      if (i % 2 === 0) {
        await desk.keyboard.press('e');
        await desk.getByLabel('Patient name').fill(`Bench ${i}`);
        await desk.getByLabel('Doctor').selectOption('any'); // Amine's pool: ahead of him on his tracker
        await desk.getByLabel('Reason').fill('Bench');
        clickedAt = Date.now();
        await desk.getByRole('button', { name: 'Add to queue' }).click();
      } else {
        const r = desk.locator('tr', { hasText: `Bench ${i - 1}` }).first();
        await r.getByRole('button', { name: /More actions for/ }).click();
        await desk.getByRole('menuitem', { name: 'Cancel' }).click(); // the open menu (a portal)
        clickedAt = Date.now();
        await desk.getByRole('dialog').locator('button[type=submit]').click();
      }
      await saved;
      let savedAt = Date.now();
      const [tb, tp, td] = await Promise.all([
        firstAfter(board, nb),
        firstAfter(phone, np),
        firstAfter(other, nd),
      ]);
      // the page's own times (epoch ms): the desk's click event and its requests, the tracker's reads
      const clickAt = await desk.evaluate(() => window.__clicks[window.__clicks.length - 1]);
      if (clickAt !== undefined) {
        driverLag.push(clickAt - clickedAt);
        clickedAt = clickAt;
      }
      const [deskReqs, phoneReqs, otherReqs] = await Promise.all([
        requestsSince(deskLog, clickedAt),
        requestsSince(phoneLog, clickedAt),
        requestsSince(otherLog, clickedAt),
      ]);
      const save = deskReqs.find((r) => r.name === 'save_queue_step');
      if (save) savedAt = clickedAt + save.end; // when the page had the answer, not when Playwright heard of it
      phases.push(deskReqs.map((r) => ({ ...r, name: `desk ${r.name}` })));
      phases.push(phoneReqs.map((r) => ({ ...r, name: `tracker ${r.name}` })));
      // the 2nd desk's reads share the stack's one database with the desk's save and store (PGlite: one at a time)
      phases.push(otherReqs.map((r) => ({ ...r, name: `2nd desk ${r.name}` })));
      phases.push([{ name: 'tracker rendered', start: tp - clickedAt, end: tp - clickedAt }]);
      phases.push([{ name: 'board rendered', start: tb - clickedAt, end: tb - clickedAt }]);
      fromSave.board.push(tb - savedAt);
      fromSave.tracker.push(tp - savedAt);
      fromSave.desk.push(td - savedAt);
      fromClick.board.push(tb - clickedAt);
      fromClick.tracker.push(tp - clickedAt);
      fromClick.desk.push(td - clickedAt);
      await desk.getByRole('dialog').waitFor({ state: 'detached' });
    }
    await new Promise((r) => setTimeout(r, 1_000)); // reads a change started are counted too
    counting = false;
  } finally {
    await browser.close();
  }
  const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
  const line = (xs) => `p50 ${pct(xs, 0.5)} ms, p95 ${pct(xs, 0.95)} ms, max ${Math.max(...xs)} ms`;
  console.log(`
a queue change at the desk → the other screens re-rendered (${SAMPLES} samples, Chromium; load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${os.cpus().length} cores; ${clockLine()}):`);
  console.log(`  board   from the save's response: ${line(fromSave.board)}   (target p95 < 300 ms)`);
  console.log(`  tracker from the save's response: ${line(fromSave.tracker)}`);
  console.log(`  2nd desk from the save's response: ${line(fromSave.desk)}`);
  console.log(`  board   from the click:           ${line(fromClick.board)}`);
  console.log(`  tracker from the click:           ${line(fromClick.tracker)}`);
  console.log(`  2nd desk from the click:          ${line(fromClick.desk)}`);
  console.log(
    `  (from the click = from the page's own click event; Playwright's click() call came before it by ${line(driverLag)})`,
  );
  console.log(
    `  (timed on the machine's clock in every page; the pages' pinned clocks vs the stack's: ${clockSkew}, not used for timing)`,
  );
  // the desk's requests between its click and the save's answer, by name: when sent and how long each took
  const byName = new Map();
  for (const reqs of phases)
    for (const r of reqs) {
      const b = byName.get(r.name) ?? { n: 0, start: [], took: [] };
      b.n++;
      b.start.push(r.start);
      b.took.push(r.end - r.start);
      byName.set(r.name, b);
    }
  if (process.env.BENCH_WEB_TRACE)
    for (const reqs of phases)
      console.log(`    ${reqs.map((r) => `${r.name} ${r.start}→${r.end}`).join(', ')}`);
  console.log(
    "  where a change's time goes, ms from the desk's click event (p50 of each; requests by page):",
  );
  for (const [name, b] of byName)
    console.log(
      `    ${name.padEnd(32)} ${(b.n / SAMPLES).toFixed(2)} per change, at ${pct(b.start, 0.5)}, took ${pct(b.took, 0.5)} (p95 ${pct(b.took, 0.95)})`,
    );
  console.log(
    `  REST reads during the ${SAMPLES} changes: board ${reads.board}, tracker ${reads.tracker}, 2nd desk ${reads.desk}`,
  );
  const per = (n) => (n / SAMPLES).toFixed(2);
  console.log(
    `  REST reads per change:            board ${per(reads.board)}, tracker ${per(reads.tracker)} (target ≤ 1), 2nd desk ${per(reads.desk)}`,
  );
  console.log(`  the desk's edge-function calls per change (send-sms): ${per(deskFunctionCalls)}`);
}

const stop = (child) => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM')));
const first = await startServer();
await stop(first.child);
const server = await startServer();
console.log(
  `\nnpm start until /health is ok (dist/ up to date, so no build; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores):`,
);
console.log(`  first start (migrations + seed)  ${(first.ms / 1000).toFixed(1)} s`);
console.log(`  restart                          ${(server.ms / 1000).toFixed(1)} s   (target < 5 s)`);

try {
  if (!ONLY_REALTIME && !ONLY_LIGHTHOUSE) await wireAndPhone();
  if (!ONLY_REALTIME && !ONLY_PHONE) await lighthouseMobile();
  // ── 5. a queue change → the board and the tracker re-rendered ─────────────────────────────────────
  if (!ONLY_LIGHTHOUSE && !ONLY_PHONE)
    await realtimeToScreens().catch((e) => {
      // the usual cause: the demo's day is over at that instant (evening), so the desk's emergency form never opens
      console.error(
        `\nthe realtime scenario failed (${clockLine()}): is the demo clinic open then? ` +
          'Leave BENCH_WEB_AT unset (a weekday mid-morning) or pick an instant in its opening hours.',
      );
      throw e;
    });
} finally {
  await stop(server.child);
  rmSync(dataDir, { recursive: true, force: true });
}

async function wireAndPhone() {
  // ── 3. what goes over the wire ─────────────────────────────────────────────────────────────────────
  const trackerFiles = sizes['src/pages/TrackerPage.tsx'].files;
  let wire = 0;
  let raw = 0;
  const encodings = new Set();
  for (const f of trackerFiles) {
    const res = await fetch(`${BASE}/${f}`, { headers: { 'accept-encoding': 'br, gzip' } });
    const body = Buffer.from(await res.arrayBuffer()); // fetch decodes; the header says what was sent
    raw += body.length;
    wire += Number(res.headers.get('content-length') ?? body.length);
    encodings.add(
      `${res.headers.get('content-encoding') ?? 'identity'} / ${res.headers.get('cache-control')}`,
    );
  }
  const html = await fetch(`${BASE}/t/demo-visit-amine`, { headers: { 'accept-encoding': 'br, gzip' } });
  console.log('\nwhat the server sends for the tracker:');
  console.log(
    `  JS: ${trackerFiles.length} files, ${kib(raw)} KiB → ${kib(wire)} KiB on the wire; ${[...encodings].join('; ')}`,
  );
  console.log(
    `  index.html: ${html.headers.get('content-encoding') ?? 'identity'} / ${html.headers.get('cache-control')}; ` +
      `modulepreload of the route's chunk: ${/modulepreload/.test(await html.text()) ? 'yes' : 'no'}`,
  );

  // ── 4. the tracker on a cheap phone ────────────────────────────────────────────────────────────────
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const fcp = [];
  const lcp = [];
  const statusRequests = [];
  /** per run: realtime changes of the queue heard / status reads after the first of them */
  const liveUpdates = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const ctx = await pinClock(
        await browser.newContext({
          viewport: { width: 412, height: 823 },
          deviceScaleFactor: 1.75,
          isMobile: true,
          hasTouch: true,
          locale: 'fr-MA',
        }),
      );
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      const n = Object.fromEntries(STATUS_RPCS.map((f) => [f, 0]));
      // a read after a realtime change of the queue reached the page is the live update of that change (the
      // server's estimates store touching the row, a desk's step), not the load's (dash24: the stack's first
      // estimates tick, a minute after start, had been counted as a second status request on load)
      let changes = 0;
      let liveReads = 0;
      page.on('websocket', (ws) =>
        ws.on('framereceived', (f) => {
          if (/"event":"postgres_changes"/.test(String(f.payload))) changes += 1;
        }),
      );
      page.on('request', (r) => {
        const fn = /\/rest\/v1\/rpc\/([\w]+)/.exec(r.url())?.[1];
        if (fn && fn in n) {
          if (changes > 0) liveReads += 1;
          else n[fn] += 1;
        }
      });
      await page.addInitScript(() => {
        const w = window;
        w.__lcp = 0;
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) w.__lcp = e.startTime;
        }).observe({ type: 'largest-contentful-paint', buffered: true });
      });
      await page.goto(`${BASE}/t/demo-visit-amine`);
      await page.getByTestId('tracker-ticket').waitFor();
      await realClockCheck(page);
      // the server that rendered the first view read the status once and embedded it (lcp23): that is the one
      if (await page.locator('script#qm-seed').count()) n.server_seed = 1;
      await page.waitForLoadState('networkidle');
      // the live subscription joins after the first render; count the requests it triggers too
      await page.waitForEvent('websocket', { timeout: 10_000 }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 3_000));
      const m = await page.evaluate(() => ({
        // page.clock's fake `performance` has no entries: the real one, kept before it (pinClock)
        fcp: window.__realPerformance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
        lcp: window.__lcp,
      }));
      fcp.push(m.fcp);
      lcp.push(m.lcp);
      statusRequests.push(n);
      liveUpdates.push(`${changes}/${liveReads}`);
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`\nthe tracker on a cheap phone (slow 4G + 4× CPU, cold cache, Chromium; median of ${RUNS}):`);
  console.log(
    `  FCP ${(median(fcp) / 1000).toFixed(2)} s   LCP ${(median(lcp) / 1000).toFixed(2)} s   (target LCP < 1.5 s)`,
  );
  const counted = [...STATUS_RPCS, 'server_seed'];
  const perRun = statusRequests.map((n) => counted.reduce((s, f) => s + (n[f] ?? 0), 0));
  const byRpc = counted.map((f) => `${f} ${statusRequests.map((n) => n[f] ?? 0).join('/')}`).join(', ');
  console.log(`  status requests on load: ${perRun.join(', ')}   (target 1; per run: ${byRpc})`);
  console.log(
    `  live changes heard during the run / status reads after them (not counted above): ${liveUpdates.join(', ')}`,
  );
  if (perRun.some((c) => c === 0)) {
    console.error(
      `  FAILED: a run counted no status request (${STATUS_RPCS.join(' or ')}): the count measured nothing — ` +
        'see which RPC the tracker calls (src/services/queue/repositories/FetchPublicScreensRepository.ts) ' +
        'and update STATUS_RPCS in scripts/bench-web.mjs',
    );
    process.exitCode = 1;
  }
}

// ── 4b. Lighthouse's mobile audit of the tracker (optional: see the header) ─────────────────────────────
async function lighthouseMobile() {
  let lighthouse;
  let launch;
  try {
    ({ default: lighthouse } = await import('lighthouse'));
    ({ launch } = await import('chrome-launcher'));
  } catch {
    console.log(
      '\nLighthouse (mobile): not installed — `npm i -E --no-save lighthouse@12.2.3`, then run this again',
    );
    return;
  }
  const chrome = await launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const runs = [];
  try {
    for (let i = 0; i < LH_RUNS; i++) {
      // default config: mobile form factor, simulated slow 4G + 4× CPU (Lighthouse's own throttling model)
      const r = await lighthouse(`${BASE}/t/demo-visit-amine`, {
        port: chrome.port,
        onlyCategories: ['performance'],
        output: 'json',
        logLevel: 'error',
      });
      if (r?.lhr.runtimeError) throw new Error(`lighthouse: ${r.lhr.runtimeError.message}`);
      runs.push(r.lhr);
    }
  } finally {
    await chrome.kill();
  }
  const of = (f) => median(runs.map(f));
  const ms = (id) => of((l) => l.audits[id].numericValue);
  console.log(
    `\nLighthouse ${runs[0].lighthouseVersion} mobile, the tracker (median of ${LH_RUNS}; load average ` +
      `${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores — TBT and the score follow the load):`,
  );
  console.log(
    `  performance ${Math.round(of((l) => l.categories.performance.score) * 100)}   (target ≥ 95)   ` +
      `LCP ${(ms('largest-contentful-paint') / 1000).toFixed(2)} s (target < 1.5 s)   ` +
      `FCP ${(ms('first-contentful-paint') / 1000).toFixed(2)} s   TBT ${Math.round(ms('total-blocking-time'))} ms`,
  );
  console.log(
    `  bytes ${kib(ms('total-byte-weight'))} KiB   unused JS ${kib(of((l) => l.audits['unused-javascript'].details?.overallSavingsBytes ?? 0))} KiB`,
  );
}
