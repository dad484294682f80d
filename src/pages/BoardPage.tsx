/**
 * The waiting-room board (TV, full screen): now serving (ticket → room), the next tickets, live; each
 * new call is announced aloud in the clinic's language; ticket numbers only (names as first name +
 * initial only when the clinic enables it, done by the database); a QR code to the clinic page.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { LanguageSwitcher } from '../components/AppShell';
import { Button, Skeleton, cx } from '../components/ui';
import { screenTime, useWaitingBoard, type WaitingBoard as Board } from '../hooks/usePublicScreens';
import { ensureLanguage } from '../i18n/lazy';
import { useBackendConfig } from '../hooks/BackendConfig';
import { useNow } from '../hooks/useNow';

const isLoopback = (host: string) =>
  host === 'localhost' ||
  host.endsWith('.localhost') ||
  /^127\./.test(host) ||
  host === '[::1]' ||
  host === '::1';

const VOICE_LANG = { ar: 'ar-MA', fr: 'fr-FR', en: 'en-GB' } as const;

export default function BoardPage({ params }: { params: Record<string, string> }) {
  const { t, i18n } = useTranslation();
  const { clinic, board } = useWaitingBoard(params.clinic);
  const dayOver = board.data?.day_status === 'closed';
  const now = useNow(15_000);
  const [sound, setSound] = useState(false);
  const [qr, setQr] = useState<Qr | null>(null);
  const { publicUrl } = useBackendConfig();
  const seen = useRef<Set<string> | null>(null);
  const b = board.data;

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
    void QRCode.toString(url, { type: 'svg', margin: 1, color: { dark: '#0e463f', light: '#ffffff' } }).then(
      (svg) => setQr({ url, svg, configured: !!publicUrl }),
    );
  }, [clinic.data, publicUrl]);

  // Announce each new call once, in the clinic's language.
  useEffect(() => {
    if (!b) return;
    const current = new Set(b.now_serving.map((s) => s.ticket));
    const fresh = seen.current ? b.now_serving.filter((s) => !seen.current!.has(s.ticket)) : [];
    seen.current = current;
    if (fresh.length && sound && 'speechSynthesis' in window) {
      const lang = b.clinic.default_language;
      void ensureLanguage(i18n, lang).then(() => {
        const tc = i18n.getFixedT(lang);
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
  }, [b, sound, i18n]);

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
    <div className="flex min-h-dvh flex-col bg-brand-900 text-white" data-testid="board">
      <header className="flex flex-wrap items-center gap-3 px-4 py-4 lg:gap-4 lg:px-8">
        <h1 className="text-2xl font-bold lg:text-4xl">
          <bdi>{clinic.data?.name ?? '…'}</bdi>
        </h1>
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
          {b?.clock ? screenTime(b.clock, i18n.language).time(new Date(now).toISOString()) : ''}
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

interface Qr {
  /** the address the code opens; null: none a phone could open (no public address, loopback screen) */
  readonly url: string | null;
  readonly svg: string;
  /** the address is the deployment's PUBLIC_URL (else this screen's own) */
  readonly configured: boolean;
}

function BoardBody({ b, qr, dayOver }: { b: Board; qr: Qr | null; dayOver: boolean }) {
  const { t } = useTranslation();
  return (
    <main className="grid flex-1 grid-cols-1 gap-6 p-4 sm:p-6 lg:grid-cols-[2fr_1fr] lg:p-8 [&>*]:min-w-0">
      <section aria-labelledby="now-title" className="flex flex-col rounded-3xl bg-white/5 p-6">
        <h2
          id="now-title"
          className="mb-4 text-xl font-semibold uppercase tracking-widest text-emerald-200 lg:text-2xl"
        >
          {t('board.nowServing')}
        </h2>
        {b.now_serving.length === 0 ? (
          dayOver ? (
            <div className="m-auto text-center" data-testid="board-day-over">
              <p className="text-4xl font-bold">{t('board.dayOver')}</p>
              <p className="mt-3 text-2xl text-white/80">{t('board.dayOverBody')}</p>
            </div>
          ) : (
            <p className="m-auto text-center text-3xl text-white/80">{t('board.empty')}</p>
          )
        ) : (
          <ul className="flex flex-col gap-4" aria-live="assertive" data-testid="now-serving">
            {b.now_serving.map((s, i) => (
              <li
                key={s.ticket}
                data-testid={`serving-${s.ticket}`}
                className={cx(
                  'flex items-center justify-between gap-4 rounded-2xl px-4 py-4 sm:px-6 sm:py-5',
                  i === 0 ? 'bg-white text-brand-900' : 'bg-white/10',
                )}
              >
                <span className="flex flex-col">
                  <span
                    className={cx(
                      'tabular font-mono font-extrabold tracking-wider',
                      i === 0 ? 'text-5xl sm:text-7xl lg:text-8xl' : 'text-4xl sm:text-5xl',
                    )}
                    dir="ltr"
                  >
                    {s.ticket}
                  </span>
                  {s.name && (
                    <bdi
                      className="text-2xl font-semibold opacity-80"
                      data-testid={`serving-name-${s.ticket}`}
                    >
                      {s.name}
                    </bdi>
                  )}
                </span>
                <span className="text-end">
                  <span
                    className={cx(
                      'block text-lg font-semibold uppercase',
                      i === 0 ? 'text-brand-700' : 'text-emerald-200',
                    )}
                  >
                    {t('board.room')}
                  </span>
                  <span
                    className={cx(
                      'tabular block font-extrabold',
                      i === 0 ? 'text-5xl sm:text-7xl' : 'text-4xl sm:text-5xl',
                    )}
                  >
                    {s.room ?? '—'}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="flex flex-col gap-6">
        <section aria-labelledby="next-title" className="flex-1 rounded-3xl bg-white/5 p-6">
          <h2
            id="next-title"
            className="mb-4 text-xl font-semibold uppercase tracking-widest text-emerald-200"
          >
            {t('board.next')}
          </h2>
          {((b.paused_rooms ?? []).length > 0 || b.intake_closed) && (
            <div role="status" className="mb-4 flex flex-col gap-2" data-testid="board-pause">
              {(b.paused_rooms ?? []).length > 0 && (
                <p
                  className="rounded-xl bg-amber-400/20 px-4 py-2 text-lg font-semibold"
                  data-testid="board-paused"
                >
                  {t('day.board.paused', { rooms: (b.paused_rooms ?? []).join(', ') })}
                </p>
              )}
              {b.intake_closed && (
                <p
                  className="rounded-xl bg-white/10 px-4 py-2 text-lg font-semibold"
                  data-testid="board-intake-closed"
                >
                  {t('day.board.intakeClosed')}
                </p>
              )}
            </div>
          )}
          <ol className="grid grid-cols-2 gap-3" data-testid="next-tickets">
            {b.next.slice(0, 8).map((n) => (
              <li key={n.ticket} className="rounded-xl bg-white/10 px-4 py-3">
                <span className="tabular block font-mono text-3xl font-bold" dir="ltr">
                  {n.ticket}
                </span>
                {n.name && (
                  <bdi className="block text-sm opacity-80" data-testid={`next-name-${n.ticket}`}>
                    {n.name}
                  </bdi>
                )}
                {n.room && (
                  <span className="block text-sm opacity-80" data-testid={`next-room-${n.ticket}`}>
                    {t('board.room')} {n.room}
                  </span>
                )}
              </li>
            ))}
          </ol>
        </section>
        {qr && (
          <section
            className="flex items-center gap-4 rounded-3xl bg-white p-4 text-ink"
            data-testid="board-qr"
          >
            {qr.url ? (
              <>
                <div
                  role="img"
                  aria-label={t('board.scan')}
                  data-qr-url={qr.url}
                  className="size-32 shrink-0"
                  dangerouslySetInnerHTML={{ __html: qr.svg }}
                />
                <div className="min-w-0">
                  <p className="text-lg font-semibold">{t('board.scan')}</p>
                  <bdi dir="ltr" className="block break-all text-sm opacity-80" data-testid="board-qr-url">
                    {qr.url}
                  </bdi>
                  {!qr.configured && (
                    <p className="text-sm text-muted" data-testid="board-qr-note">
                      {t('board.qrOwnAddress')}
                    </p>
                  )}
                </div>
              </>
            ) : (
              <p className="text-base text-muted" data-testid="board-qr-note">
                {t('board.qrNotConfigured')}
              </p>
            )}
          </section>
        )}
      </div>
    </main>
  );
}
