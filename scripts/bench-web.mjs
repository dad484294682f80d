// `npm run bench:web`: the web app's figures (issue 14), printed — never asserted in a test.
//   1. gzipped JS to first render (scripts/routeSizes.mjs): patient tracker and staff dashboard;
//   2. `npm start` until ready (/config.json answers), first start (migrations + seed) and restart;
//   3. what the server sends: Content-Encoding, Cache-Control, bytes on the wire for the tracker;
//   4. the tracker on a cheap phone: FCP and LCP in real Chromium under Lighthouse's mobile profile
//      (slow 4G: 150 ms RTT, 1.6 Mbps down, 750 kbps up; CPU 4× slower), via CDP throttling and the
//      browser's PerformanceObserver (Lighthouse itself is not used), median of BENCH_WEB_RUNS (default 5);
//      and how many get_visit_status requests it makes on load.
// BENCH_WEB_PORT (default 54398), CHROMIUM_PATH (default /usr/bin/chromium).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { routeSizes } from './routeSizes.mjs';
import { buildIsStale } from './sourceStamp.mjs';

const root = new URL('..', import.meta.url).pathname;
const PORT = Number(process.env.BENCH_WEB_PORT ?? 54398);
const BASE = `http://127.0.0.1:${PORT}`;
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 5);
const kib = (n) => (n / 1024).toFixed(1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${BASE}/config.json`)).ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, ms: performance.now() - t0 };
}
const stop = (child) => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM')));
const first = await startServer();
await stop(first.child);
const server = await startServer();
console.log('\nnpm start until ready (dist/ up to date, so no build):');
console.log(`  first start (migrations + seed)  ${(first.ms / 1000).toFixed(1)} s`);
console.log(`  restart                          ${(server.ms / 1000).toFixed(1)} s   (target < 5 s)`);

try {
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
  try {
    for (let i = 0; i < RUNS; i++) {
      const ctx = await browser.newContext({
        viewport: { width: 412, height: 823 },
        deviceScaleFactor: 1.75,
        isMobile: true,
        hasTouch: true,
        locale: 'fr-MA',
      });
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
      let n = 0;
      page.on('request', (r) => r.url().includes('/rpc/get_visit_status') && n++);
      await page.addInitScript(() => {
        const w = window;
        w.__lcp = 0;
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) w.__lcp = e.startTime;
        }).observe({ type: 'largest-contentful-paint', buffered: true });
      });
      await page.goto(`${BASE}/t/demo-visit-amine`);
      await page.getByTestId('tracker-ticket').waitFor();
      await page.waitForLoadState('networkidle');
      const m = await page.evaluate(() => ({
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
        lcp: window.__lcp,
      }));
      fcp.push(m.fcp);
      lcp.push(m.lcp);
      statusRequests.push(n);
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`\nthe tracker on a cheap phone (slow 4G + 4× CPU, cold cache, Chromium; median of ${RUNS}):`);
  console.log(
    `  FCP ${(median(fcp) / 1000).toFixed(2)} s   LCP ${(median(lcp) / 1000).toFixed(2)} s   (target LCP < 1.5 s)`,
  );
  console.log(`  get_visit_status requests on load: ${statusRequests.join(', ')}   (target 1)`);
} finally {
  await stop(server.child);
  rmSync(dataDir, { recursive: true, force: true });
}
