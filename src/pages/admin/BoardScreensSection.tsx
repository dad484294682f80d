/**
 * Clinic admin → Queue rules → Board screens (board18, lazy with its strings): pair a waiting-room screen, whose
 * key lets the board show the names the clinic shows (docs/security.md, "The waiting-room board"); list and unpair.
 * The key is shown once, inside the link to open on the TV (`/board/<slug>#key=…`: the fragment never reaches a
 * server, and the board takes it off the address). Pairing and unpairing: owner, admin or receptionist (the
 * database checks it).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useT, useTranslation } from '../../i18n/TranslatorContext';
import type { Language } from '../../i18n/languages';
import { useToast } from '../../components/Toasts';
import { Button, LoadingBlock, TextField } from '../../components/ui';
import { useClinicProfile } from '../../hooks/useClinicService';
import { useKioskPairing } from '../../hooks/useDevicePairing';
import { useSingleFlight } from '../../hooks/useSingleFlight';
import { Section } from './shared';

// This section's strings (src/i18n/locales/ui/boards.*.ts) load with it, not with pageStrings.ts, whose loader
// table every staff screen carries (`npm run size`).
const STRINGS: Record<Language, () => Promise<object>> = {
  ar: () => import('../../i18n/locales/ui/boards.ar').then((m) => m.boardsAr),
  fr: () => import('../../i18n/locales/ui/boards.fr').then((m) => m.boardsFr),
  en: () => import('../../i18n/locales/ui/boards.en').then((m) => m.boardsEn),
};

/** True once `boards.*` in the reader's language is in the app's translator. */
function useBoardStrings(): boolean {
  const { lng, translations } = useT();
  const [, setLoaded] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    if (!translations.hasKey(lng, 'boards'))
      void STRINGS[lng]().then((b) => {
        if (!translations.hasKey(lng, 'boards')) translations.add(lng, { boards: b });
        if (live) setLoaded(lng);
      });
    return () => {
      live = false;
    };
  }, [translations, lng]);
  return translations.hasKey(lng, 'boards');
}

export default function BoardScreensSection({ clinicId, canPair }: { clinicId: string; canPair: boolean }) {
  const { t } = useTranslation();
  const ready = useBoardStrings();
  if (!ready) return <LoadingBlock label={t('common.loading')} rows={2} />;
  return <BoardScreens clinicId={clinicId} canPair={canPair} />;
}

function BoardScreens({ clinicId, canPair }: { clinicId: string; canPair: boolean }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const clinic = useClinicProfile(clinicId);
  const { list, pair: pairing, revoke } = useKioskPairing(clinicId, 'board');
  // a double click pairs once (one key, one device row)
  const pair = useSingleFlight(pairing);
  const [label, setLabel] = useState(() => t('boards.labelDefault'));
  const [link, setLink] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    pair.mutate(label, {
      onSuccess: (p) =>
        setLink(
          `${window.location.origin}/board/${encodeURIComponent(clinic.data?.slug ?? clinicId)}#key=${p.token}`,
        ),
      onError: (err) => toast.error(err),
    });
  };
  const copy = () =>
    void navigator.clipboard?.writeText(link ?? '').then(
      () => toast.ok(t('boards.copied')),
      () => undefined,
    );
  const when = (iso: string) => new Date(iso).toLocaleDateString(i18n.language);
  return (
    <Section title={t('boards.title')}>
      <p className="text-sm text-muted">{t('boards.lead')}</p>
      <p className="mt-1 text-sm text-muted" data-testid="boards-rooms-hint">
        {t('boards.roomsHint')}
      </p>
      {link ? (
        <div role="status" className="mt-4 flex flex-col gap-2 rounded-xl bg-brand-50 p-4">
          <p className="font-semibold">{t('boards.linkTitle')}</p>
          <p className="text-sm text-muted">{t('boards.linkBody')}</p>
          <bdi dir="ltr" className="block break-all font-mono text-sm" data-testid="board-pair-link">
            {link}
          </bdi>
          <div className="flex gap-2">
            <Button size="sm" onClick={copy}>
              {t('boards.copy')}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setLink(null)}>
              {t('boards.done')}
            </Button>
          </div>
        </div>
      ) : (
        canPair && (
          <form onSubmit={submit} className="mt-4 flex flex-wrap items-end gap-3">
            <TextField label={t('boards.label')} value={label} onValue={setLabel} maxLength={80} required />
            <Button type="submit" busy={pair.isPending} disabled={!clinic.data}>
              {t('boards.pair')}
            </Button>
          </form>
        )
      )}
      <h3 className="mt-6 font-semibold">{t('boards.paired')}</h3>
      {list.data && list.data.length === 0 && <p className="mt-2 text-sm text-muted">{t('boards.none')}</p>}
      <ul className="mt-2 flex flex-col gap-2">
        {(list.data ?? []).map((d) => (
          <li key={d.id} className="flex items-center justify-between gap-2" data-testid="board-device">
            <span>
              <bdi className="font-semibold">{d.label}</bdi>{' '}
              <span className="text-sm text-muted">{t('boards.pairedAt', { at: when(d.pairedAt) })}</span>
            </span>
            {d.revokedAt !== null ? (
              <span className="text-sm text-muted">
                {t(d.revokedReason === 'pairer_left' ? 'boards.revokedPairerLeft' : 'boards.revoked')}
              </span>
            ) : (
              canPair && (
                <Button
                  size="sm"
                  variant="ghost"
                  busy={revoke.isPending && revoke.variables === d.id}
                  onClick={() => revoke.mutate(d.id, { onError: (err) => toast.error(err) })}
                >
                  {t('boards.revoke')}
                </Button>
              )
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}
