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
import { useMembers } from '../../hooks/useStaffService';
import { BoardBrandingForm } from './BoardBrandingForm';
import { useKioskPairing, type PairedKiosk } from '../../hooks/useDevicePairing';
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

export default function BoardScreensSection({
  clinicId,
  canPair,
  canBrand = false,
}: {
  clinicId: string;
  canPair: boolean;
  /** board20: the clinic's owner or admin sets the board's logo and colours */
  canBrand?: boolean;
}) {
  const { t } = useTranslation();
  const ready = useBoardStrings();
  if (!ready) return <LoadingBlock label={t('common.loading')} rows={2} />;
  return <BoardScreens clinicId={clinicId} canPair={canPair} canBrand={canBrand} />;
}

/**
 * boardDeviceRooms (board20): the rooms one paired screen shows — the clinic's rooms (its members' rooms) as
 * checkboxes; none ticked is every room. The database accepts rooms of this clinic only.
 */
function DeviceRooms({
  device,
  rooms,
  canEdit,
  save,
}: {
  device: PairedKiosk;
  rooms: readonly string[];
  canEdit: boolean;
  save: ReturnType<typeof useKioskPairing>['setRooms'];
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const [picked, setPicked] = useState<readonly string[]>(device.rooms ?? []);
  useEffect(() => setPicked(device.rooms ?? []), [device.rooms]);
  if (rooms.length === 0) return null;
  return (
    <fieldset className="mt-2 flex flex-wrap items-center gap-3" data-testid={`board-rooms-${device.label}`}>
      <legend className="text-sm font-semibold">{t('boards.roomsLegend')}</legend>
      {rooms.map((r) => (
        <label key={r} className="flex items-center gap-1 text-sm">
          <input
            type="checkbox"
            className="size-4 accent-teal-700"
            disabled={!canEdit}
            checked={picked.includes(r)}
            onChange={(e) => setPicked(e.target.checked ? [...picked, r] : picked.filter((x) => x !== r))}
          />
          <bdi>{t('boards.roomOption', { room: r })}</bdi>
        </label>
      ))}
      <span className="text-xs text-muted">{picked.length === 0 ? t('boards.allRooms') : ''}</span>
      {canEdit && (
        <Button
          size="sm"
          variant="secondary"
          busy={save.isPending && save.variables?.deviceId === device.id}
          onClick={() =>
            save.mutate(
              { deviceId: device.id, rooms: picked },
              { onSuccess: () => toast.ok(t('boards.roomsSaved')), onError: (err) => toast.error(err) },
            )
          }
        >
          {t('boards.saveRooms')}
        </Button>
      )}
    </fieldset>
  );
}

function BoardScreens({
  clinicId,
  canPair,
  canBrand,
}: {
  clinicId: string;
  canPair: boolean;
  canBrand: boolean;
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const clinic = useClinicProfile(clinicId);
  const { list, pair: pairing, revoke, setRooms } = useKioskPairing(clinicId, 'board');
  const members = useMembers(clinicId);
  const rooms = [...new Set((members.data ?? []).flatMap((m) => (m.room ? [m.room] : [])))].sort((a, b) =>
    a.localeCompare(b, undefined, { numeric: true }),
  );
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
          <li
            key={d.id}
            className="flex flex-wrap items-center justify-between gap-2"
            data-testid="board-device"
          >
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
            {d.revokedAt === null && (
              <div className="w-full">
                <DeviceRooms device={d} rooms={rooms} canEdit={canPair} save={setRooms} />
              </div>
            )}
          </li>
        ))}
      </ul>
      <BoardBrandingForm clinicId={clinicId} canEdit={canBrand} />
    </Section>
  );
}
