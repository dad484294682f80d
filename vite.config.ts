import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import type { Plugin } from 'vite';
import { buildTrackerServer, precompressAndStamp, routePreload } from './scripts/viteBuildPlugins';

const local = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * supabase-js's auth client constructs its admin API and its WebAuthn helpers eagerly and imports its Ethereum
 * sign-in helpers; QueueMed's browser uses none of them (the admin API needs the service role's key; no
 * passkeys, no wallets). Inert stand-ins for the browser build, only where GoTrueClient imports them (≈ 5.4 KiB
 * gz off every signed-in screen; issue 14). Tests, Node and the edge functions use the real package.
 */
function authJsStubs(): Plugin {
  const stubs: Record<string, string> = {
    './GoTrueAdminApi': local('./src/services/composition/noAuthAdmin.ts'),
    './lib/webauthn': local('./src/services/composition/noWebAuthn.ts'),
    './lib/web3/ethereum': local('./src/services/composition/noWeb3.ts'),
  };
  return {
    name: 'queuemed-auth-js-stubs',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !/@supabase[\\/]auth-js[\\/]dist[\\/]module[\\/]GoTrueClient\.js$/.test(importer))
        return null;
      return stubs[source] ?? null;
    },
  };
}

/**
 * zod's English messages (shared/zod.ts configures them) load beside the first reads instead of before the first
 * render: src/services/shared/zodEnglishLater.ts, only where shared/zod.ts imports them (≈ 0.8 KiB gz off every
 * signed-in screen; issue 14). Tests, Node and the edge functions use the real module.
 */
function zodEnglishLater(): Plugin {
  return {
    name: 'queuemed-zod-english-later',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== 'zod/v4/locales/en.js' || !importer) return null;
      if (!/src[\\/]services[\\/]shared[\\/]zod\.ts$/.test(importer)) return null;
      return local('./src/services/shared/zodEnglishLater.ts');
    },
  };
}

/**
 * The tracker's server renderer (lcp23): src/entry-tracker-server.tsx built for Node into dist-ssr/, right after the
 * SPA and by the same command (so `npm start`'s build-if-stale, the e2e suite and bench:web all get it). Packages
 * stay external (Node loads react, react-dom/static and zod from node_modules). The local stack renders GET
 * /t/<token> with it (supabase/local/trackerPage.ts); without it, or on a static host, the SPA is served as before.
 */
function trackerServerBuild(): Plugin {
  let root = process.cwd();
  let ssr = false;
  return {
    name: 'queuemed-tracker-server',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      ssr = !!config.build.ssr;
    },
    closeBundle: {
      sequential: true,
      order: 'pre',
      async handler() {
        if (ssr) return;
        await buildTrackerServer(root, 'dist-ssr');
      },
    },
  };
}

export default defineConfig({
  plugins: [
    authJsStubs(),
    zodEnglishLater(),
    react(),
    tailwindcss(),
    routePreload(),
    trackerServerBuild(),
    precompressAndStamp(),
  ],
  // QueueMed keeps no files in Supabase Storage: supabase-js's eager storage client is an inert stand-in in the
  // browser build (7 KiB gz off every signed-in screen; src/services/composition/noStorage.ts, issue 14)
  resolve: {
    alias: [
      {
        find: /^@supabase\/storage-js$/,
        replacement: fileURLToPath(new URL('./src/services/composition/noStorage.ts', import.meta.url)),
      },
      // Realtime loads when the first channel subscribes, after the screen's first render (14.6 KiB gz off every
      // signed-in screen's first load; src/services/composition/lazyRealtime.ts, issue 14)
      // auth-js loads in the background while the screen makes its first reads with the stored session
      // (≈ 19 KiB gz off every signed-in screen's first load; src/services/composition/lazyAuth.ts, issue 14)
      {
        find: /^@supabase\/auth-js$/,
        replacement: fileURLToPath(new URL('./src/services/composition/lazyAuth.ts', import.meta.url)),
      },
      // functions-js (and its tslib) load on the first edge-function call, the desk's first SMS (≈ 1 KiB gz;
      // src/services/composition/lazyFunctions.ts, issue 14)
      {
        find: /^@supabase\/functions-js$/,
        replacement: fileURLToPath(new URL('./src/services/composition/lazyFunctions.ts', import.meta.url)),
      },
      {
        find: /^@supabase\/realtime-js$/,
        replacement: fileURLToPath(new URL('./src/services/composition/lazyRealtime.ts', import.meta.url)),
      },
    ],
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    manifest: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // Everything the entry imports statically (react, react-dom, the jsx runtime, the preload helper, the
        // app shell) in ONE chunk: the bundler had split them into four files that every screen loads anyway,
        // and each small file gzips apart (its own header, no shared dictionary) — ≈ 1 KiB gz off every
        // screen's first load and three requests fewer (issue 14). Lazy chunks are split as before.
        // Session 20 (size20), the same for what the light screens load after the entry: the bundler had cut it into
        // 11 files by who shares what (AppError, Result, format, the clinic clock, the port, its schemas …), each
        // gzipped apart. Two groups: `common` — the small modules the tracker, the board AND the staff screens all
        // load (so no screen downloads more than before), and `public` — the light screens' hooks and their port
        // (usePublicScreens, FetchPublicScreensRepository, its light schemas and realtime channel), which only the
        // tracker and the board use. `common` has the higher priority so that `public`, which takes its modules'
        // imports along, does not swallow the shared ones (the staff screens would then load the port). Not in
        // `common`: the hooks' error wrapper (AppErrorException) and the language menu, which the sign-in and home
        // pages need without the rest — main.tsx imports them, so they ride in `boot`. Tracker 88.96 → 87.11 KiB,
        // board 88.79 → 87.74, every other screen −0.3 to −1.9.
        codeSplitting: {
          groups: [
            { name: 'boot', tags: ['$initial'], priority: 3 },
            {
              name: 'common',
              priority: 1,
              test: /src[\\/](services[\\/]shared[\\/](AppError|Result|timeFormats|repositories[\\/]postgrest)|hooks[\\/](useNow|oneLoadAtATime)|components[\\/](errorParams|format)|services[\\/]clinic[\\/]models[\\/]ClinicTime)\.tsx?$/,
            },
            // Session 21 (size21): `staff` — what every signed-in screen (dashboard, admin, My visits, kiosk, a
            // clinic's page, the directory) loads from the services before its first render and the bundler had
            // cut into seven files (zod/mini with the clinic settings, the shared models, the queue's schemas and
            // events, trace, phone input): one file, ≈ 1.4 KiB gz off each of them; no other screen loads it.
            {
              name: 'staff',
              test: /(node_modules[\\/]zod[\\/](?!v4[\\/]locales[\\/])|src[\\/]services[\\/](shared[\\/](zod|trace|loadPhoneNumber|models[\\/](ZonedTime|Instant|phoneInput))|clinic[\\/]models[\\/](ClinicSettings|VisitTypeLabel)|appointment[\\/]models[\\/](LocalDate|Weekdays)|queue[\\/](models[\\/](QueueEntry|TicketNumber|UndoStep|QueueOrder|WaitTime)|events[\\/](PatientRunningLateEvent|index)|api[\\/]schemas))\.(tsx?|m?js)$)/,
            },
            // `shell` — what all ten react-query screens load first (the query client and its root, the services
            // context, the app shell, the log masker's name list), four files before: −1.0 KiB gz on each of them.
            // Only the modules those four files held: the query observers stay with useAuth (the home page and
            // the not-found page use none). routeSizes.mjs finds QueryRoot in it (GROUPED).
            {
              name: 'shell',
              test: /(node_modules[\\/]@tanstack[\\/](query-core[\\/]build[\\/]modern[\\/](timeoutManager|utils|environmentManager|subscribable|focusManager|notifyManager|onlineManager|retryer|infiniteQueryBehavior|removable|query|mutation|mutationCache|queryCache|queryClient)|react-query[\\/]build[\\/]modern[\\/]QueryClientProvider)\.js$|src[\\/](hooks[\\/](ServicesContext|QueryRoot)|components[\\/]AppShell|services[\\/]shared[\\/](logSanitize|knownNames))\.tsx?$)/,
            },
            {
              name: 'public',
              test: /src[\\/](hooks[\\/]usePublicScreens|services[\\/]queue[\\/](repositories[\\/](FetchPublicScreensRepository|seededPublicScreens|queueRowChannel)|api[\\/]publicScreens)|services[\\/]shared[\\/]lightSchema)\.tsx?$/,
            },
          ],
        },
      },
    },
  },
});
