/**
 * The tracker's first view, rendered on the server (issue 14, lcp23: LCP < 1.5 s on slow 4G needs the patient's
 * view in the HTML — the tracker's JS alone takes longer than that to arrive). Built by `vite build` beside the
 * SPA (vite.config.ts, trackerServerBuild) into dist-ssr/, and used by the local stack for GET /t/<token>
 * (supabase/local/trackerPage.ts). The REAL components, in the same frame as the browser's (AppFrame and the
 * providers of main.tsx), with the visit read as the browser reads it: get_tracker_view through the light screens'
 * own port (FetchPublicScreensRepository), with the anon key only — the same trust, the same data. The browser
 * hydrates this markup (main.tsx) from the embedded seed, without asking for the status again.
 */
import { StrictMode } from 'react';
import { prerenderToNodeStream } from 'react-dom/static';
import { AppFrame } from './components/AppFrame';
import { TranslatorProvider } from './i18n/TranslatorContext';
import { createTranslations } from './i18n/translator';
import { BackendConfigProvider } from './hooks/BackendConfig';
import { PublicScreensProvider } from './hooks/PublicScreensContext';
import { TrackerSeedProvider, type TrackerSeed } from './hooks/trackerSeed';
import TrackerPage from './pages/TrackerPage';
import { createFetchPublicScreensRepository } from './services/queue/repositories/FetchPublicScreensRepository';
import { LANGUAGE_STORAGE_KEY, LanguageService, type Language } from './services/shared/LanguageService';

export type { TrackerSeed };

/**
 * The reader's language as the browser will pick it (LanguageService.initial): the link's `?lang=`, the saved
 * choice (mirrored into a cookie of the same name as its storage key, BrowserPreferences), the browser's first
 * language (Accept-Language's first tag, which is `navigator.language`), else French.
 */
export function trackerLanguage(req: {
  lang: string | null;
  cookie: string | undefined;
  acceptLanguage: string | undefined;
}): Language {
  const cookies = new Map(
    (req.cookie ?? '').split(';').map((c) => {
      const i = c.indexOf('=');
      return [c.slice(0, i).trim(), c.slice(i + 1).trim()] as const;
    }),
  );
  const first = (req.acceptLanguage ?? '').split(',')[0]?.split(';')[0]?.trim() ?? '';
  return new LanguageService(
    { get: (k) => cookies.get(k) ?? null, set: () => {} },
    { linkLanguage: () => req.lang, browserLanguage: () => first },
  ).initial();
}
export { LANGUAGE_STORAGE_KEY };

export interface TrackerRenderInput {
  readonly token: string;
  readonly lng: Language;
  /** where the server reaches its own REST API (the local stack: its loopback address) */
  readonly supabaseUrl: string;
  readonly supabaseAnonKey: string;
  /** the server's web-push key, as config.json hands it to browsers (the tracker then offers push) */
  readonly vapidPublicKey?: string;
  readonly fetch?: typeof fetch;
  /** gives up (→ the plain shell) when the read or the render takes longer */
  readonly signal?: AbortSignal;
}

/**
 * The tracker's first view for `token`: the markup of #root and the seed to embed, or null when the link answers
 * no visit (unknown, expired, malformed), the database cannot be read, or anything in the render fails — the
 * caller then serves the plain SPA shell, as a static host would.
 */
export async function renderTracker(
  input: TrackerRenderInput,
): Promise<{ html: string; seed: TrackerSeed } | null> {
  const repo = createFetchPublicScreensRepository({
    supabaseUrl: input.supabaseUrl,
    supabaseAnonKey: input.supabaseAnonKey,
    fetch: (url, init) => (input.fetch ?? fetch)(url, { ...init, signal: input.signal ?? null }),
  });
  const read = await repo.visit(input.token);
  if (!read.ok) return null;
  const seed: TrackerSeed = { token: input.token, lng: input.lng, visit: read.value };
  const translations = createTranslations();
  await translations.ensure(input.lng);
  let failed = false;
  const { prelude } = await prerenderToNodeStream(
    <StrictMode>
      <TranslatorProvider translations={translations} lng={input.lng}>
        <BackendConfigProvider
          config={{
            supabaseUrl: '',
            supabaseAnonKey: '',
            ...(input.vapidPublicKey ? { vapidPublicKey: input.vapidPublicKey } : {}),
          }}
        >
          <PublicScreensProvider load={() => Promise.resolve(repo)}>
            <TrackerSeedProvider seed={seed}>
              <AppFrame>
                <TrackerPage params={{ token: input.token }} />
              </AppFrame>
            </TrackerSeedProvider>
          </PublicScreensProvider>
        </BackendConfigProvider>
      </TranslatorProvider>
    </StrictMode>,
    {
      ...(input.signal ? { signal: input.signal } : {}),
      onError: () => {
        failed = true;
      },
    },
  );
  const parts: Buffer[] = [];
  for await (const chunk of prelude) parts.push(Buffer.from(chunk as Uint8Array));
  if (failed) return null;
  return { html: Buffer.concat(parts).toString('utf8'), seed };
}
