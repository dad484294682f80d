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
  // session 12 (size14): no i18next in the browser — every screen renders with the light translator
  // (src/i18n/translator.ts, compared with i18next key by key in translator.test.ts): tracker 112.2 → 95.9,
  // board 111.7 → 95.4. What is left on the tracker's path is react-dom (63.5), zod/mini in the public screens'
  // port (6.8) and the locale (3.5): issue 14's 80 needs a smaller React or no runtime validation.
  // session 13 (size15): the public screens' port parses with shared/lightSchema.ts instead of zod/mini
  // (6.8 KiB): tracker 95.8 → 90.1, board 95.1 → 89.4. What is left is react-dom (63.5 of the 90).
  'src/pages/TrackerPage.tsx': 91,
  'src/pages/BoardPage.tsx': 90.5,
  // session 11 (size12): luxon's few uses on Intl (shared/models/ZonedTime.ts) and supabase-js's storage client
  // an inert stand-in (composition/noStorage.ts) — dashboard 269.7 → 243.6, My visits 269.3 → 243.1, admin
  // 271.3 → 245.1, kiosk 258.6 → 232.4; those three get budgets of their own. ~1.4–1.9 KiB of room.
  // Dashboard 245 → 247 in session 11: realtime deltas (rt12: QueueDeltas, QueueService.applyChange) +1.0 KiB.
  // Admin 247 → 249 in session 11: the WhatsApp sender/templates section (whatsapp12) and the command trace
  // (reports12) added 2.0 KiB to its first chunk; a deliberate, feature-paid raise.
  // Session 12 (size14), i18next + react-i18next out (≈ 16.3 KiB): dashboard 245.5 → 229.2, My visits
  // 244.3 → 228.0, admin 247.5 → 231.2, kiosk 233.6 → 217.3.
  // Then cmd12 (issue 12): delta loads + early turns in SupabaseQueueRepository / QueueService, which every
  // staff screen's composition root ships, +0.45 KiB (kiosk 218.1 → 218.6, dashboard 230.1 → 230.5); each
  // budget +1.5 KiB over what was measured after both, for the desk's realtime work landing beside them.
  // Session 13 (size15): patient messaging loads on the first event (composition/notifyLater.ts), API keys and
  // notification admin with their admin tabs: dashboard 231.2 → 222.1, My visits 229.7 → 220.6, admin
  // 232.8 → 229.2, kiosk 218.9 → 209.8. Budgets = measured + ~1 KiB.
  // Then the same session's other branches, merged after size15 measured, paid for features on every staff
  // screen: fluid bookings (fluid17: BookingMode, fluidDays/bookFluid in the booking repository), one mutation
  // in flight per button (q12: useSingleFlight), the one-call queue turn (lat12), the email-bounce notice on My
  // visits (push20b): dashboard 222.1 → 223.6, My visits 220.6 → 222.7, admin 229.2 → 231.4, kiosk 209.8 →
  // 211.3. Budgets = merged figure + ~1 KiB — still 8–9 KiB under session 12's.
  // Session 14 (dash14): realtime-js and its phoenix socket load on the first subscription, after the first
  // render (composition/lazyRealtime.ts, aliased in vite.config.ts): 14.7 KiB off each signed-in screen —
  // dashboard 223.6 → 208.9, My visits 222.7 → 208.0, admin 231.4 → 216.6, kiosk 211.3 → 196.6. Budgets =
  // measured + ~1 KiB. What is left on the dashboard's path: react-dom 63.5, classic zod 25.2 (zod/mini would
  // be ~12.6 for the same checks, but the REST and MCP schemas extend the services' input schemas), auth-js 24.5.
  // Session 15 (size15b): src/ validates with zod/mini (services/shared/zod.ts, with classic's English messages;
  // REST/MCP stay classic and build on the services' schemas; scripts/zod-to-mini.mjs converts): 14.1 KiB off
  // each signed-in screen — dashboard 209.7 → 195.6, My visits 208.9 → 194.8, admin 217.5 → 203.4, kiosk
  // 197.4 → 183.3. Budgets = measured + ~1 KiB. Left on the dashboard's path: react-dom 63.5, auth-js 24.5,
  // queue services + domain 22.5 (aggregate 5.1, estimator 4.7), zod/mini 11.2, query-core 10.5.
  // wait16c (same session): the estimator's thin-bucket shrink and learning caches, ≈ 0.4 KiB on each of these
  // first renders — inside the 1 KiB of room above, so the budgets stay.
  // Session 15 (desk17, issue 17 "Book a visit" at the desk): the dialog, its pickers, its strings and the
  // booking flow (deskBook.ts) are lazy chunks; what stays is the button + its lazy loader on the dashboard
  // (+0.28 KiB) and, in the staff services every staff screen loads (browserApp), the new repository method
  // (staff_find_or_create_patient) and BookingService's deskBook stub (+0.2): dashboard 209.7 → 210.21,
  // My visits 208.9 → 209.13, admin 217.5 → 217.74 (kiosk 197.4 → 197.5 fits). After the three merged:
  // dashboard 196.6 (its budget exactly) → 197.0, the others fit.
  // Session 16 (size14d): supabase-js's auth client gets inert stand-ins for its admin API and WebAuthn helpers
  // (vite.config.ts authJsStubs, −3.9 KiB), and QueueService loads the aggregate + wait estimator beside its
  // first read (lazyQueueDomain.ts → the queueDomain chunk, −12.7 KiB): dashboard 197.0 → 180.4, kiosk
  // 184.3 → 167.8, My visits 196.4 → 179.8, admin 204.6 → 188.1. Budgets = measured + 0.6 KiB (issue 14: a
  // regression fails). Tracker and board unchanged (90.4 / 89.7): an own /t/ shell without the router measured
  // −0.2 on the tracker and +0.7 on every other screen (one more chunk each), so it was not kept.
  // Session 17 (kiosk17): the kiosk runs on a paired device token and asks for the ticket AND the phone's last 4
  // digits; its use cases (appointment/kiosk.ts), its adapter (supabaseKiosk.ts), its hooks (useKiosk.ts) and the
  // staff side (pages/kiosk/KioskPairing.tsx) are lazy chunks. What stays in the staff services every staff screen
  // loads: BookingService's and SupabaseBookingRepository's five kiosk stubs and two error codes, +0.1 KiB on the
  // dashboard (180.9 → 181.04) → 181.1. The kiosk's own first render (second field, unpaired state, the device
  // query and token store): 168.2 → 168.6 → 168.7.
  // Session 17, nine security/feature branches merged side by side, each measured within its own budget: the
  // new error codes every staff screen's AppError/locale carries (KIOSK.*, VISIT.LINK_EXPIRED,
  // BOOKING.PHONE_NOT_CONFIRMED, CLINIC.NAME_NOT_ALLOWED, RATE.LIMITED from the auth gateway), the kiosk's lazy
  // loaders in the shared booking code, the fluid reminder hour field and the "SMS held until approved" note on
  // admin. Merged: kiosk 168.71, dashboard 181.12, admin 188.94 (2-decimal figures from here on). Budgets =
  // merged + ~0.3 KiB.
  'src/pages/DashboardPage.tsx': 181.4,
  // Session 15 (fluid17c): a fluid visit's "Another day" move on My visits (its dialog next to the slot
  // reschedule, its hook and 3 strings) adds ≈ 0.46 KiB; lazy-loading the dialog measured the same (its preload
  // list costs as much as the code). After all merged: My visits 196.1 → 196.6; admin 204.4 (the fluid reminder's
  // label and kind list, desk17's staff service stub) → 205.0. With turn12c (the turn's line on the staff path)
  // the final build measured kiosk 184.3 (at its budget) and dashboard 197.0 (at its): kiosk → 185.0,
  // dashboard → 197.6.
  'src/pages/MyVisitsPage.tsx': 180.4,
  'src/pages/AdminPage.tsx': 189.3,
  'src/pages/KioskPage.tsx': 169.0,
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
      kb: kb.toFixed(2),
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
