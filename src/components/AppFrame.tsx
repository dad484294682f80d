/**
 * What wraps every screen: the error boundary, the toasts and the screens' Suspense. The server's first view of
 * the tracker (src/entry-tracker-server.tsx) renders the page in this same frame, so the browser hydrates the very
 * markup it would itself have made (lcp23).
 */
import { Suspense, type ReactNode } from 'react';
import { useT } from '../i18n/TranslatorContext';
import { ErrorBoundary } from './ErrorBoundary';
import { ToastProvider } from './Toasts';
import { LoadingBlock } from './ui';

function Fallback() {
  const { t } = useT();
  return (
    <div className="mx-auto max-w-3xl p-6">
      <LoadingBlock label={t('common.loading')} rows={5} />
    </div>
  );
}

export function AppFrame({ children }: { children: ReactNode }) {
  return (
    <ErrorBoundary>
      <ToastProvider>
        <Suspense fallback={<Fallback />}>{children}</Suspense>
      </ToastProvider>
    </ErrorBoundary>
  );
}
