/** Toasts: short confirmations and translated error messages, announced to screen readers. */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useT } from '../i18n/TranslatorContext';
import { errorText, type Translations } from '../i18n/translator';
import type { Language } from '../i18n/languages';
import { cx } from './ui';

/** A button in a confirmation (e.g. "Undo", issue 17), reachable by Tab; the toast lasts `ms`. */
export interface ToastAction {
  readonly label: string;
  readonly onClick: () => void;
  readonly ms: number;
}
interface Toast {
  id: number;
  tone: 'ok' | 'error' | 'info';
  text: string;
  action?: ToastAction;
}
interface ToastApi {
  ok(text: string, action?: ToastAction): void;
  info(text: string): void;
  /**
   * A coded failure (AppErrorException or anything with `code`) → its translated message; never a raw error.
   * With the error's details and `params` (what the screen knows: a doctor's name, a time) the message says
   * what to do (errorHints).
   */
  error(e: unknown, params?: Readonly<Record<string, unknown>>): void;
}

const Ctx = createContext<ToastApi | null>(null);

/** Loads the language's error messages once the page has loaded and the browser is idle. */
function preloadErrorStrings(tr: Translations, lng: Language): () => void {
  if (typeof window === 'undefined' || tr.hasErrors(lng)) return () => {};
  let cancel = () => {};
  const load = () => void tr.ensureErrors(lng).catch(() => {}); // a failed preload is retried when an error shows
  const go = () => {
    const idle = window.requestIdleCallback?.bind(window);
    if (idle) {
      const id = idle(load, { timeout: 3000 });
      cancel = () => window.cancelIdleCallback(id);
    } else load();
  };
  if (document.readyState === 'complete') go();
  else {
    window.addEventListener('load', go, { once: true });
    cancel = () => window.removeEventListener('load', go);
  }
  return () => cancel();
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const seq = useRef(0);
  const { lng, t, translations } = useT();
  const push = useCallback((tone: Toast['tone'], text: string, action?: ToastAction) => {
    const id = ++seq.current;
    // two at most (issue 15.16)
    setToasts((ts) => [...ts.slice(-1), action ? { id, tone, text, action } : { id, tone, text }]);
    const ms = action?.ms ?? (tone === 'error' ? 7000 : 4000);
    setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== id)), ms);
  }, []);
  const api = useMemo<ToastApi>(
    () => ({
      ok: (text, action) => push('ok', text, action),
      info: (text) => push('info', text),
      error: (e, params) => {
        const code =
          typeof e === 'object' && e !== null && 'code' in e
            ? String((e as { code: unknown }).code)
            : undefined;
        const details =
          typeof e === 'object' && e !== null && 'details' in e
            ? ((e as { details?: Record<string, unknown> }).details ?? {})
            : {};
        const show = () => push('error', errorText(translations, lng, code, { ...details, ...params }));
        // the messages are loaded on demand (src/i18n/README.md): wait for them, never show a wrong text;
        // if they cannot load (offline), the core's generic message
        if (translations.hasErrors(lng)) show();
        else void translations.ensureErrors(lng).then(show, show);
      },
    }),
    [push, translations, lng],
  );
  // the error messages of the reader's language, fetched once the page is idle so that a toast shows at once
  useEffect(() => preloadErrorStrings(translations, lng), [translations, lng]);
  return (
    <Ctx.Provider value={api}>
      {children}
      <div
        // never over the desk's row actions (the table's end column; on a phone, the cards): at the top on a
        // phone, at the bottom start corner on wider screens
        className="pointer-events-none fixed inset-x-0 top-4 z-50 flex flex-col items-center gap-2 px-4 sm:inset-x-auto sm:start-4 sm:top-auto sm:bottom-4 sm:items-start"
        aria-live="polite"
        role="status"
      >
        {toasts.map((x) => (
          <div
            key={x.id}
            data-testid={`toast-${x.tone}`}
            role={x.tone === 'error' ? 'alert' : undefined}
            className={cx(
              'pointer-events-auto flex w-full max-w-md items-center gap-3 rounded-xl px-4 py-3 text-sm font-medium shadow-lg',
              x.tone === 'ok' && 'bg-brand-900 text-white',
              x.tone === 'info' && 'bg-slate-800 text-white',
              x.tone === 'error' && 'bg-danger-700 text-white',
            )}
          >
            <span aria-hidden>{x.tone === 'error' ? '!' : '✓'}</span>
            <span className="flex-1">{x.text}</span>
            {x.action && (
              <button
                type="button"
                data-testid="toast-action"
                className="rounded-lg bg-white/15 px-3 py-1 font-semibold text-white hover:bg-white/25 focus-visible:outline focus-visible:outline-2 focus-visible:outline-white"
                onClick={() => {
                  setToasts((ts) => ts.filter((y) => y.id !== x.id));
                  x.action?.onClick();
                }}
              >
                {x.action.label}
              </button>
            )}
            <button
              type="button"
              className="rounded px-2 text-white/80 hover:text-white"
              aria-label={t('common.close')}
              onClick={() => setToasts((ts) => ts.filter((y) => y.id !== x.id))}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}

export function useToast(): ToastApi {
  const api = useContext(Ctx);
  if (!api) throw new Error('useToast: wrap in <ToastProvider>');
  return api;
}
