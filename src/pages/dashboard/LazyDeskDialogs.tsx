/**
 * The desk's dialogs (walk-in, emergency, reasons, move, priority, end day, help) as a lazy part of the dashboard
 * (size22, issue 14: ≈ 1.5 KiB gz off the desk's first load). They travel in the DeskRecords chunk, which the rows'
 * ⋯ menu loads right after the first render anyway (one lazy chunk, no new split), and are rendered from the first
 * render on, so they are there by the time anyone asks; a dialog asked for before (a shortcut pressed at once)
 * shows "Loading…" until it opens. Their strings (`records.desk.*`, the `records` section: pageStrings.ts) are fetched
 * beside the chunk, from the same first render (size24, issue 14: off the desk's first-render `dash` strings).
 */
import { lazy, Suspense, useEffect, type ComponentProps } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { usePageStrings } from '../../i18n/pageStrings';
import type { DeskDialogs as Dialogs } from './DeskDialogs';
import type { DialogState } from './types';

const loadChunk = () => import('./DeskRecords');
const DeskDialogs = lazy(() => loadChunk().then((m) => ({ default: m.DeskDialogs })));

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
  // a dialog asked for needs them: when they cannot be loaded, the error boundary (with Reload) says so instead of
  // "Loading…" for ever (fix24b); with no dialog open the desk stays usable
  const ready = usePageStrings('records', KINDS.has(props.dialog.kind));
  // the chunk starts loading now, in parallel with the strings (not after them)
  useEffect(() => void loadChunk(), []);
  const loading = KINDS.has(props.dialog.kind) ? (
    <p
      role="status"
      data-testid="desk-dialog-loading"
      className="fixed inset-x-0 top-4 z-50 mx-auto w-fit rounded-full bg-white px-4 py-2 shadow"
    >
      {t('common.loading')}
    </p>
  ) : null;
  return <Suspense fallback={loading}>{ready ? <DeskDialogs {...props} /> : loading}</Suspense>;
}
