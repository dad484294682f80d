/** Catches a render failure: shows a translated, calm message and a reload button — never a stack trace. */
import { Component, type ReactNode } from 'react';
import { useT } from '../i18n/TranslatorContext';
import { Button } from './ui';

function Fallback() {
  const { t } = useT();
  return (
    <div
      role="alert"
      className="mx-auto my-16 flex max-w-md flex-col items-center gap-3 rounded-2xl bg-white p-8 text-center shadow"
    >
      <h1 className="text-xl font-bold">{t('shell.errorTitle')}</h1>
      <p className="text-muted">{t('shell.errorBody')}</p>
      <Button onClick={() => window.location.reload()}>{t('shell.reload')}</Button>
    </div>
  );
}

export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: unknown) {
    // Developer console only (no patient data in error objects from the UI); users see the fallback.
    console.error('[QueueMed] screen failed', error instanceof Error ? error.name : 'error');
  }
  override render() {
    return this.state.failed ? <Fallback /> : this.props.children;
  }
}
