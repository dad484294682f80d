/**
 * Build steps for a fast first screen on a slow phone and a fast `npm start`:
 * - routePreload: index.html gets a tiny inline script that, before the entry runs, adds
 *   <link rel="modulepreload"> for the current route's page chunk, the reader's language chunk and the page's
 *   own strings in that language (FIRST_RENDER_STRINGS: the desk's `dash`, a clinic page's `booking`), so they
 *   download in parallel with the entry instead of after it (the tracker on slow 4G saves a round trip). On a
 *   page whose first view the server rendered (lcp23, supabase/local/trackerPage.ts) they are fetched after its
 *   first paint (window.__qmAfterPaint, which that page defines): the content is already there.
 * - precompress: every text asset is written next to itself as .br (brotli, max quality) and .gz (gzip -9),
 *   which supabase/local/static.ts serves by Accept-Encoding (a CDN in front would do the same).
 * - sourceStamp: dist/.source-stamp records what was built, so `npm start` skips an up-to-date build.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { STAMP_FILE, sourceStamp } from './sourceStamp.mjs';
import { FIRST_RENDER_DYNAMIC, FIRST_RENDER_STRINGS } from './routeSizes.mjs';

/** First-path-segment → page module, as src/App.tsx routes them. */
export const ROUTE_PAGES: Record<string, string> = {
  '': 'src/pages/HomePage.tsx',
  'sign-in': 'src/pages/SignInPage.tsx',
  invite: 'src/pages/InvitePage.tsx',
  staff: 'src/pages/DashboardPage.tsx',
  kiosk: 'src/pages/KioskPage.tsx',
  admin: 'src/pages/AdminPage.tsx',
  board: 'src/pages/BoardPage.tsx',
  t: 'src/pages/TrackerPage.tsx',
  c: 'src/pages/ClinicPage.tsx',
  me: 'src/pages/MyVisitsPage.tsx',
};
const LOCALES = ['ar', 'fr', 'en'] as const;

interface Chunk {
  type: 'chunk' | 'asset';
  fileName: string;
  facadeModuleId?: string | null;
  isEntry?: boolean;
  imports?: string[];
  moduleIds?: string[];
}

export function routePreload(): Plugin {
  return {
    name: 'queuemed-route-preload',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.bundle) return html;
        const chunks = Object.values(ctx.bundle) as unknown as Chunk[];
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const entry = chunks.find((c) => c.type === 'chunk' && c.isEntry);
        const entryClosure = new Set<string>();
        const closure = (file: string, into: Set<string>) => {
          if (into.has(file) || entryClosure.has(file)) return;
          into.add(file);
          for (const i of byFile.get(file)?.imports ?? []) closure(i, into);
        };
        if (entry) closure(entry.fileName, entryClosure);
        const filesOf = (match: (id: string) => boolean): string[] => {
          const c = chunks.find(
            (x) => x.type === 'chunk' && (x.moduleIds ?? []).some((id) => match(id.replace(/\\/g, '/'))),
          );
          if (!c) return [];
          const set = new Set<string>();
          closure(c.fileName, set);
          return [...set];
        };
        const routes: Record<string, string[]> = {};
        for (const [seg, page] of Object.entries(ROUTE_PAGES)) {
          const files = filesOf((id) => id.endsWith(`/${page}`));
          const extra = (FIRST_RENDER_DYNAMIC as Record<string, string[]>)[page] ?? [];
          for (const m of extra) for (const f of filesOf((id) => id.endsWith(`/${m}`))) files.push(f);
          if (files.length) routes[seg] = [...new Set(files)];
        }
        const locales: Record<string, string[]> = {};
        for (const l of LOCALES) locales[l] = filesOf((id) => id.endsWith(`/src/i18n/locales/${l}.ts`));
        // a page's own strings that it waits for before its first render, per language
        const pageStrings: Record<string, Record<string, string[]>> = {};
        for (const [seg, page] of Object.entries(ROUTE_PAGES)) {
          const sections = FIRST_RENDER_STRINGS[page] ?? [];
          if (!sections.length) continue;
          pageStrings[seg] = {};
          for (const l of LOCALES)
            pageStrings[seg][l] = [
              ...new Set(
                sections.flatMap((x) => filesOf((id) => id.endsWith(`/src/i18n/locales/ui/${x}.${l}.ts`))),
              ),
            ];
        }
        const script = `(function(){try{var R=${JSON.stringify(routes)},L=${JSON.stringify(locales)},P=${JSON.stringify(pageStrings)},
s=location.pathname.split('/')[1]||'',q=new URLSearchParams(location.search).get('lang'),l=null;
try{l=localStorage.getItem('queuemed.language')}catch(e){}
var g=function(v){return v==='ar'||v==='fr'||v==='en'?v:null};
var lng=g(q)||g(l)||g((navigator.language||'fr').slice(0,2))||'fr';
var run=function(){(R[s]||[]).concat(L[lng]||[],P[s]&&P[s][lng]||[]).forEach(function(f){var k=document.createElement('link');k.rel='modulepreload';k.crossOrigin='';k.href='/'+f;document.head.appendChild(k)})};
var fv=window.__qmAfterPaint;if(fv)fv(run);else run()}catch(e){}})();`;
        return {
          html,
          tags: [{ tag: 'script', children: script.replace(/\n/g, ''), injectTo: 'head-prepend' }],
        };
      },
    },
  };
}

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/;

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}

export function precompressAndStamp(): Plugin {
  let outDir = 'dist';
  let root = process.cwd();
  return {
    name: 'queuemed-precompress',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const file of walk(outDir)) {
        if (!COMPRESSIBLE.test(file) || file.includes(`${join(outDir, '.vite')}`)) continue;
        const body = readFileSync(file);
        if (body.length < 512) continue;
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(body, {
            params: {
              // 10, not 11: within 1 % of the size at a third of the build time
              [constants.BROTLI_PARAM_QUALITY]: 10,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          }),
        );
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
      writeFileSync(join(outDir, STAMP_FILE), sourceStamp(root));
    },
  };
}

/**
 * The tracker's server renderer (lcp23): src/entry-tracker-server.tsx for Node, packages external, into `outDir`
 * (relative to `root`). vite.config.ts builds it after the SPA; the stack test builds its own.
 */
export async function buildTrackerServer(root: string, outDir: string): Promise<void> {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    plugins: [react()],
    build: {
      ssr: 'src/entry-tracker-server.tsx',
      outDir,
      emptyOutDir: true,
      sourcemap: false,
      minify: false,
    },
  });
}
