/** Accessible modal on the native <dialog>: focus trapped by the browser, Escape closes, labelled title. */
import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from '../i18n/TranslatorContext';
import { Button } from './ui';

export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  confirmLabel,
  confirmVariant = 'primary',
  onConfirm,
  busy,
  dismissLabel,
  confirmDisabled,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: string;
  children?: ReactNode;
  /** Without `confirmLabel`/`onConfirm` the dialog only informs: one dismiss control, "Close" (issue 15.16). */
  confirmLabel?: string;
  confirmVariant?: 'primary' | 'danger';
  /**
   * The confirm. Return the command's promise (mutateAsync) and the dialog sends nothing more until it
   * settles: react-query publishes `busy` (isPending) a macrotask late, so a double click or a held Enter
   * would otherwise reach onConfirm twice (issue 12).
   */
  onConfirm?: () => unknown;
  busy?: boolean;
  /** The dismiss button (default "Cancel"; use "Close" when the action itself is a cancellation). */
  dismissLabel?: string;
  /** The confirm button stays disabled (e.g. until a destructive step is confirmed by typing). Enter in a
   * field still calls onConfirm: it must check the same condition. */
  confirmDisabled?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { t } = useTranslation();
  const titleId = useId();
  const descId = useId();
  const openRef = useRef(open);
  openRef.current = open;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  // one confirm in flight per dialog, judged synchronously (see onConfirm)
  const sending = useRef(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!onConfirm) return onClose();
    if (busy || sending.current) return;
    const pending = onConfirm();
    if (pending instanceof Promise) {
      sending.current = true;
      const release = () => {
        sending.current = false;
      };
      pending.then(release, release);
    }
  };
  const informs = !onConfirm || confirmLabel === undefined;
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      onClose={() => {
        // only a close the user made (the browser's close event also follows our own close())
        if (openRef.current) onClose();
      }}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-2xl bg-white p-0 text-ink shadow-2xl"
    >
      {open && (
        <form onSubmit={submit} className="flex flex-col gap-4 p-6">
          <h2 id={titleId} className="text-xl font-bold">
            {title}
          </h2>
          {description && (
            <p id={descId} className="text-muted">
              {description}
            </p>
          )}
          {children}
          <div className="mt-2 flex flex-wrap justify-end gap-2">
            {informs ? (
              <Button type="submit" variant="secondary">
                {dismissLabel ?? t('common.close')}
              </Button>
            ) : (
              <>
                <Button variant="secondary" onClick={onClose}>
                  {dismissLabel ?? t('common.cancel')}
                </Button>
                <Button type="submit" variant={confirmVariant} busy={busy} disabled={confirmDisabled}>
                  {confirmLabel}
                </Button>
              </>
            )}
          </div>
        </form>
      )}
    </dialog>
  );
}
