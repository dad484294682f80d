/** Clinic admin — API keys for REST /v1: create (shown once), list with last use, revoke. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useToast } from '../../components/Toasts';
import { Badge, Button, EmptyState, LoadingBlock, TextField } from '../../components/ui';
import { useApiKeys } from '../../hooks/useApiKeys';
import { Section } from './shared';

const SCOPES = ['read', 'queue', 'bookings', 'admin'] as const;
type Scope = (typeof SCOPES)[number];

export function ApiKeysTab({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const { list, create, revoke } = useApiKeys(clinicId);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [days, setDays] = useState('90');
  const [shown, setShown] = useState<string | null>(null);
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
          {shown && (
            <div role="status" className="mt-4 rounded-xl bg-brand-50 p-3 text-sm">
              <p className="font-semibold">{t('admin.apiKeys.shownOnce')}</p>
              <code className="break-all font-mono" dir="ltr" data-testid="api-key-secret">
                {shown}
              </code>
            </div>
          )}
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
                      onClick={() => revoke.mutate(k.id, { onError: (err) => toast.error(err) })}
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
    </div>
  );
}
