/**
 * Admin → Queue rules → Board screens → Branding (board20): the board's logo and colours, set by the clinic's owner or
 * admin (the database checks who, the contrast and the image). The form says at once when colours would make the
 * board hard to read (the domain's boardColoursReadable, the database's rule), with a small preview of the board.
 */
import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Button, LoadingBlock } from '../../components/ui';
import {
  BOARD_PAUSE_AMBER,
  BOARD_PAUSE_AMBER_ALPHA,
  boardColour,
  boardMinContrast,
  DEFAULT_BOARD_COLOURS,
  MIN_BOARD_CONTRAST,
  useBoardBrandingSettings,
} from '../../hooks/useBoardBranding';

/** The board's paused box (`bg-amber-400/20`), as the contrast rule composites it. */
const amberBox = `${BOARD_PAUSE_AMBER}${Math.round(BOARD_PAUSE_AMBER_ALPHA * 255)
  .toString(16)
  .padStart(2, '0')}`;

export function BoardBrandingForm({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const { query, setColours, setLogo } = useBoardBrandingSettings(clinicId);
  const [bg, setBg] = useState<string>(DEFAULT_BOARD_COLOURS.bg);
  const [accent, setAccent] = useState<string>(DEFAULT_BOARD_COLOURS.accent);
  useEffect(() => {
    if (query.data) {
      setBg(query.data.bg);
      setAccent(query.data.accent);
    }
  }, [query.data]);
  if (query.isPending) return <LoadingBlock label={t('common.loading')} rows={2} />;
  if (query.isError)
    return (
      <p role="alert" className="text-sm text-warn-700">
        {t('boards.brandingError')}
      </p>
    );
  const b = boardColour(bg);
  const a = boardColour(accent);
  const ratio = b && a ? boardMinContrast(b, a) : 0;
  const readable = ratio >= MIN_BOARD_CONTRAST;
  const save = (e: FormEvent) => {
    e.preventDefault();
    setColours.mutate(
      { bg, accent },
      { onSuccess: () => toast.ok(t('boards.brandingSaved')), onError: (err) => toast.error(err) },
    );
  };
  const reset = () =>
    setColours.mutate(
      { bg: null, accent: null },
      { onSuccess: () => toast.ok(t('boards.brandingSaved')), onError: (err) => toast.error(err) },
    );
  const upload = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    void file.arrayBuffer().then((buf) =>
      setLogo.mutate(new Uint8Array(buf), {
        onSuccess: () => toast.ok(t('boards.brandingSaved')),
        onError: (err) => toast.error(err),
      }),
    );
  };
  return (
    <div className="mt-6 flex flex-col gap-4" data-testid="board-branding">
      <h3 className="font-semibold">{t('boards.brandingTitle')}</h3>
      <p className="text-sm text-muted">{t('boards.brandingLead')}</p>
      <form onSubmit={save} className="flex flex-wrap items-end gap-4">
        <ColourField
          label={t('boards.bg')}
          value={bg}
          swatch={b ?? DEFAULT_BOARD_COLOURS.bg}
          onChange={setBg}
          disabled={!canEdit}
          testId="board-bg"
        />
        <ColourField
          label={t('boards.accent')}
          value={accent}
          swatch={a ?? DEFAULT_BOARD_COLOURS.accent}
          onChange={setAccent}
          disabled={!canEdit}
          testId="board-accent"
        />
        {/* a small board: the accent heading and white text on the chosen background, and the "Next" column's
            notices as the board draws them (feat21b: the paused box, amber at 20 %, and the intake-closed box, 10 %
            white, both on the column's 5 % white card) — every one of them is in the contrast figure below */}
        <div
          aria-hidden
          className="flex flex-wrap items-start gap-3 rounded-xl px-4 py-2"
          style={{ backgroundColor: b ?? undefined, color: '#ffffff' }}
          data-testid="board-preview"
        >
          <span>
            <span className="block text-xs font-semibold uppercase" style={{ color: a ?? undefined }}>
              {t('boards.previewHeading')}
            </span>
            <span className="font-mono text-xl font-bold" dir="ltr">
              A-014
            </span>
          </span>
          <span className="flex flex-col gap-1 rounded-lg bg-white/5 p-1 text-xs font-semibold">
            <span
              className="rounded-md px-2 py-0.5"
              style={{ backgroundColor: amberBox }}
              data-testid="board-preview-paused"
            >
              {t('day.board.paused', { rooms: '2' })}
            </span>
            <span className="rounded-md bg-white/10 px-2 py-0.5" data-testid="board-preview-intake">
              {t('day.board.intakeClosed')}
            </span>
          </span>
        </div>
        {canEdit && (
          <>
            <Button type="submit" busy={setColours.isPending} disabled={!readable}>
              {t('boards.saveColours')}
            </Button>
            <Button type="button" variant="ghost" onClick={reset} disabled={setColours.isPending}>
              {t('boards.resetColours')}
            </Button>
          </>
        )}
      </form>
      <p
        role="status"
        className={readable ? 'text-sm text-muted' : 'text-sm font-semibold text-warn-700'}
        data-testid="board-contrast"
      >
        {!b || !a
          ? t('boards.colourFormat')
          : readable
            ? t('boards.contrastOk', { ratio: ratio.toFixed(1) })
            : t('boards.contrastLow', { ratio: ratio.toFixed(1) })}
      </p>
      <div className="flex flex-wrap items-center gap-4">
        {query.data?.logo ? (
          <img
            src={query.data.logo}
            alt={t('boards.logoAlt')}
            className="h-16 w-auto max-w-48 rounded-lg border border-line bg-white object-contain p-1"
            data-testid="board-logo-preview"
          />
        ) : (
          <span className="text-sm text-muted">{t('boards.noLogo')}</span>
        )}
        {canEdit && (
          <>
            <label className="cursor-pointer rounded-xl border border-line px-4 py-2 text-sm font-semibold hover:bg-brand-50 focus-within:ring-2">
              {t('boards.uploadLogo')}
              <input
                type="file"
                accept="image/png,image/jpeg,image/webp"
                onChange={upload}
                className="sr-only"
                data-testid="board-logo-file"
              />
            </label>
            {query.data?.logo && (
              <Button
                type="button"
                variant="ghost"
                busy={setLogo.isPending}
                onClick={() =>
                  setLogo.mutate(null, {
                    onSuccess: () => toast.ok(t('boards.brandingSaved')),
                    onError: (err) => toast.error(err),
                  })
                }
              >
                {t('boards.removeLogo')}
              </Button>
            )}
          </>
        )}
        <p className="w-full text-xs text-muted">{t('boards.logoRules')}</p>
      </div>
    </div>
  );
}

/** One board colour: the browser's picker (a mouse shortcut, hidden from assistive tech) beside the hex field. */
function ColourField(props: {
  label: string;
  value: string;
  swatch: string;
  onChange: (value: string) => void;
  disabled: boolean;
  testId: string;
}) {
  return (
    <label className="flex flex-col gap-1 text-sm font-semibold">
      {props.label}
      <span className="flex items-center gap-2">
        <input
          type="color"
          value={props.swatch}
          onChange={(e) => props.onChange(e.target.value)}
          disabled={props.disabled}
          aria-hidden
          tabIndex={-1}
          className="size-10 rounded"
        />
        <input
          type="text"
          dir="ltr"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          disabled={props.disabled}
          maxLength={7}
          className="w-28 rounded-xl border border-line px-3 py-2 font-mono"
          data-testid={props.testId}
        />
      </span>
    </label>
  );
}
