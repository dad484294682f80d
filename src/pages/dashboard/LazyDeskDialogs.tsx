/**
 * The desk's dialogs (walk-in, emergency, reasons, move, priority, end day, help) as a lazy part of the dashboard
 * (size22, issue 14: ≈ 1.5 KiB gz off the desk's first load). They travel in the DeskRecords chunk, which the rows'
 * ⋯ menu loads right after the first render anyway (one lazy chunk, no new split), and are rendered from the first
 * render on, so they are there by the time anyone asks; a dialog asked for before (a shortcut pressed at once)
 * shows "Loading…" until it opens.
 */
import { lazy, Suspense, type ComponentProps } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import type { DeskDialogs as Dialogs } from './DeskDialogs';
import type { DialogState } from './types';

const DeskDialogs = lazy(() => import('./DeskRecords').then((m) => ({ default: m.DeskDialogs })));

/** The dialog kinds DeskDialogs shows (the others are DeskRecords' own, with their own loading state). */
const KINDS: ReadonlySet<DialogState['kind']> = new Set([
  'walkIn',
  'emergency',
  'endDay',
  'callSpecific',
  'absent',
  'cancel',
  'move',
  'priority',
  'help',
]);

export function LazyDeskDialogs(props: ComponentProps<typeof Dialogs>) {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        KINDS.has(props.dialog.kind) ? (
          <p
            role="status"
            data-testid="desk-dialog-loading"
            className="fixed inset-x-0 top-4 z-50 mx-auto w-fit rounded-full bg-white px-4 py-2 shadow"
          >
            {t('common.loading')}
          </p>
        ) : null
      }
    >
      <DeskDialogs {...props} />
    </Suspense>
  );
}
