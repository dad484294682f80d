/** Shared steps for the end-to-end suites. */
import {
  chromium,
  expect,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { CHROMIUM_ARGS, HEADLESS_CHROMIUM, SUITE_MOTION } from './browsers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

export const PASSWORD = 'QueueMed-demo-2026';
export const LOGINS = {
  owner: 'owner@demo.queuemed.ma',
  salma: 'salma.benali@demo.queuemed.ma',
  julien: 'julien.martin@demo.queuemed.ma',
  reception: 'accueil@demo.queuemed.ma',
  patient: 'patient@demo.queuemed.ma',
} as const;
/**
 * The suite's clock. `QUEUEMED_FAKE_NOW=<ISO>` runs the whole suite at another time of day: playwright.config
 * turns it into one offset (QUEUEMED_CLOCK_OFFSET_MS) that the local stack's clock (and so the database's
 * now()) and every browser context's page.clock share. Without it the offset is 0 and the real clock is used.
 */
export const CLOCK_OFFSET_MS = Number(process.env.QUEUEMED_CLOCK_OFFSET_MS ?? 0);
/** "Now" as the stack and the browsers see it (ms since the epoch). */
export const clinicNow = (): number => Date.now() + CLOCK_OFFSET_MS;
export const DESKTOP = { width: 1366, height: 900 };
export const MOBILE = { width: 390, height: 844 };
/**
 * "Without reloads" — every cross-screen assertion uses this. How fast a change reaches the other screens is
 * a figure printed by `npm run bench:web`, not a timeout here: on a loaded 2-core machine a timed assertion
 * fails for the machine's speed, not for the feature.
 */
export const LIVE = { timeout: 30_000 };

/**
 * A short random tag of letters only (a–p), for names a spec makes unique. Never hex: a run of six digits in a
 * person's or a visit type's name reads as a phone number and is refused by the P1 name rule (review21 M1) —
 * "سلمى 970713" failed CI once in ~16 runs (session 22's submission).
 */
export function letterTag(length = 6): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => 'abcdefghijklmnop'[b % 16]!).join('');
}

/**
 * A random Moroccan mobile in national form (0661 + 6 digits). Not "06" + 8 random digits: 0683…, 0685… and
 * 0686… are not allotted and libphonenumber refuses them (desk-fluid-doctor failed on 0685117746).
 */
export function randomMobile(): string {
  return `0661${String(crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000).padStart(6, '0')}`;
}

export async function newContext(
  browser: Browser,
  opts: { lang?: 'ar' | 'fr' | 'en'; mobile?: boolean } = {},
): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    viewport: opts.mobile ? MOBILE : DESKTOP,
    ...(opts.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    locale: opts.lang === 'ar' ? 'ar-MA' : opts.lang === 'fr' ? 'fr-MA' : 'en-GB',
  });
  // the browsers share the stack's clock (time flows from there; a test may still move one with setSystemTime)
  if (CLOCK_OFFSET_MS !== 0) await ctx.clock.install({ time: clinicNow() });
  // the reader's first visit in this language; a later choice in the app is kept
  await ctx.addInitScript((lng) => {
    if (!window.localStorage.getItem('queuemed.language'))
      window.localStorage.setItem('queuemed.language', lng);
  }, opts.lang ?? 'en');
  return ctx;
}

/** A cheap phone on a slow mobile network (≈ 1.6 Mbps down, 150 ms latency). */
export async function slowNetwork(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
}

export async function signIn(page: Page, login: string, next = '/staff') {
  await page.goto(`/sign-in?login=${encodeURIComponent(login)}&next=${encodeURIComponent(next)}`);
  await page.locator('input[type=password]').fill(PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL((u) => u.pathname === next);
}

export function row(page: Page, ticket: string) {
  return page.getByTestId(`row-${ticket}`);
}

/**
 * axe on the current screen: no serious or critical violations. axe.run() in the page itself (`setLegacyMode`):
 * the default path injects axe-core (≈ 0.5 MB of script) into the page, runs it per frame, then opens a blank
 * page in the same context, injects axe-core there again and merges the frames' results in it — per call. The
 * screens have one origin and no iframes, so both paths check the same DOM with the same rules; the blank page
 * and the second injection were CPU spent beside the test's subject (issue 14, CI time).
 */
export async function expectAccessible(page: Page, label: string) {
  expect(await axeViolations(page), `${label}: serious/critical axe violations`).toEqual([]);
}

/**
 * The serious and critical axe violations of the current screen, one line each (expectAccessible's check). Only the
 * violations are reported in full (`resultTypes`): the same rules run on the same nodes, but axe no longer builds a
 * selector and an HTML excerpt for every node that PASSED a rule — work nobody read (s31: a11y-screens 148 → 134 busy
 * CPU-s).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .setLegacyMode()
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .options({ resultTypes: ['violations'] })
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

/**
 * A full-page screenshot of the screen to test-results/screens/<name>.png — with `E2E_SCREENSHOTS=1` only (issue 14,
 * CI time): they are pictures for people (the README's come from them), asserted by nothing, and CI keeps no
 * artifacts; encoding ≈ 50 full-page PNGs (phones at 2× pixels) was ≈ 15 CPU-s of every run (a11y-screens' three
 * phone runs, alternated: 68 / 68 → 57 / 55 busy CPU-s). Every check around them runs either way.
 */
export async function screenshot(page: Page, name: string) {
  if (process.env.E2E_SCREENSHOTS !== '1') return;
  mkdirSync('test-results/screens', { recursive: true });
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

/**
 * The e2e server's service-role key: the stack keeps its keys in its data folder (playwright.config.ts
 * shares the folder through E2E_DATA_DIR). Only the service role may read the dev outbox.
 */
export function serviceRoleKey(): string {
  const dir = process.env.E2E_DATA_DIR;
  expect(dir, 'E2E_DATA_DIR (set by playwright.config.ts)').toBeTruthy();
  return (JSON.parse(readFileSync(join(dir!, 'keys.json'), 'utf8')) as { serviceKey: string }).serviceKey;
}

/**
 * One run of the server's notification sweep (as the stack's timer or Supabase's schedule runs it) for all that is
 * owed at once: `min_age_seconds: 0` — for messages no browser sends itself (a booking or remote-join
 * confirmation), so the sweep need not leave them the default 20 s first — and `limit: 500`, the events earlier
 * specs left unswept in front of this one's (the default 50 per run). The specs polled the default sweep every 3 s
 * for ~20 s isolated, ~80 s late in the suite (run44: booking-confirmation and whatsapp 1.4 min each).
 */
export async function sweepOwedNow(page: Page): Promise<void> {
  const key = serviceRoleKey();
  const res = await page.request.post('/functions/v1/notification-sweep', {
    headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    data: { min_age_seconds: 0, limit: 500 },
    // a long backlog is sent in this one call (simulated, 4 at a time): more than the request's default 30 s on a
    // busy machine must not fail the spec
    timeout: 120_000,
  });
  expect(res.status()).toBe(200);
}

/**
 * Sweeps (sweepOwedNow) until `message` is once in the owner's message log (the admin tab named `tab`), read after
 * each sweep from the reloaded page once the log has loaded: counting right after the tab click read the list
 * before its rows came, so the poll went round for ~50 s after the sweep had sent the message on its first run.
 */
export async function sweepUntilLogged(owner: Page, tab: string, message: Locator): Promise<void> {
  await expect
    .poll(
      async () => {
        await sweepOwedNow(owner);
        await owner.reload();
        await owner.getByRole('tab', { name: tab }).click();
        await message
          .first()
          .waitFor({ timeout: 15_000 })
          .catch(() => undefined);
        return message.count();
      },
      { timeout: 150_000, intervals: [3_000] },
    )
    .toBe(1);
}

/** The dev outbox's messages (development mode) to a phone, oldest first: `id` grows with every message sent. */
async function outboxTo(page: Page, phoneDigits: string): Promise<{ id: number; body: string }[]> {
  const key = serviceRoleKey();
  const res = await page.request.get('/dev/outbox', {
    headers: { apikey: key, authorization: `Bearer ${key}` },
  });
  expect(res.status(), 'dev outbox (QUEUEMED_DEV_MODE=1, service-role key)').toBe(200);
  const outbox = (await res.json()) as { id: string; to: string; body: string }[];
  // the outbox masks phone numbers (no personal data): match on the last two digits
  return outbox
    .filter((m) => m.to.endsWith(phoneDigits.slice(-2)))
    .map((m) => ({ id: Number(m.id), body: m.body }));
}

/**
 * Where the dev outbox stands for a phone before a code is asked for (the id of its newest message, 0 if none):
 * give it to `lastOtp` so it waits for the code this click sends, never an earlier one.
 */
export async function otpMark(page: Page, phoneDigits: string): Promise<number> {
  return (await outboxTo(page, phoneDigits)).at(-1)?.id ?? 0;
}

/**
 * The SMS code the local stack "sent" to a phone (its dev outbox, development mode): the newest message after
 * `since` (an `otpMark` taken before clicking "send"; without one, any message). The send finishes after the
 * click returns (a database round trip for its rate limit), so the outbox is polled — bounded by LIVE, the
 * suite's wait for anything the server does on a loaded machine — until it holds such a code: callers need not
 * wait for the code field first.
 */
export async function lastOtp(page: Page, phoneDigits: string, since = 0): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        const newer = (await outboxTo(page, phoneDigits)).filter((m) => m.id > since);
        code = /(\d{4,8})/.exec(newer.at(-1)?.body ?? '')?.[1];
        return code !== undefined;
      },
      {
        message: `an SMS code to …${phoneDigits.slice(-2)} in the dev outbox after message ${since}`,
        timeout: LIVE.timeout,
      },
    )
    .toBe(true);
  return code!;
}

/**
 * The email-change code the local stack "mailed" to an address (email18: a patient proving their notification
 * email; dev outbox, development mode): the newest email code after `since` to that address as the outbox shows it
 * (masked: first letter and domain — give each spec an address of its own domain). Polled like lastOtp.
 */
export async function lastEmailCode(page: Page, email: string, since = 0): Promise<string> {
  const key = serviceRoleKey();
  const masked = `${email.slice(0, 1)}•••${email.slice(email.lastIndexOf('@'))}`;
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        const res = await page.request.get('/dev/outbox', {
          headers: { apikey: key, authorization: `Bearer ${key}` },
        });
        const outbox = (await res.json()) as { id: string; to: string; kind: string; body: string }[];
        const newer = outbox.filter((m) => m.kind === 'email' && m.to === masked && Number(m.id) > since);
        code = /(\d{6})/.exec(newer.at(-1)?.body ?? '')?.[1];
        return code !== undefined;
      },
      { message: `an email code to ${masked} in the dev outbox`, timeout: LIVE.timeout },
    )
    .toBe(true);
  return code!;
}

/**
 * The clinic's SMS log as its owner sees it (through the local stack's REST API): kind and status of the
 * messages created since `since`. In simulation mode a message the app sent is stored as `simulated`.
 */
export async function smsLogSince(page: Page, since: Date): Promise<{ kind: string; status: string }[]> {
  const { supabaseAnonKey } = (await (await page.request.get('/config.json')).json()) as {
    supabaseAnonKey: string;
  };
  const session = (await (
    await page.request.post('/auth/v1/token?grant_type=password', {
      headers: { apikey: supabaseAnonKey, 'content-type': 'application/json' },
      data: { email: LOGINS.owner, password: PASSWORD },
    })
  ).json()) as { access_token: string };
  const rows = await page.request.get(
    `/rest/v1/notifications?select=kind,status&created_at=gte.${encodeURIComponent(since.toISOString())}`,
    { headers: { apikey: supabaseAnonKey, authorization: `Bearer ${session.access_token}` } },
  );
  expect(rows.ok(), 'the owner reads the message log').toBe(true);
  return (await rows.json()) as { kind: string; status: string }[];
}

/** The clinic's UTC offsets as the server computes them (get_clinic_clock: the database's zone data). */
export interface ServerClock {
  readonly today: string;
  readonly offsets: readonly { readonly from: string; readonly offset_minutes: number }[];
}

/**
 * The server's clock for a clinic (default the demo's), covering the local days `from`..`to` (default today).
 * This is the suite's oracle for "what the clinic's clock shows": the database's zone rules, whichever tzdata
 * release it has (Morocco is +00 for good from 2026-09-20 in 2026c+, +01 with Ramadan switches before) — not
 * Node's or the browser's ICU, which may be of another release.
 */
export async function serverClock(
  page: Page,
  from?: string,
  to?: string,
  slug = 'cabinet-anfa',
): Promise<ServerClock> {
  const [clinic] = await serviceRest(page, 'GET', `clinics?select=id&slug=eq.${slug}`);
  const { supabaseAnonKey } = (await (await page.request.get('/config.json')).json()) as {
    supabaseAnonKey: string;
  };
  const res = await page.request.post('/rest/v1/rpc/get_clinic_clock', {
    headers: { apikey: supabaseAnonKey, 'content-type': 'application/json' },
    data: { p_clinic_id: clinic!.id, ...(from ? { p_from: from } : {}), ...(to ? { p_to: to } : {}) },
  });
  expect(res.ok(), `get_clinic_clock: ${await res.text()}`).toBe(true);
  return (await res.json()) as ServerClock;
}

/** The offset (minutes east of UTC) the server's clock gives at `iso`. */
export function serverOffsetAt(clock: ServerClock, iso: string): number {
  const t = Date.parse(iso);
  let found = clock.offsets[0]?.offset_minutes ?? 0;
  for (const o of clock.offsets) if (Date.parse(o.from) <= t) found = o.offset_minutes;
  return found;
}

/** HH:mm of `iso` on the clinic's wall clock, by the server's zone data (one RPC per UTC date asked). */
export async function serverHHMM(page: Page, isos: readonly string[]): Promise<string[]> {
  const clocks = new Map<string, ServerClock>();
  const out: string[] = [];
  for (const iso of isos) {
    const date = new Date(iso).toISOString().slice(0, 10);
    let clock = clocks.get(date);
    if (!clock) {
      // offsets from 15 h before the date's start to 15 h after its end: the instant is inside
      clock = await serverClock(page, date, date);
      clocks.set(date, clock);
    }
    out.push(new Date(Date.parse(iso) + serverOffsetAt(clock, iso) * 60_000).toISOString().slice(11, 16));
  }
  return out;
}

/**
 * Pins the database's clock (private.now(): what the clinic's today, its slots, fluid days and every time rule
 * read) at `iso` through the local stack's /dev/clock (development mode, service role, loopback only), or
 * releases it with null.
 */
export async function pinDatabaseClock(page: Page, iso: string | null): Promise<void> {
  const key = serviceRoleKey();
  const res = await page.request.post('/dev/clock', {
    headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    data: { at: iso },
  });
  expect(res.ok(), `/dev/clock ${iso}: ${await res.text()}`).toBe(true);
}

/** The instant at which the clinic's wall clock shows `day` `hhmm`, by the server's zone data. */
export async function clinicInstant(page: Page, day: string, hhmm: string): Promise<string> {
  const clock = await serverClock(page, day, day);
  const wall = Date.parse(`${day}T${hhmm}:00Z`);
  const guess = new Date(wall - serverOffsetAt(clock, new Date(wall).toISOString()) * 60_000);
  return new Date(wall - serverOffsetAt(clock, guess.toISOString()) * 60_000).toISOString();
}

/**
 * Holds the clinic's day still for one spec: pins the database's clock at the suite's present instant and
 * answers the clinic's today by that pinned clock. A spec that reads "today" once and acts on "tomorrow" later
 * cannot see the clinic's midnight pass halfway (a run started at 23:59, or `npm run test:e2e:night` reaching
 * midnight mid-spec); every screen takes the clinic's today from the server, so the pages agree. Release it
 * with `pinDatabaseClock(page, null)` in the spec's finally.
 */
export async function holdClinicDay(page: Page): Promise<{ today: string; at: string }> {
  const at = new Date(clinicNow()).toISOString();
  await pinDatabaseClock(page, at);
  const { today } = await serverClock(page);
  return { today, at };
}

/** The clinic's local day (YYYY-MM-DD) of an instant by the server's zone data (`ms` default: now). */
export async function serverDayOf(page: Page, ms: number = clinicNow()): Promise<string> {
  const iso = new Date(ms).toISOString();
  const clock = await serverClock(page, iso.slice(0, 10), iso.slice(0, 10));
  return new Date(ms + serverOffsetAt(clock, iso) * 60_000).toISOString().slice(0, 10);
}

/**
 * The zone data Chromium can be given: its own ICU (Debian's: Casablanca at +00 from late 2026, as tzdata
 * 2026c+ says) or Node's embedded ICU (tz 2025c: +01 with Ramadan switches), extracted by playwright.config.ts
 * into E2E_NODE_ICU_DIR. The config gives the suite's browsers the one that agrees with the server's zone files.
 */
const ICU_CHOICES = ['chromium', 'node'] as const;

async function launchWithIcu(icu: (typeof ICU_CHOICES)[number]): Promise<Browser> {
  const env = { ...process.env } as Record<string, string>;
  delete env.ICU_TIMEZONE_FILES_DIR;
  if (icu === 'node') env.ICU_TIMEZONE_FILES_DIR = process.env.E2E_NODE_ICU_DIR ?? '';
  return chromium.launch({
    executablePath: HEADLESS_CHROMIUM,
    env,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Runs `fn` in a context of a Chromium whose own rules for Africa/Casablanca DISAGREE with the server's at
 * `probe` (default: now) — whichever of the two ICU data sets that is, so the test proves that the screens use
 * the server's offsets with any tzdata release on the server. Fails clearly if neither disagrees (both say the
 * same as the server at that instant, e.g. during Ramadan 2027 with tzdata < 2026c): pin QUEUEMED_FAKE_NOW.
 * English, the suite's clock; browser and context closed after.
 */
export async function withWrongChromium<T>(
  baseURL: string,
  serverSays: string,
  probe: string,
  options: BrowserContextOptions,
  fn: (ctx: BrowserContext) => Promise<T>,
): Promise<T> {
  for (const icu of ICU_CHOICES) {
    const browser = await launchWithIcu(icu);
    try {
      const probePage = await browser.newPage();
      const browserSays = await probePage.evaluate(
        (i) =>
          new Intl.DateTimeFormat('en-GB', {
            hour: '2-digit',
            minute: '2-digit',
            timeZone: 'Africa/Casablanca',
          }).format(new Date(i)),
        probe,
      );
      await probePage.close();
      if (browserSays === serverSays) continue;
      const ctx = await browser.newContext({ baseURL, locale: 'en-GB', ...SUITE_MOTION, ...options });
      if (CLOCK_OFFSET_MS !== 0) await ctx.clock.install({ time: clinicNow() });
      await ctx.addInitScript(() => window.localStorage.setItem('queuemed.language', 'en'));
      try {
        return await fn(ctx);
      } finally {
        await ctx.close();
      }
    } finally {
      await browser.close();
    }
  }
  throw new Error(
    `no Chromium zone data at hand disagrees with the server at ${probe} (it says ${serverSays}): pin QUEUEMED_FAKE_NOW to a time where they differ`,
  );
}

/** A REST call to the e2e stack as the service role (a test building the state it needs); the rows back. */
export async function serviceRest(
  page: Page,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  data?: unknown,
): Promise<Record<string, unknown>[]> {
  const key = serviceRoleKey();
  const res = await page.request.fetch(`/rest/v1/${path}`, {
    method,
    headers: {
      apikey: key,
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      prefer: 'return=representation',
    },
    ...(data ? { data } : {}),
  });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return (await res.json()) as Record<string, unknown>[];
}

/**
 * A walk-in of today's queue at the demo clinic, already called to `room` (built as the service role), and the
 * queue's version moved: a queue step's commit is what rebuilds the board row that the realtime event carries.
 * The visit's id back, for the test to take it out of the line when it is done.
 */
export async function calledVisitOnBoard(
  page: Page,
  visit: { ticketNumber: number; fullName: string; phone: string; room: string },
): Promise<string> {
  const clinic = (await (
    await page.request.post('/rest/v1/rpc/get_public_clinic', {
      headers: { apikey: serviceRoleKey(), authorization: `Bearer ${serviceRoleKey()}` },
      data: { p_slug: 'cabinet-anfa' },
    })
  ).json()) as { id: string };
  const [queue] = await serviceRest(
    page,
    'GET',
    `queues?select=id,version&clinic_id=eq.${clinic.id}&day=eq.${await serverDayOf(page)}`,
  );
  const [patient] = await serviceRest(page, 'POST', 'patients', {
    clinic_id: clinic.id,
    full_name: visit.fullName,
    phone: visit.phone,
    preferred_language: 'fr',
  });
  const now = new Date(clinicNow()).toISOString();
  const [entry] = await serviceRest(page, 'POST', 'queue_entries', {
    queue_id: queue!.id,
    clinic_id: clinic.id,
    patient_id: patient!.id,
    kind: 'walk_in',
    status: 'called',
    ticket_number: visit.ticketNumber,
    order_key: clinicNow() / 1000,
    checked_in_at: now,
    called_at: now,
    called_room: visit.room,
    tracking_token_hash: `\\x${createHash('sha256').update(`e2e-board-${visit.ticketNumber}-${now}`).digest('hex')}`,
  });
  await serviceRest(page, 'PATCH', `queues?id=eq.${String(queue!.id)}`, {
    version: Number(queue!.version) + 1,
  });
  return String(entry!.id);
}

/**
 * A patient signs in with their phone (the code read from the dev outbox) and lands on `next`. English labels
 * unless others are given (the page's language is the context's).
 */
export async function signInByPhone(
  page: Page,
  phone: string,
  next: string,
  auth: { phone: string; sendCode: string; code: string; verify: string } = uiEn.auth,
) {
  await page.goto(`/sign-in?as=patient&next=${encodeURIComponent(next)}`);
  await page.getByLabel(auth.phone).fill(phone);
  const sent = await otpMark(page, phone);
  await page.getByRole('button', { name: auth.sendCode }).click();
  await page.getByLabel(auth.code).fill(await lastOtp(page, phone, sent));
  await page.getByRole('button', { name: auth.verify }).click();
  await page.waitForURL((u) => u.pathname === next);
}

/**
 * A fresh owner account (email + PASSWORD, signed up as the app does) and their clinic, created through
 * create_clinic and approved for SMS by the operator (approve_clinic_sms): a clinic no other spec touches. Answers the owner's email and the clinic's id and slug.
 */
export async function newOwnerClinic(
  page: Page,
  label: string,
  name: string,
): Promise<{ email: string; clinicId: string; slug: string }> {
  const run = crypto.randomUUID().slice(0, 8);
  const slug = `${label}-${run}`;
  const email = `owner-${run}@${label}.e2e.queuemed.ma`;
  const { supabaseAnonKey } = (await (await page.request.get('/config.json')).json()) as {
    supabaseAnonKey: string;
  };
  const signedUp = await page.request.post('/auth/v1/signup', {
    headers: { apikey: supabaseAnonKey },
    data: { email, password: PASSWORD },
  });
  expect(signedUp.ok(), await signedUp.text()).toBe(true);
  const { access_token: token } = (await signedUp.json()) as { access_token: string };
  const created = await page.request.post('/rest/v1/rpc/create_clinic', {
    headers: { apikey: supabaseAnonKey, authorization: `Bearer ${token}` },
    data: { p_name: name, p_slug: slug, p_display_name: `Dr ${label}` },
  });
  expect(created.ok(), await created.text()).toBe(true);
  const { clinic_id: clinicId } = (await created.json()) as { clinic_id: string };
  // abuse17: a self-made clinic's SMS are held until the platform operator approves it (docs/operations.md)
  await serviceRest(page, 'POST', 'rpc/approve_clinic_sms', { p_clinic_id: clinicId, p_approved: true });
  return { email, clinicId, slug };
}

/**
 * A doctor of the clinic: an account (email + PASSWORD, signed up as the app does) and its practitioner member
 * row named `displayName`. Answers the member's id (what practitioner_leave, practitioner_hours and a visit's
 * practitioner_id hold).
 */
export async function addDoctor(page: Page, clinicId: string, displayName: string): Promise<string> {
  const { supabaseAnonKey } = (await (await page.request.get('/config.json')).json()) as {
    supabaseAnonKey: string;
  };
  const email = `doctor-${crypto.randomUUID().slice(0, 8)}@doctor.e2e.queuemed.ma`;
  const signedUp = await page.request.post('/auth/v1/signup', {
    headers: { apikey: supabaseAnonKey },
    data: { email, password: PASSWORD },
  });
  expect(signedUp.ok(), await signedUp.text()).toBe(true);
  const { user } = (await signedUp.json()) as { user: { id: string } };
  const [member] = await serviceRest(page, 'POST', 'clinic_members', {
    clinic_id: clinicId,
    user_id: user.id,
    role: 'practitioner',
    display_name: displayName,
  });
  return String(member!.id);
}

/** The clinic's opening hours: `starts`–`ends` on every day of the week (a spec's clinic of its own). */
export async function openEveryDay(
  page: Page,
  clinicId: string,
  starts: string,
  ends: string,
): Promise<void> {
  await serviceRest(
    page,
    'POST',
    'working_hours',
    [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
      clinic_id: clinicId,
      weekday,
      starts_at: starts,
      ends_at: ends,
    })),
  );
}

/**
 * The patient's booking page (in English): choose `doctor` (a doctor's name, or bookingEn.anyDoctor) in the doctor
 * group and wait until the page shows it chosen (aria-pressed), so the days read next are that doctor's.
 */
export async function pickDoctor(page: Page, doctor: string): Promise<void> {
  const button = page
    .getByRole('group', { name: bookingEn.doctorLegend })
    .getByRole('button', { name: doctor, exact: true });
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
}

/** The stack's TWILIO_AUTH_TOKEN in e2e (playwright.config.ts webServer.env): signs simulated SMS replies. */
export const E2E_TWILIO_AUTH_TOKEN = 'e2e-twilio-auth-token';
