/**
 * Composition root of the browser app: reads /config.json (served by the local stack or the host), builds
 * the supabase-js client, the application services and the UI backend, the reader's language and its strings
 * (the light translator, src/i18n/translator.ts — no i18next in the browser, issue 14), setting
 * <html lang dir>, and renders the app.
 */
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { TranslatorProvider } from './i18n/TranslatorContext';
import { createTranslations } from './i18n/translator';
import { BackendConfigProvider, type BackendConfig } from './hooks/BackendConfig';
import { applyDocumentLanguage, initialLanguage } from './hooks/useLanguage';
import { PublicScreensProvider } from './hooks/PublicScreensContext';
import type { TrackerSeed } from './hooks/trackerSeed';
import { AUTH_STORAGE_KEY } from './services/composition/authStorageKey';
import type { PublicScreensRepository } from './services/queue/repositories/PublicScreensRepository';
// Two small modules nearly every screen loads (the language menu: all of them; the hooks' error wrapper: all but the
// home page and the 404), imported here so that the 'boot' chunk (vite.config.ts) carries them: otherwise each is a
// file of its own, gzipped apart, on every screen's first load (issue 14: −0.3 to −0.6 KiB each, one or two fewer
// requests).
import './components/LanguageSwitcher';
import './hooks/AppErrorException';

async function loadConfig(): Promise<BackendConfig> {
  const envUrl = import.meta.env.VITE_SUPABASE_URL as string | undefined;
  const envKey = import.meta.env.VITE_SUPABASE_ANON_KEY as string | undefined;
  const envPublic = import.meta.env.VITE_PUBLIC_URL as string | undefined;
  const envVapid = import.meta.env.VITE_VAPID_PUBLIC_KEY as string | undefined;
  if (envUrl && envKey)
    return {
      supabaseUrl: envUrl,
      supabaseAnonKey: envKey,
      ...(envPublic ? { publicUrl: envPublic } : {}),
      ...(envVapid ? { vapidPublicKey: envVapid } : {}),
    };
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: ${res.status}`);
  const c = (await res.json()) as {
    supabaseUrl: string;
    supabaseAnonKey: string;
    publicUrl?: unknown;
    clientLogsUrl?: unknown;
    vapidPublicKey?: unknown;
  };
  const publicUrl =
    typeof c.publicUrl === 'string' && /^https?:\/\//.test(c.publicUrl) ? c.publicUrl : undefined;
  return {
    supabaseUrl: c.supabaseUrl,
    supabaseAnonKey: c.supabaseAnonKey,
    ...(publicUrl ? { publicUrl: publicUrl.replace(/\/+$/, '') } : {}),
    ...(typeof c.clientLogsUrl === 'string' && c.clientLogsUrl.startsWith('/')
      ? { clientLogsUrl: c.clientLogsUrl }
      : {}),
    ...(typeof c.vapidPublicKey === 'string' && /^B[A-Za-z0-9_-]{86}$/.test(c.vapidPublicKey)
      ? { vapidPublicKey: c.vapidPublicKey }
      : {}),
  };
}

async function boot() {
  const root = document.getElementById('root');
  if (!root) throw new Error('missing #root element');
  const lng = initialLanguage();
  applyDocumentLanguage(lng);
  // the tracker's first view rendered by the server (lcp23): its visit, embedded beside the markup — what reads and
  // hydrates it comes with the tracker's chunk (src/seededBoot.tsx), not in the entry every screen loads
  const seededBoot = document.getElementById('qm-seed') ? import('./pages/TrackerPage') : null;
  const translations = createTranslations();
  const [config, boot] = await Promise.all([loadConfig(), seededBoot, translations.ensure(lng)]);
  const seed: TrackerSeed | null = boot ? boot.readSeed() : null;
  // the light screens' port (tracker, board): plain fetch; the session, only for check-in, comes from the
  // app's own supabase-js client, loaded only when someone is signed in on this device
  let publicScreens: Promise<PublicScreensRepository> | null = null;
  const loadPublicScreens = () =>
    (publicScreens ??= import('./services/queue/repositories/seededPublicScreens').then((m) =>
      // with the seed: the first read of the rendered link answers from it (lcp23)
      m.seededPublicScreens(
        seed,
        m.createFetchPublicScreensRepository({
          ...config,
          accessToken: async () => {
            try {
              if (!window.localStorage.getItem(AUTH_STORAGE_KEY)) return null;
            } catch {
              return null;
            }
            const { accessToken } = await import('./services/composition/browserApp');
            return accessToken(config);
          },
        }),
      ),
    ));
  const app = (
    <StrictMode>
      <TranslatorProvider translations={translations} lng={lng}>
        <BackendConfigProvider config={config}>
          <PublicScreensProvider load={loadPublicScreens}>
            <App />
          </PublicScreensProvider>
        </BackendConfigProvider>
      </TranslatorProvider>
    </StrictMode>
  );
  if (boot) boot.mount(root, app, seed, lng);
  else createRoot(root).render(app);
  // the browser's logger (warnings and errors to the backend), loaded after the first render
  // (the local stack names its /client-logs; a hosted build sends to the project's client-logs function)
  const hosted = !!(import.meta.env.VITE_SUPABASE_URL as string | undefined);
  if (config.clientLogsUrl || hosted)
    void import('./services/composition/browserLogger').then((m) => {
      const target = m.clientLogTarget({ ...config, hosted });
      if (target) m.installBrowserLogger(target);
    });
}

void boot().catch(() => {
  const root = document.getElementById('root');
  if (root) {
    root.innerHTML =
      '<div role="alert" style="font-family:system-ui;max-width:28rem;margin:4rem auto;padding:2rem;text-align:center">' +
      '<h1 style="font-size:1.25rem">QueueMed</h1><p>Connexion impossible · تعذر الاتصال · Cannot connect.</p>' +
      '<button onclick="location.reload()" style="padding:.6rem 1.2rem;border-radius:.6rem;background:#0b6a5d;color:#fff;border:0">↻</button></div>';
  }
});
