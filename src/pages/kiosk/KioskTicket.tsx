/**
 * The kiosk's ticket (kiosk17f), shown after a check-in or a walk-in registration and printable: the browser's
 * print (kiosk.print.css) prints only the ticket — the clinic's name, the ticket number, the clinic's local time
 * the server stamped, the place in line, and for a walk-in the tracking link with its QR code. The link is the one
 * the services built (BookingService's trackingUrl): at the deployment's public address (PUBLIC_URL), the
 * tablet's own address only when none is configured — a kiosk served from a LAN address prints a link the
 * patient's phone cannot open otherwise. The kiosk starts over for the next patient after printing (afterprint)
 * or when its timer ends (the caller's KIOSK_RESET_MS).
 * Loaded on first use, so the kiosk's first screen does not carry it (nor the QR encoder).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Button, LoadingBlock } from '../../components/ui';
import { usePageStrings } from '../../i18n/pageStrings';
import type { KioskTicket as Ticket, LinkedKioskTicket } from '../../hooks/useKiosk';
import './kiosk.print.css';

export default function KioskTicket({
  ticket,
  headline,
  onDone,
}: {
  /** A check-in's ticket (no link) or a walk-in's, with its tracking link. */
  ticket: Ticket | LinkedKioskTicket;
  /** What happened, in the reader's language ("You are checked in, ticket A-012."). */
  headline: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const ready = usePageStrings('kioskMore');
  const link = 'trackingUrl' in ticket ? ticket.trackingUrl : null;
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    if (!link) return undefined;
    let live = true;
    // the QR encoder loads with the first walk-in ticket, never with the kiosk's first screen
    void import('qrcode')
      .then(({ default: QRCode }) => QRCode.toString(link, { type: 'svg', margin: 1 }))
      .then((svg) => live && setQr(svg))
      .catch(() => undefined); // the link is printed as text as well
    return () => {
      live = false;
    };
  }, [link]);
  // printed (or the print dialog closed): the next patient finds the start screen
  useEffect(() => {
    window.addEventListener('afterprint', onDone);
    return () => window.removeEventListener('afterprint', onDone);
  }, [onDone]);
  if (!ready) return <LoadingBlock label={t('common.loading')} />;
  return (
    <div role="status" className="mt-6 flex flex-col items-center gap-3" data-testid="kiosk-done">
      <p className="text-2xl font-bold text-brand-900">{headline}</p>
      <section
        id="kiosk-ticket"
        aria-label={t('kioskMore.ticketTitle')}
        className="flex w-full max-w-xs flex-col items-center gap-1 rounded-2xl border border-slate-300 bg-white p-4 text-center"
      >
        <p className="font-semibold">{ticket.clinicName}</p>
        <p className="text-sm text-muted">{t('kioskMore.ticketTitle')}</p>
        <p className="text-5xl font-bold tracking-widest" dir="ltr" data-testid="kiosk-ticket-number">
          {ticket.ticket}
        </p>
        {ticket.position !== null && <p>{t('kiosk.position', { n: ticket.position })}</p>}
        <p className="text-sm" dir="auto">
          {t('kioskMore.ticketAt', { at: ticket.issuedAt })}
        </p>
        {link && (
          <>
            <p className="mt-2 text-sm">{t('kioskMore.ticketTrack')}</p>
            {qr && (
              <span
                aria-hidden="true"
                className="block size-36"
                // an SVG string made by the qrcode encoder from our own link
                dangerouslySetInnerHTML={{ __html: qr }}
              />
            )}
            <p className="break-all text-xs" dir="ltr">
              {link}
            </p>
          </>
        )}
      </section>
      <div className="flex flex-wrap justify-center gap-2" data-no-print>
        <Button size="lg" onClick={() => window.print()}>
          {t('kioskMore.print')}
        </Button>
        <Button size="lg" variant="secondary" onClick={onDone}>
          {t('kiosk.again')}
        </Button>
      </div>
    </div>
  );
}
