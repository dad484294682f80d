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
  // session 18 (size14f): everything the entry imports statically in one chunk (vite.config.ts codeSplitting
  // 'boot': react, react-dom, the jsx runtime and the preload helper had been four files, each gzipped apart),
  // −1.0 KiB on every screen; the desk's transfer/pause strings moved to its `dash` section and the booking
  // strings to a `booking` section (pageStrings.ts), −0.9 KiB off the core locale every screen loads: tracker
  // 90.58 → 88.68, board 89.76 → 87.88. Budgets = measured + 0.3 KiB. Left on the tracker's first load: react +
  // react-dom + scheduler 66.9 of the 88.7, the ar core locale 2.8, the page and its port ≈ 19 — issue 14's 80
  // needs ≈ 9 KiB more off the app's own code with React 19 (see the size14f report).
  // Merged with board18 (the paired board key kept in storage and sent with each read; the 'not paired' hint):
  // board 88.36 → budget 88.7. Session 19: the chime's loader and per-room boards (?rooms=, its label in ar/fr/en): 88.78 → budget 89.0.
  // Session 20 (size20): what the light screens load after the entry in two codeSplitting groups, `common` and
  // `public` (vite.config.ts), and the language menu + error wrapper in the entry's `boot` chunk, instead of 13
  // separately gzipped files: tracker 88.96 → 87.11 (6 files), board 88.79 → 87.74. Budgets = measured + 0.2 KiB.
  // Left on the tracker: React 19 alone 65.85 (react-dom + react + scheduler, as this build minifies them), the ar
  // core locale 3.0, the app's own code 18.3 — issue 14's 80 leaves it 11.1.
  // Session 20 merged (size20's chunk groups + dir20, doctor20, board20, sec20, fix20, fix20b: error codes in every
  // screen's texts, services.directory()/boardBranding() in the composition roots): 87.39 → budget 87.59.
  // Session 21 (size21): no change of its own (87.39 → 87.27, the entry's alias list); budget = measured + 0.2.
  // Session 22 (trk22): one read per queue change — the tracker waits for the estimates' touch after a bump
  // (usePublicScreens) and no longer reads the running-late note beside the view (+0.09); with flake22's
  // same-version re-read and mend22's 'not known yet' rule: set at the merge to the measured figure + 0.2.
  // lcp23: +0.57 — hydrating the server's first view (react-dom's hydrateRoot 0.18, the seed's read, context and port
  // wrapper, the saved language's cookie, the push offer's inert hint that the server paints): 87.69 → 88.27.
  // lcp23b: what reads the seed and hydrates (src/seededBoot.tsx) and the seed's context (hooks/trackerSeed.tsx) come
  // with the tracker's chunk instead of the entry every screen loads (dashboard 150.29 → 150.20, board 88.85 → 88.74,
  // admin 169.07 → 168.94): the tracker carries them, 88.26 → 88.39 (react-dom's hydrateRoot stays in the entry: it
  // is part of react-dom's client module, which the entry holds). Merged with session 23's other branches (mend23,
  // fix23a/b): 88.40 measured → budget 88.6.
  // trk25: the tracker renders what the estimates store pushes (the hook's merge of a push, the port's lazy
  // visitFeed, the channel's broadcast join; the topic, schema and merge are a lazy chunk): 88.40 → 88.68, budget 88.7.
  // Session 25 merged (trk25's push handling, the lead's decision): 88.71 measured → budget 88.8; fix25b's push
  // channel status + newest-version-heard guard (mreview25 F3/F4): 88.81 → 88.9.
  // sock26: one socket for the feed and the push topic (a multi-channel client), the topic from the read — paid by
  // deletions in the shared port (one request helper, queueVersion's own fetch gone): 88.84 → 88.83 (board 89.19 → 89.19).
  // fin28b: the server-drawn buttons wait for hydration (useHydrated; a tap before it was lost): 88.9 → 88.95.
  'src/pages/TrackerPage.tsx': 88.95,
  // Session 20 merged (size20's chunk groups + dir20, doctor20, board20, sec20, fix20, fix20b: error codes in every
  // screen's texts, services.directory()/boardBranding() in the composition roots): 88.23 → budget 88.43.
  // Session 21 (size21): 88.24 → 88.11; budget = measured + 0.2.
  // Session 22 merged (trk22's usePublicScreens, sec22a/fluid22/mail22 error texts shared by every screen): 88.37 → 88.57.
  // lcp23: the entry's hydrate path and language cookie (+0.28): 88.57 → 88.86.
  // trk25: the same shared hook/port/channel code (+0.17): → 89.03, budget 89.05.
  // Session 25 merged (trk25's push handling, the lead's decision): 89.06 measured → budget 89.15; fix25b (the
  // shared hook): 89.17 → 89.25. Session 27: rt27's per-channel backoff and stale-close match (paid for by dropping a
  // dead schema) and the lead's rest-not-give-up for a refused push (mreview27 M2): 91 393 B, 1 B over → 89.3.
  'src/pages/BoardPage.tsx': 89.3,
  // dir20: the /clinics route (its own chunk) adds its entry to the router's table and its chunk list to the
  // entry's preload map, on every screen: tracker 88.96 → 89.06 (board 88.79 → 88.89, under its 89.0).
  // board20: four error codes (KIOSK.WALK_INS_OFF, BOARD.LOW_CONTRAST/LOGO_INVALID/ROOM_UNKNOWN) in the core ErrorCodes
  // and the locale's error texts every page carries (+0.15 on the tracker: 88.96 → 89.11); the board also the paired
  // screen's rooms and the branding's hook and style (its schema loads after the first render): 88.79 → 89.16.
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
  // Session 18 (size14f): the 'boot' chunk (−1.0 KiB), auth-js's Ethereum sign-in helpers an inert stand-in
  // (composition/noWeb3.ts, −0.5), the booking adapters behind a lazy port (composition/lazyPort.ts, loaded on
  // the first booking call: −1.3 on the desk and admin, +1.3 on the screens whose first render books or lists
  // visits, which preload them: My visits, a clinic's page, the kiosk), the booking strings out of the core
  // (−0.4): dashboard 181.12 → 177.74, admin 188.94 → 185.59, My visits 179.74 → 179.10, kiosk 168.71 → 167.53.
  // Budgets = measured + 0.3 KiB.
  // kiosk17f's walk-in/pairing-code methods in the shared booking service and its port (+0.17): 178.16 → 178.4.
  // session 19: MEMBER.LAST_OWNER / MEMBER.HAS_HISTORY in the core ErrorCodes every page carries and the clinic
  // page's settled-cards hook (+0.17): 178.25 → 178.42 → budget 178.6.
  // types19: a visit type's names per language, colour and doctors in the clinic and booking adapters, the
  // clinic service's add/edit of a type, BOOKING.PRACTITIONER_NOT_OFFERED (every screen's data layer; the types
  // tab's screen code is a lazy chunk): 178.25 → 178.54; with team19 and flakewl19: 178.71 → budget 179.0.
  // hours19: a doctor's hours and leave — four error codes (PRACTITIONER.ON_LEAVE/OFF_HOURS, LEAVE.*) every staff screen
  // can be refused with, and the lazy doctor-schedule service's loader in the browser services (its service, adapter,
  // screen and strings are their own chunks), each doctor's sessions in the wait history, and free slots by doctor in
  // the shared booking service: 178.25 → 178.46; merged with team19, types19, flakewl19: 178.94 → budget 179.0 (unchanged).
  // Session 20 (size20): the `common` group (the small modules every screen but the home/sign-in pages loads, one
  // file instead of seven) and the language menu + error wrapper in `boot`: 178.95 → 177.07 (measured + 0.2, issue
  // 14: a regression fails). doctor20 (issue 17): each queue row shows its visit type's colour as a dot and its name
  // in the desk's language (get_queue's types carry colour and names; no new request): +0.12.
  // Session 20 merged (size20's chunk groups + dir20, doctor20, board20, sec20, fix20, fix20b: error codes in every
  // screen's texts, services.directory()/boardBranding() in the composition roots): 177.86 → budget 178.06.
  // Session 21 (size21): supabase-js's auth client, its edge-function client and tslib load after the first render
  // (composition/lazyAuth.ts: the first reads use the stored, fresh session; composition/lazyFunctions.ts: the
  // first SMS), and what the signed-in screens all load from the services (zod/mini, the models and schemas
  // they share, trace, phone input) is one `staff` chunk instead of seven, and the four files every
  // react-query screen loads first one `shell` chunk (vite.config.ts): 177.87 → 158.81. Budget = measured + 0.2.
  // Session 22 (size22): BookingService loads with its adapters on the first booking call (composition/lazyPort.ts
  // lazyService), WorkingHours + ClosedDates when hours or a time zone are checked (ClinicService): 158.85 → 155.24;
  // the desk's dialogs (DeskDialogs + forms) in the DeskRecords chunk that loads right after the first render
  // ("Loading…" if one is asked for before it is there): → 153.76; zod's English messages load beside the first
  // reads (vite.config.ts zodEnglishLater): → 152.93. Budget = measured + 0.2.
  // size22b: the clinic repository beyond the desk's two first reads (memberships, clock:
  // supabaseClinicFirstReads.ts) loads on its first other call: 153.18 → 151.94; the clinic and staff services with it
  // (composition/clinicAdapters.ts; StaffGate's membership and the clock stay eager): → 150.45;
  // the clock hooks in hooks/useClinicTime.ts, without the administration hooks: → 149.90. Budget = measured + 0.2.
  // lcp23: the entry's hydrate path and language cookie (+0.19; over the issue's 150 target — to win back): 150.1 → 150.3.
  // size24: the desk's dialogs' strings (walk-in/emergency, reasons, move, priority, cancel, absent, end day, help),
  // a patient's record and the transfer go with the DeskRecords chunk's `records` section (records.desk.*), fetched
  // beside that chunk from the first render, not in the `dash` section the first render waits for (admin 168.97 →
  // 168.26, My visits 152.69 → 151.98 too): 150.23 → 149.55 → budget 149.75 (issue 14: ≤ 150).
  // rt24 (the desk holds the realtime changes it hears while its own command runs: useQueue's mutation key and
  // hold, +0.20): 149.75 at the merge of session 24's branches → budget 149.95 (still ≤ 150).
  // desk25: that hold as a pure, tested state machine (queue/CommandHold: holdStep + releasePlan) instead of
  // variables in the effect, +0.03 after shrinking it to tuples and string actions: 149.98 → budget 150.0 (the
  // issue's ≤ 150 limit itself: the next addition must be won back).
  // Session 25 merged (desk25, turn25, sec25, fix25, trk25: error texts, the snapshot-parse cache, the trace id
  // pool, asciiEmail, push code in shared hooks/ports): 150.41. dash25: DayControls' pause/close confirmation
  // Dialog is a lazy chunk (the one DeskRecords already loads), rendered closed from the first render on:
  // 150.41 → 149.67. Budget stays the issue's 150.
  'src/pages/DashboardPage.tsx': 150.0,
  // dir20: services.directory() (the directory's service, loaded on first use) in every staff screen's composition
  // root + the /clinics route: dashboard 178.95 → 179.34, My visits 177.95 → 178.34, admin 187.36 → 187.85 (its
  // profile tab's lazy listing section too), kiosk 169.16 → 169.56. Budgets = measured + ≤ 0.06.
  // board20: four error codes and their texts in the core (every page), setBoardRooms in the shared booking service and
  // the kiosk_walk_ins setting in the domain's settings: 178.95 → 179.11 → budget 179.2.
  // Session 15 (fluid17c): a fluid visit's "Another day" move on My visits (its dialog next to the slot
  // reschedule, its hook and 3 strings) adds ≈ 0.46 KiB; lazy-loading the dialog measured the same (its preload
  // list costs as much as the code). After all merged: My visits 196.1 → 196.6; admin 204.4 (the fluid reminder's
  // label and kind list, desk17's staff service stub) → 205.0. With turn12c (the turn's line on the staff path)
  // the final build measured kiosk 184.3 (at its budget) and dashboard 197.0 (at its): kiosk → 185.0,
  // dashboard → 197.6.
  // email18: My visits' contact card says an address needs proving and hands off to the lazy EmailProof step
  // (+0.49 KiB): 179.29 → 179.78 → budget 180.1.
  // mend18: My visits loads ClinicPage's chunk (TRACKING_STORAGE_KEY), which now tells "could not be read" (a coded
  // error) from "no such clinic", and page strings that fail to load reach the error boundary: 179.29 → 179.42; with email18 and kiosk17f merged: 180.17 → budget 180.4.
  // session 19: My visits imported TRACKING_STORAGE_KEY through ClinicPage, pulling the whole clinic page into its
  // first load; from clinic/trackingLinks directly: 180.26 → 177.26 → budget 177.6.
  // types19: a visit type's names per language and colour in the shared data layer: 177.26 → 177.67 → budget 177.9.
  // hours19: four error codes, free slots by doctor in the shared booking service, the wait history's doctor
  // sessions in the shared services chunk (+0.23); merged: 177.92 → budget 178.2.
  // Session 20 (size20), `common` and `boot` as on the dashboard: 177.95 → 176.51 → budget 176.71.
  // Session 20 merged (size20's chunk groups + dir20, doctor20, board20, sec20, fix20, fix20b: error codes in every
  // screen's texts, services.directory()/boardBranding() in the composition roots): 177.31 → budget 177.51.
  // Session 21 (size21): supabase-js's auth client, its edge-function client and tslib load after the first render
  // (composition/lazyAuth.ts: the first reads use the stored, fresh session; composition/lazyFunctions.ts: the
  // first SMS), and what the signed-in screens all load from the services (zod/mini, the models and schemas
  // they share, trace, phone input) is one `staff` chunk instead of seven, and the four files every
  // react-query screen loads first one `shell` chunk (vite.config.ts): 177.34 → 158.38. Budget = measured + 0.2.
  'src/pages/MyVisitsPage.tsx': 158.58,
  // board18's Board screens section and fix18's API key creator merged with size14f: admin 185.92 → 186.2; with
  // email18, kiosk17f (shared booking port methods) and mend18 (page strings' error path): 186.22 → 186.5.
  // team18 (issue 17, staff management): the team list's room field and Remove button (+0.3 in the page's chunk;
  // the confirmation and the pending-invitations list are lazy chunks) and their ar/fr/en strings in admin.*
  // (+0.22, counted in ar): 186.26 → 186.79 → 187.1 (measured + 0.3, as the other budgets).
  // hours19: the doctor-schedule loader, four error codes and each doctor's sessions in the wait history (the section,
  // its service and strings are lazy chunks; +0.26); merged with team19 and types19: 187.35 → budget 187.6.
  // Session 20 (size20), `common` and `boot` as on the dashboard: 187.36 → 186.60 → budget 186.8.
  // Session 20 merged (size20's chunk groups + dir20, doctor20, board20, sec20, fix20, fix20b: error codes in every
  // screen's texts, services.directory()/boardBranding() in the composition roots): 187.72 → budget 187.92.
  // Session 21 (size21): supabase-js's auth client, its edge-function client and tslib load after the first render
  // (composition/lazyAuth.ts: the first reads use the stored, fresh session; composition/lazyFunctions.ts: the
  // first SMS), and what the signed-in screens all load from the services (zod/mini, the models and schemas
  // they share, trace, phone input) is one `staff` chunk instead of seven, and the four files every
  // react-query screen loads first one `shell` chunk (vite.config.ts): 187.76 → 168.53. Budget = measured + 0.2.
  'src/pages/AdminPage.tsx': 169.08, // lcp23: +0.35 (the entry's hydrate path, language cookie); fix20b: +0.15 (set_team's future_visits status in TeamList; PRACTITIONER.UNAVAILABLE text in the entry's errors)
  // Session 18 (kiosk17f): walk-in registration, the printed ticket and pairing by code are lazy chunks (kiosk/
  // KioskWalkIn, KioskTicket, KioskCodeEntry; their strings in the kioskMore section), but the first screen hands
  // off to them — the "No appointment? Take a ticket" button, the code screen for a tablet nobody is signed in on,
  // three lazy() wrappers (+0.22 KiB in the page's chunk), 2 strings (+0.04) and the ticket's fields in the
  // booking port: measured 169.19 (from 168.71) → 169.3. Merged onto size14f's lighter build: 168.38 → 168.7.
  // types19: the visit types' names, colour and doctors in the shared data layer (see the dashboard): 168.43 →
  // 168.76; with team19's codes: 168.91 → budget 169.2.
  // Session 20 (size20), `common` and `boot` as on the dashboard: 169.16 → 168.07 → budget 168.27.
  // Session 20 merged (size20's chunk groups + dir20, doctor20, board20, sec20, fix20, fix20b: error codes in every
  // screen's texts, services.directory()/boardBranding() in the composition roots): 168.83 → budget 169.03.
  // Session 21 (size21): supabase-js's auth client, its edge-function client and tslib load after the first render
  // (composition/lazyAuth.ts: the first reads use the stored, fresh session; composition/lazyFunctions.ts: the
  // first SMS), and what the signed-in screens all load from the services (zod/mini, the models and schemas
  // they share, trace, phone input) is one `staff` chunk instead of seven, and the four files every
  // react-query screen loads first one `shell` chunk (vite.config.ts): 168.84 → 149.82. Budget = measured + 0.2.
  // fix21d (merged on it): the first screen says when the kiosk's settings could not be read, with a retry and a 30 s
  // refetch (the walk-in button used to vanish for good): 149.89 → 150.06 → budget 150.26.
  'src/pages/KioskPage.tsx': 150.26,
  // dir20: the public clinic directory, counted with supabase-js + the composition root, its service chunk and its
  // strings (scripts/routeSizes.mjs): 164.01 KiB measured; budget = measured + 0.3.
  // Session 21 (size21): supabase-js's auth client, its edge-function client and tslib load after the first render
  // (composition/lazyAuth.ts: the first reads use the stored, fresh session; composition/lazyFunctions.ts: the
  // first SMS), and what the signed-in screens all load from the services (zod/mini, the models and schemas
  // they share, trace, phone input) is one `staff` chunk instead of seven, and the four files every
  // react-query screen loads first one `shell` chunk (vite.config.ts): 163.72 → 144.80. Budget = measured + 0.2.
  'src/pages/DirectoryPage.tsx': 145.0,
  // board20: the kiosk hides its walk-in button when the clinic turned kiosk walk-ins off (get_kiosk's walk_ins), four
  // error codes and their texts in the core: 169.16 → 169.38 → budget 169.4.
  // fix20: the SERVER.BUSY code (statement timeouts, 57014) with its text in en/fr/ar in the shared errors and the
  // devices' revoked_reason in the kiosk data layer: 169.22 after shortening both texts → 169.25.
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
