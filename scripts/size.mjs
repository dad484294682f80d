// `npm run size`: gzipped JavaScript each route loads before its first render (entry + the route's chunk +
// their static imports + what it loads on demand before showing anything, e.g. supabase-js for the staff
// screens + the reader's language bundle; scripts/routeSizes.mjs), from Vite's build manifest.
// Fails when a route is over its budget.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { routeSizes } from './routeSizes.mjs';

const dist = new URL('../dist/', import.meta.url).pathname;
const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error('dist/.vite/manifest.json missing: run `npx vite build` first');
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
// Ceilings that keep what was won, with a little room for the texts and fields being added this session (issue 14's targets are tracker ≤ 80, dashboard ≤ 150: `npm run bench:web`).
// The dashboard's 340 is not growth: the count had silently lost supabase-js and the services (browserApp.ts,
// ≈ 105 KiB) when supabase-js stopped being a chunk of its own; honest figure 337.9 KiB (session 5).
const BUDGETS = {
  // session 9 (size9): error messages and the desk's strings load on demand, the board's QR code after the
  // queue, the rows' ⋯ menu with DeskRecords — tracker 114.8 → 111.7, board 122.6 → 111.1, dashboard
  // 294.9 → 267.3. The ceilings keep what was won, with ~1.3–4.7 KiB of room for what comes next.
  'src/pages/TrackerPage.tsx': 113,
  'src/pages/BoardPage.tsx': 113,
  // session 11 (size12): luxon's few uses on Intl (shared/models/ZonedTime.ts) and supabase-js's storage client
  // an inert stand-in (composition/noStorage.ts) — dashboard 269.7 → 243.6, My visits 269.3 → 243.1, admin
  // 271.3 → 245.1, kiosk 258.6 → 232.4; those three get budgets of their own. ~1.4–1.9 KiB of room.
  // Dashboard 245 → 247 in session 11: realtime deltas (rt12: QueueDeltas, QueueService.applyChange) +1.0 KiB.
  'src/pages/DashboardPage.tsx': 247,
  'src/pages/MyVisitsPage.tsx': 245,
  // Admin 247 → 249 in session 11: the WhatsApp sender/templates section (whatsapp12) and the command trace
  // (reports12) added 2.0 KiB to its first chunk; a deliberate, feature-paid raise.
  'src/pages/AdminPage.tsx': 249,
  // Kiosk 234 → 234.5 in session 12 (cmd12, issue 12): the composition root ships SupabaseQueueRepository and
  // QueueService to the kiosk too, and their delta loads + early turns add 0.45 KiB (233.6 → 234.06); they
  // halve the server's CPU per queue command under contention. Paid by the desk, not by the kiosk's own code.
  'src/pages/KioskPage.tsx': 234.5,
};

const gz = new Map();
const sizeOf = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  return gz.get(file);
};

let failed = false;
const rows = Object.entries(routeSizes(manifest, sizeOf))
  .map(([r, { bytes }]) => {
    const kb = bytes / 1024;
    const budget = BUDGETS[r];
    const over = budget !== undefined && kb > budget;
    if (over) failed = true;
    return {
      route: r.replace('src/pages/', '').replace('.tsx', ''),
      kb: kb.toFixed(1),
      budget: budget ?? '',
      status: budget === undefined ? '' : over ? 'OVER' : 'ok',
    };
  })
  .sort((a, b) => Number(a.kb) - Number(b.kb));
console.log('gzipped JS per route (entry + route + static imports + one locale), KiB:');
for (const r of rows)
  console.log(
    `  ${r.route.padEnd(16)} ${r.kb.padStart(7)} KiB ${r.budget ? `(budget ${r.budget} KiB) ${r.status}` : ''}`,
  );
if (failed) {
  console.error('size budget exceeded');
  process.exit(1);
}
