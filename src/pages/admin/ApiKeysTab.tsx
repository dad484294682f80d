/**
 * Clinic admin — API keys for REST /v1: create (the key is shown once, in a dialog with a copy button, and
 * forgotten when it closes), list with last use, revoke after a confirmation; then the webhooks
 * (WebhooksSection). Loaded lazily with its tab.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Dialog } from '../../components/Dialog';
import { useToast } from '../../components/Toasts';
import { Badge, Button, EmptyState, LoadingBlock, TextField } from '../../components/ui';
import { useApiKeys } from '../../hooks/useApiKeys';
import { Section } from './shared';
import { WebhooksSection } from './WebhooksSection';
import { useSingleFlight } from '../../hooks/useSingleFlight';

const SCOPES = ['read', 'queue', 'bookings', 'admin'] as const;
type Scope = (typeof SCOPES)[number];

// The dialogs' texts travel with this lazy tab, not in the language bundle every screen loads (`npm run size`).
interface DialogTexts {
  readonly createdTitle: string;
  readonly copy: string;
  readonly copied: string;
  readonly copyFailed: string;
  readonly done: string;
  readonly revokeTitle: (name: string) => string;
  readonly revokeBody: string;
  /** Who made the key (a key stops when its maker leaves or stops being an owner/admin). */
  readonly createdBy: string;
  readonly formerMember: string;
}
const TEXTS: Record<'ar' | 'fr' | 'en', DialogTexts> = {
  en: {
    createdTitle: 'Your new API key',
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Copy failed: select the key and copy it by hand.',
    done: 'I have copied it',
    revokeTitle: (n) => `Revoke the key “${n}”?`,
    revokeBody: 'Every app using this key stops working at once. This cannot be undone.',
    createdBy: 'Created by',
    formerMember: 'a former member',
  },
  fr: {
    createdTitle: 'Votre nouvelle clé API',
    copy: 'Copier',
    copied: 'Copiée',
    copyFailed: 'La copie a échoué : sélectionnez la clé et copiez-la à la main.',
    done: 'Je l’ai copiée',
    revokeTitle: (n) => `Révoquer la clé « ${n} » ?`,
    revokeBody: 'Toute application qui l’utilise cesse de fonctionner aussitôt. C’est irréversible.',
    createdBy: 'Créée par',
    formerMember: 'un ancien membre',
  },
  ar: {
    createdTitle: 'مفتاح API الجديد',
    copy: 'نسخ',
    copied: 'تم النسخ',
    copyFailed: 'تعذّر النسخ: حدّد المفتاح وانسخه يدويًا.',
    done: 'لقد نسخته',
    revokeTitle: (n) => `إلغاء المفتاح «${n}»؟`,
    revokeBody: 'كل تطبيق يستخدم هذا المفتاح يتوقف فورًا. لا يمكن التراجع عن ذلك.',
    createdBy: 'أنشأه',
    formerMember: 'عضو سابق',
  },
};
const textsFor = (lang: string): DialogTexts =>
  TEXTS[(lang.slice(0, 2) as keyof typeof TEXTS) in TEXTS ? (lang.slice(0, 2) as keyof typeof TEXTS) : 'en'];

export default function ApiKeysTab({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const { list, create: createOnce, revoke } = useApiKeys(clinicId);
  const create = useSingleFlight(createOnce);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [days, setDays] = useState('90');
  const [shown, setShown] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const tx = textsFor(i18n.language);
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');
  return (
    <div className="flex flex-col gap-4">
      {canEdit && (
        <Section title={t('admin.apiKeys.create')}>
          <form
            className="grid gap-3 sm:grid-cols-2"
            onSubmit={(e) => {
              e.preventDefault();
              const d = Number(days);
              create.mutate(
                {
                  name: name.trim(),
                  scopes,
                  expiresAt: d > 0 ? new Date(Date.now() + d * 86_400_000).toISOString() : null,
                },
                {
                  onSuccess: (r) => {
                    setCopied(false);
                    setShown(r.key);
                    setName('');
                  },
                  onError: (err) => toast.error(err),
                },
              );
            }}
          >
            <TextField
              label={t('admin.apiKeys.name')}
              required
              maxLength={80}
              value={name}
              onValue={setName}
            />
            <TextField
              label={t('admin.apiKeys.expiresDays')}
              type="number"
              min={0}
              max={3650}
              value={days}
              onValue={setDays}
            />
            <fieldset className="flex flex-wrap gap-3 sm:col-span-2">
              <legend className="mb-1 text-sm font-semibold">{t('admin.apiKeys.scopes')}</legend>
              {SCOPES.map((s) => (
                <label key={s} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    checked={scopes.includes(s)}
                    onChange={(e) =>
                      setScopes((cur) => (e.target.checked ? [...cur, s] : cur.filter((x) => x !== s)))
                    }
                  />
                  {t(`admin.apiKeys.scope.${s}`)}
                </label>
              ))}
            </fieldset>
            <div>
              <Button type="submit" busy={create.isPending} disabled={scopes.length === 0}>
                {t('admin.apiKeys.createButton')}
              </Button>
            </div>
          </form>
          <Dialog
            open={shown !== null}
            onClose={() => setShown(null)}
            title={tx.createdTitle}
            description={t('admin.apiKeys.shownOnce')}
            dismissLabel={tx.done}
          >
            <code
              className="break-all rounded-xl bg-brand-50 p-3 font-mono text-sm"
              dir="ltr"
              data-testid="api-key-secret"
            >
              {shown}
            </code>
            <div>
              <Button
                variant="secondary"
                onClick={() => {
                  if (!shown) return;
                  // no clipboard outside a secure context (plain http): the key stays selectable
                  if (!('clipboard' in navigator) || !navigator.clipboard) {
                    toast.info(tx.copyFailed);
                    return;
                  }
                  void navigator.clipboard.writeText(shown).then(
                    () => setCopied(true),
                    () => toast.info(tx.copyFailed),
                  );
                }}
              >
                {copied ? tx.copied : tx.copy}
              </Button>
            </div>
          </Dialog>
        </Section>
      )}
      <Section title={t('admin.tabs.apiKeys')}>
        {!list.data ? (
          <LoadingBlock label={t('common.loading')} rows={2} />
        ) : list.data.length === 0 ? (
          <EmptyState icon="🔑" title={t('admin.apiKeys.none')} />
        ) : (
          <ul className="flex flex-col gap-2">
            {list.data.map((k) => (
              <li
                key={k.id}
                className="flex flex-wrap items-center gap-3 rounded-xl border border-line p-3 text-sm"
              >
                <span className="flex-1 font-semibold">{k.name}</span>
                <code dir="ltr" className="font-mono">
                  {k.keyPrefix}…
                </code>
                {k.scopes.map((s) => (
                  <Badge key={s} tone="brand">
                    {t(`admin.apiKeys.scope.${s}`)}
                  </Badge>
                ))}
                <span className="text-muted" data-testid="api-key-creator">
                  {tx.createdBy} <bdi>{k.createdByName ?? tx.formerMember}</bdi>
                </span>
                <span className="text-muted">
                  {t('admin.apiKeys.lastUsed', { when: when(k.lastUsedAt) })} ·{' '}
                  {t('admin.apiKeys.expires', { when: when(k.expiresAt) })}
                </span>
                {k.revokedAt ? (
                  <Badge>{t('admin.apiKeys.revoked')}</Badge>
                ) : (
                  canEdit && (
                    <Button
                      variant="secondary"
                      busy={revoke.isPending && revoke.variables === k.id}
                      onClick={() => setRevoking({ id: k.id, name: k.name })}
                    >
                      {t('admin.apiKeys.revoke')}
                    </Button>
                  )
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Dialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={revoking ? tx.revokeTitle(revoking.name) : ''}
        description={tx.revokeBody}
        confirmLabel={t('admin.apiKeys.revoke')}
        confirmVariant="danger"
        busy={revoke.isPending}
        onConfirm={() =>
          // the promise keeps the dialog from sending a second revoke while this one is in flight
          revoking
            ? revoke.mutateAsync(revoking.id).then(
                () => setRevoking(null),
                (err: unknown) => toast.error(err),
              )
            : undefined
        }
      />
      <WebhooksSection clinicId={clinicId} canEdit={canEdit} />
    </div>
  );
}
