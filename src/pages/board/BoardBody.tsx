/** The waiting-room board's body: now serving, the next tickets and the QR code (BoardPage owns data and sound). */
import { useT } from '../../i18n/TranslatorContext';
import { cx } from '../../components/ui';
import type { WaitingBoard as Board } from '../../hooks/usePublicScreens';

export interface Qr {
  /** the address the code opens; null: none a phone could open (no public address, loopback screen) */
  readonly url: string | null;
  readonly svg: string;
  /** the address is the deployment's PUBLIC_URL (else this screen's own) */
  readonly configured: boolean;
}

export function BoardBody({ b, qr, dayOver }: { b: Board; qr: Qr | null; dayOver: boolean }) {
  const { t } = useT();
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
