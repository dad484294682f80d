// Gzipped JavaScript a route loads before its first render, from Vite's build manifest: the entry, the
// route's page chunk, the react-query root (all routes but the tracker and the board) and everything they import
// statically, plus the reader's language bundle (the largest, ar/fr/en). A locale appears in the manifest
// either under its source (`src/i18n/locales/ar.ts`, loaded lazily) or, when something imports it
// statically too, as a shared chunk (`_ar-<hash>.js`); both are counted, and a file is never counted twice.

const LOCALE_SRC = /src\/i18n\/locales\/(ar|fr|en)\.ts$/;
const LOCALE_SHARED = /^_(ar|fr|en)-[\w-]+\.js$/;

export function localeKeys(manifest) {
  return Object.keys(manifest).filter(
    (k) => LOCALE_SRC.test(k) || (LOCALE_SHARED.test(k) && /^(ar|fr|en)$/.test(manifest[k].name ?? '')),
  );
}

/** JS files loaded to render `keys` (static imports only; dynamic imports load later, on demand). */
export function closure(manifest, keys) {
  const files = new Set();
  const seen = new Set();
  const visit = (k) => {
    if (seen.has(k)) return;
    seen.add(k);
    const c = manifest[k];
    if (!c) return;
    if (c.file.endsWith('.js')) files.add(c.file);
    for (const i of c.imports ?? []) visit(i);
  };
  keys.forEach(visit);
  return files;
}

/**
 * { route → bytes } for every page in src/pages/. `sizeOf(file)` gives a file's gzipped size;
 * `noQuery` lists the pages rendered without the react-query root.
 */
/**
 * Modules a route imports dynamically but needs before its first render: counted as if static, and
 * preloaded with the route (scripts/viteBuildPlugins.ts). The light screens' port (main.tsx loads it on
 * first use, to keep it out of the entry); the browser composition root with supabase-js for the signed-in
 * screens (the session is read before anything shows). Each must be a dynamic entry of the manifest
 * (`routeSizes` fails otherwise): supabase-js stopped being one when browserApp.ts took its import, and
 * the count silently dropped supabase-js and the services (≈ 105 KiB) from the dashboard's figure.
 */
// Not counted: supabase-js's auth client (auth-js, ≈ 16 KiB gz) and its edge-function client, which the browser
// build loads after the first render (src/services/composition/lazyAuth.ts, lazyFunctions.ts): a signed-in screen
// reads the stored session while it is valid for more than 90 s; only a session about to expire (auth-js then
// refreshes it first) or a sign-in waits for auth-js.
// the port with the tracker's seed (lcp23: seededPublicScreens.ts re-exports FetchPublicScreensRepository's factory)
const PORT = 'src/services/queue/repositories/seededPublicScreens.ts';
const SUPABASE = 'src/services/composition/browserApp.ts';
// the booking adapters (composition/lazyPort.ts): loaded on the first booking call, which My visits (its
// visits), a clinic's page (the clinic) and the kiosk (its device) make before their first render
const BOOKING = 'src/services/composition/bookingAdapters.ts';
export const FIRST_RENDER_DYNAMIC = {
  'src/pages/TrackerPage.tsx': [PORT],
  'src/pages/BoardPage.tsx': [PORT],
  'src/pages/DashboardPage.tsx': [SUPABASE],
  // the admin's first tab reads the team, the profile and the hours: the clinic and staff services with their
  // repository, beyond the desk's two first reads (clinic/repositories/supabaseClinicFirstReads.ts), load with it
  'src/pages/AdminPage.tsx': [SUPABASE, 'src/services/composition/clinicAdapters.ts'],
  'src/pages/KioskPage.tsx': [SUPABASE, BOOKING],
  'src/pages/MyVisitsPage.tsx': [SUPABASE, BOOKING],
  'src/pages/ClinicPage.tsx': [SUPABASE, BOOKING],
  // the public clinic directory (dir20): its service (services.directory()) searches before anything is listed
  'src/pages/DirectoryPage.tsx': [SUPABASE, 'src/services/clinic/supabaseClinicDirectory.ts'],
};

/**
 * A page's own strings (src/i18n/pageStrings.ts, `usePageStrings(section)`) that it waits for before its first
 * render: counted in the reader's language, the largest of ar/fr/en (`src/i18n/locales/ui/<section>.<lng>.ts`).
 */
export const FIRST_RENDER_STRINGS = {
  'src/pages/DashboardPage.tsx': ['dash'],
  'src/pages/AdminPage.tsx': ['admin', 'dash'],
  'src/pages/MyVisitsPage.tsx': ['visits', 'dash'],
  'src/pages/KioskPage.tsx': ['kiosk'],
  'src/pages/HomePage.tsx': ['landing'],
  'src/pages/ClinicPage.tsx': ['booking'],
  'src/pages/DirectoryPage.tsx': ['directory'],
};

/**
 * Modules of FIRST_RENDER_DYNAMIC that vite.config.ts's codeSplitting groups bundle into a named chunk (the light
 * screens' port, in `public` with their hooks): such a module is no chunk of its own in the manifest any more; its
 * group's chunk (`_public-<hash>.js`, name `public`) is what the screen loads before its first render, and the
 * check below still fails when neither is in the build.
 */
export const GROUPED = {
  [PORT]: 'public',
  // the react-query root (App.tsx loads it lazily for every screen but the light ones) rides in `shell` with the
  // query client and the services context (session 21)
  'src/hooks/QueryRoot.tsx': 'shell',
};
/** The manifest key of the chunk that brings `module`, or undefined. */
function chunkOf(manifest, module) {
  if (manifest[module]) return module;
  const group = GROUPED[module];
  if (!group) return undefined;
  const keys = Object.keys(manifest).filter((k) => manifest[k].name === group && !manifest[k].src);
  return keys.length === 1 ? keys[0] : undefined;
}

export function routeSizes(
  manifest,
  sizeOf,
  noQuery = new Set(['src/pages/TrackerPage.tsx', 'src/pages/BoardPage.tsx']),
) {
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  const queryRoot =
    Object.keys(manifest).find((k) => /QueryRoot\.tsx$/.test(k)) ??
    chunkOf(manifest, 'src/hooks/QueryRoot.tsx');
  const sum = (files) => [...files].reduce((s, f) => s + sizeOf(f), 0);
  const locales = localeKeys(manifest).map((k) => closure(manifest, [k]));
  const largestLocale = locales.sort((a, b) => sum(b) - sum(a))[0] ?? new Set();
  const out = {};
  const pages = Object.keys(manifest).filter((k) => k.startsWith('src/pages/'));
  for (const r of pages)
    for (const m of FIRST_RENDER_DYNAMIC[r] ?? [])
      if (!chunkOf(manifest, m))
        throw new Error(
          `${r} needs ${m} before its first render, but the build manifest has no such chunk: ` +
            'update FIRST_RENDER_DYNAMIC (scripts/routeSizes.mjs) to the dynamic import that brings it',
        );
  for (const r of pages) {
    const files = closure(manifest, [
      entry,
      r,
      ...(noQuery.has(r) || !queryRoot ? [] : [queryRoot]),
      ...(FIRST_RENDER_DYNAMIC[r] ?? []).map((m) => chunkOf(manifest, m)),
    ]);
    for (const f of largestLocale) files.add(f); // a Set: a locale the route already imports is not added twice
    for (const section of FIRST_RENDER_STRINGS[r] ?? []) {
      const langs = ['ar', 'fr', 'en'].map((l) => `src/i18n/locales/ui/${section}.${l}.ts`);
      if (!langs.every((k) => manifest[k])) continue; // a manifest without page strings (the unit tests' own)
      const largest = langs.map((k) => closure(manifest, [k])).sort((a, b) => sum(b) - sum(a))[0];
      for (const f of largest) files.add(f);
    }
    out[r] = { bytes: sum(files), files: [...files] };
  }
  return out;
}
