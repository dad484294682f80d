/**
 * The waiting-room board (TV, full screen): now serving (ticket → room), the next tickets, live; each
 * new call is announced aloud in the clinic's language after a chime; ticket numbers only (names as first name +
 * initial only when the clinic enables it AND this screen is paired — its board key, useBoardKey; done by
 * the database, board18); a QR code to the clinic page. A clinic that shows names on an unpaired screen
 * gets a one-line hint for staff. board20: the clinic's logo (an <img> of the data: URL the database serves) and
 * colours (the board's own colour variables, set from the owner's choice the database checked for contrast); a
 * paired screen shows the rooms the admin set for it, without any `?rooms=` in its address.
 */
import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { useT } from '../i18n/TranslatorContext';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { Button, Skeleton } from '../components/ui';
import { screenTime, useWaitingBoard } from '../hooks/usePublicScreens';
import { useBoardBranding } from '../hooks/useBoardBrand';
import { BoardBody, type Qr } from './board/BoardBody';
import { boardRooms, forRooms } from './board/rooms';
import { useBackendConfig } from '../hooks/BackendConfig';
import { useNow } from '../hooks/useNow';
import { useBoardKey } from '../hooks/useBoardKey';

const isLoopback = (host: string) =>
  host === 'localhost' ||
  host.endsWith('.localhost') ||
  /^127\./.test(host) ||
  host === '[::1]' ||
  host === '::1';

const VOICE_LANG = { ar: 'ar-MA', fr: 'fr-FR', en: 'en-GB' } as const;

export default function BoardPage({ params }: { params: Record<string, string> }) {
  const { t, lng, translations } = useT();
  const boardKey = useBoardKey(params.clinic);
  const { clinic, board } = useWaitingBoard(params.clinic, boardKey.key);
  const dayOver = board.data?.day_status === 'closed';
  const now = useNow(15_000);
  const [sound, setSound] = useState(false);
  const [qr, setQr] = useState<Qr | null>(null);
  const { publicUrl } = useBackendConfig();
  const seen = useRef<Set<string> | null>(null);
  // a per-room screen shows and announces only its rooms' calls: the rooms the admin set for this paired screen
  // (board20, from the database with its key), else those of its address (`?rooms=1,2`)
  const [addressRooms] = useState(() => boardRooms(window.location.search));
  // by content, not identity (each read parses a new array): a re-read does not re-filter or re-announce
  const deviceRooms = board.data?.rooms?.join('\u0000') || null;
  const rooms = useMemo(
    () => (deviceRooms ? deviceRooms.split('\u0000') : addressRooms),
    [deviceRooms, addressRooms],
  );
  const b = useMemo(() => (board.data ? forRooms(board.data, rooms) : undefined), [board.data, rooms]);
  const branding = useBoardBranding(clinic.data?.id);
  // the owner's colours replace the board's own colour variables (Tailwind's theme variables) on this screen only
  const brandStyle = useMemo(
    () =>
      branding?.custom
        ? ({
            '--color-brand-900': branding.bg,
            '--color-brand-700': branding.bg,
            '--color-emerald-200': branding.accent,
          } as CSSProperties)
        : undefined,
    [branding],
  );
  // the database no longer knows this screen's key (unpaired, or another clinic's): forget it
  const { key, forget } = boardKey;
  useEffect(() => {
    if (key && b?.paired === false) forget();
  }, [key, b?.paired, forget]);

  // The QR code opens the clinic's booking page at its PUBLIC address (deployment config, issue 15.15). Not
  // configured: this screen's own address only when a phone could reach it too (not localhost), and the
  // caption says which address it is; on a loopback address no QR at all, and the caption says why.
  useEffect(() => {
    if (!clinic.data) return;
    const base = publicUrl ?? (isLoopback(window.location.hostname) ? null : window.location.origin);
    if (!base) {
      setQr({ url: null, svg: '', configured: false });
      return;
    }
    const url = `${base}/c/${clinic.data.slug}`;
    let live = true;
    // the QR encoder (≈ 7 KiB gzipped) loads after the board's first render: the queue shows first (issue 14)
    void import('qrcode')
      .then(({ default: QRCode }) =>
        QRCode.toString(url, { type: 'svg', margin: 1, color: { dark: '#0e463f', light: '#ffffff' } }),
      )
      .then((svg) => {
        if (live) setQr({ url, svg, configured: !!publicUrl });
      });
    return () => {
      live = false;
    };
  }, [clinic.data, publicUrl]);

  // Announce each new call once, in the clinic's language.
  useEffect(() => {
    if (!b) return;
    const current = new Set(b.now_serving.map((s) => s.ticket));
    const fresh = seen.current ? b.now_serving.filter((s) => !seen.current!.has(s.ticket)) : [];
    seen.current = current;
    if (fresh.length && sound && 'speechSynthesis' in window) {
      const lang = b.clinic.default_language;
      // the chime first (its own chunk, loaded with the first call), then the voice (issue 17)
      const chime = import('./board/chime').then((m) => m.playChime()).catch(() => undefined);
      void Promise.all([translations.ensure(lang), chime]).then(() => {
        const tc = (key: string, params: Record<string, string>) => translations.t(lang, key, params);
        for (const s of fresh) {
          const spoken = s.ticket.replace('-', ' ');
          const u = new SpeechSynthesisUtterance(
            s.room
              ? tc('board.announce', { ticket: spoken, room: s.room })
              : tc('board.announceNoRoom', { ticket: spoken }),
          );
          u.lang = VOICE_LANG[lang];
          window.speechSynthesis.speak(u);
        }
      });
    }
  }, [b, sound, translations]);

  // A mistyped board address: say so (issue 15.15), not grey placeholders under a "Live" badge.
  if (clinic.isError)
    return (
      <div
        className="flex min-h-dvh flex-col items-center justify-center gap-4 bg-brand-900 p-8 text-center text-white"
        data-testid="board"
      >
        <div className="text-ink">
          <LanguageSwitcher compact />
        </div>
        <h1 className="text-3xl font-bold lg:text-5xl" data-testid="board-not-found">
          {t('board.notFound')}
        </h1>
        <p className="max-w-2xl text-xl text-white/80">
          {t('board.notFoundBody', { slug: `\u2068${params.clinic ?? ''}\u2069` })}
        </p>
      </div>
    );

  return (
    <div className="flex min-h-dvh flex-col bg-brand-900 text-white" data-testid="board" style={brandStyle}>
      <header className="flex flex-wrap items-center gap-3 px-4 py-4 lg:gap-4 lg:px-8">
        {branding?.logo && (
          // beside the clinic's name, which says the same: decorative for a screen reader
          <img
            src={branding.logo}
            alt=""
            className="h-12 w-auto max-w-48 rounded-lg bg-white object-contain p-1 lg:h-16"
            data-testid="board-logo"
          />
        )}
        <h1 className="text-2xl font-bold lg:text-4xl">
          <bdi>{clinic.data?.name ?? '…'}</bdi>
        </h1>
        {rooms && (
          <span
            className="rounded-full bg-white/10 px-3 py-1 text-sm font-semibold"
            data-testid="board-rooms"
          >
            {t('board.rooms', { rooms: rooms.join(', ') })}
          </span>
        )}
        {clinic.data && (
          <span
            className="inline-flex items-center gap-2 rounded-full bg-white/10 px-3 py-1 text-sm font-semibold"
            data-testid="board-live"
          >
            {!dayOver && <span aria-hidden className="qm-live-dot size-2 rounded-full bg-emerald-300" />}
            {t(dayOver ? 'board.dayClosed' : 'shell.live')}
          </span>
        )}
        <span className="tabular ms-auto text-2xl font-semibold lg:text-4xl" data-testid="board-clock">
          {/* the clinic's wall clock by the server's offsets, not the browser's zone rules (issue 13) */}
          {b?.clock ? screenTime(b.clock, lng).time(new Date(now).toISOString()) : ''}
        </span>
        <Button
          size="sm"
          variant={sound ? 'secondary' : 'warn'}
          aria-pressed={sound}
          onClick={() => setSound((s) => !s)}
        >
          {sound ? t('board.soundOn') : t('board.sound')}
        </Button>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}
        >
          {t('board.fullscreen')}
        </Button>
        <div className="text-ink">
          <LanguageSwitcher compact />
        </div>
      </header>
      {b?.names_hidden && (
        <p className="px-4 text-sm text-white/70 lg:px-8" data-testid="board-not-paired">
          {t('board.notPaired')}
        </p>
      )}
      {!b ? (
        <div className="grid flex-1 gap-6 p-8 lg:grid-cols-[2fr_1fr]">
          <Skeleton className="h-96 opacity-20" />
          <Skeleton className="h-96 opacity-20" />
        </div>
      ) : (
        <BoardBody b={b} qr={qr} dayOver={dayOver} />
      )}
    </div>
  );
}
