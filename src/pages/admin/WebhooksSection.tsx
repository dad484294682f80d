/**
 * Clinic admin — webhooks (issue 18), in the lazy API tab: register an endpoint (https URL + event kinds; the
 * signing secret is shown once), switch it off/on or delete it, and the delivery log with "Resend". An
 * endpoint the sender disabled after repeated failures says so. Its texts travel with this lazy module.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Dialog } from '../../components/Dialog';
import { useToast } from '../../components/Toasts';
import { Badge, Button, EmptyState, LoadingBlock, TextField } from '../../components/ui';
import { useWebhooks, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../hooks/useWebhooks';
import { Section } from './shared';
import { useSingleFlight } from '../../hooks/useSingleFlight';

type Lang = 'ar' | 'fr' | 'en';
const TEXTS = {
  en: {
    title: 'Webhooks',
    add: 'Add an endpoint',
    url: 'Endpoint URL (https://…)',
    description: 'Description (optional)',
    events: 'Events',
    create: 'Add endpoint',
    none: 'No webhook endpoints yet.',
    secretTitle: 'Signing secret',
    secretBody: 'Shown once: verify each request’s QueueMed-Signature header with it (see docs/api.md).',
    done: 'I have copied it',
    active: 'Active',
    off: 'Off',
    failing: (n: number) => `Disabled after ${n} failed deliveries in a row`,
    turnOff: 'Turn off',
    turnOn: 'Turn on',
    remove: 'Delete',
    removeTitle: (u: string) => `Delete the endpoint ${u}?`,
    removeBody: 'Its pending deliveries are dropped. This cannot be undone.',
    log: 'Delivery log',
    noDeliveries: 'No deliveries yet.',
    status: { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' },
    attempts: (n: number) => `${n} attempt${n === 1 ? '' : 's'}`,
    resend: 'Resend',
  },
  fr: {
    title: 'Webhooks',
    add: 'Ajouter un point de terminaison',
    url: 'URL du point de terminaison (https://…)',
    description: 'Description (facultative)',
    events: 'Événements',
    create: 'Ajouter',
    none: 'Aucun webhook pour l’instant.',
    secretTitle: 'Secret de signature',
    secretBody:
      'Affiché une seule fois : vérifiez avec lui l’en-tête QueueMed-Signature de chaque requête (voir docs/api.md).',
    done: 'Je l’ai copié',
    active: 'Actif',
    off: 'Désactivé',
    failing: (n: number) => `Désactivé après ${n} échecs de livraison consécutifs`,
    turnOff: 'Désactiver',
    turnOn: 'Activer',
    remove: 'Supprimer',
    removeTitle: (u: string) => `Supprimer le point de terminaison ${u} ?`,
    removeBody: 'Ses livraisons en attente sont abandonnées. C’est irréversible.',
    log: 'Journal des livraisons',
    noDeliveries: 'Aucune livraison pour l’instant.',
    status: { pending: 'En attente', delivered: 'Livrée', failed: 'Échouée' },
    attempts: (n: number) => `${n} tentative${n > 1 ? 's' : ''}`,
    resend: 'Renvoyer',
  },
  ar: {
    title: 'Webhooks',
    add: 'إضافة عنوان استقبال',
    url: 'عنوان الاستقبال (https://…)',
    description: 'وصف (اختياري)',
    events: 'الأحداث',
    create: 'إضافة',
    none: 'لا توجد عناوين webhook بعد.',
    secretTitle: 'سر التوقيع',
    secretBody: 'يُعرض مرة واحدة: تحقّق به من ترويسة QueueMed-Signature في كل طلب (انظر docs/api.md).',
    done: 'لقد نسخته',
    active: 'مفعّل',
    off: 'متوقف',
    failing: (n: number) => `أوقف بعد ${n} محاولات تسليم فاشلة متتالية`,
    turnOff: 'إيقاف',
    turnOn: 'تفعيل',
    remove: 'حذف',
    removeTitle: (u: string) => `حذف العنوان ${u}؟`,
    removeBody: 'تُلغى عمليات التسليم المعلّقة. لا يمكن التراجع عن ذلك.',
    log: 'سجل التسليم',
    noDeliveries: 'لا توجد عمليات تسليم بعد.',
    status: { pending: 'قيد الانتظار', delivered: 'تم التسليم', failed: 'فشل' },
    attempts: (n: number) => `${n} محاولة`,
    resend: 'إعادة الإرسال',
  },
} satisfies Record<Lang, unknown>;

export function WebhooksSection({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { i18n } = useTranslation();
  const toast = useToast();
  const lang = i18n.language.slice(0, 2);
  const tx = TEXTS[(lang in TEXTS ? lang : 'en') as Lang];
  const hooks = useWebhooks(clinicId);
  const { endpoints, deliveries, remove } = hooks;
  const create = useSingleFlight(hooks.create);
  const setEnabled = useSingleFlight(hooks.setEnabled);
  const resend = useSingleFlight(hooks.resend);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['visit.booked', 'visit.cancelled']);
  const [secret, setSecret] = useState<string | null>(null);
  const [removing, setRemoving] = useState<{ id: string; url: string } | null>(null);
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');
  const urlOf = (id: string) => endpoints.data?.find((e) => e.id === id)?.url ?? '—';
  return (
    <>
      <Section title={tx.title}>
        {canEdit && (
          <form
            aria-label={tx.add}
            className="mb-4 grid gap-3 sm:grid-cols-2"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate(
                { url: url.trim(), eventTypes: events, description: description.trim() || null },
                {
                  onSuccess: (r) => {
                    setSecret(r.secret);
                    setUrl('');
                    setDescription('');
                  },
                  onError: (err) => toast.error(err),
                },
              );
            }}
          >
            <TextField
              label={tx.url}
              type="url"
              required
              maxLength={2000}
              dir="ltr"
              value={url}
              onValue={setUrl}
            />
            <TextField label={tx.description} maxLength={120} value={description} onValue={setDescription} />
            <fieldset className="flex flex-wrap gap-3 sm:col-span-2">
              <legend className="mb-1 text-sm font-semibold">{tx.events}</legend>
              {WEBHOOK_EVENT_TYPES.map((ev) => (
                <label key={ev} className="flex items-center gap-2 text-sm" dir="ltr">
                  <input
                    type="checkbox"
                    checked={events.includes(ev)}
                    onChange={(e) =>
                      setEvents((cur) => (e.target.checked ? [...cur, ev] : cur.filter((x) => x !== ev)))
                    }
                  />
                  {ev}
                </label>
              ))}
            </fieldset>
            <div>
              <Button type="submit" busy={create.isPending} disabled={events.length === 0}>
                {tx.create}
              </Button>
            </div>
          </form>
        )}
        {!endpoints.data ? (
          <LoadingBlock label={tx.title} rows={1} />
        ) : endpoints.data.length === 0 ? (
          <EmptyState icon="🪝" title={tx.none} />
        ) : (
          <ul className="flex flex-col gap-2" aria-label={tx.title}>
            {endpoints.data.map((w) => (
              <li
                key={w.id}
                className="flex flex-wrap items-center gap-3 rounded-xl border border-line p-3 text-sm"
              >
                <code dir="ltr" className="flex-1 break-all font-mono">
                  {w.url}
                </code>
                {w.description && <span className="text-muted">{w.description}</span>}
                {w.eventTypes.map((ev) => (
                  <Badge key={ev} tone="brand">
                    {ev}
                  </Badge>
                ))}
                {w.enabled ? (
                  <Badge tone="ok">{tx.active}</Badge>
                ) : w.disabledReason === 'failing' ? (
                  <Badge tone="danger">{tx.failing(w.consecutiveFailures)}</Badge>
                ) : (
                  <Badge>{tx.off}</Badge>
                )}
                {canEdit && (
                  <>
                    <Button
                      variant="secondary"
                      busy={setEnabled.isPending && setEnabled.variables?.id === w.id}
                      onClick={() =>
                        setEnabled.mutate(
                          { id: w.id, enabled: !w.enabled },
                          { onError: (err) => toast.error(err) },
                        )
                      }
                    >
                      {w.enabled ? tx.turnOff : tx.turnOn}
                    </Button>
                    <Button variant="secondary" onClick={() => setRemoving({ id: w.id, url: w.url })}>
                      {tx.remove}
                    </Button>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={tx.log}>
        {!deliveries.data ? (
          <LoadingBlock label={tx.log} rows={1} />
        ) : deliveries.data.length === 0 ? (
          <EmptyState icon="📭" title={tx.noDeliveries} />
        ) : (
          <ul className="flex flex-col gap-2" aria-label={tx.log}>
            {deliveries.data.map((d) => (
              <li
                key={d.id}
                className="flex flex-wrap items-center gap-3 rounded-xl border border-line p-3 text-sm"
              >
                <span dir="ltr" className="font-semibold">
                  {d.eventType}
                </span>
                <code dir="ltr" className="flex-1 break-all font-mono text-muted">
                  {urlOf(d.endpointId)}
                </code>
                <Badge tone={d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'danger' : 'warn'}>
                  {tx.status[d.status]}
                </Badge>
                <span className="text-muted">
                  {tx.attempts(d.attempts)}
                  {d.lastStatusCode !== null ? ` · HTTP ${d.lastStatusCode}` : ''}
                  {d.lastError && d.status !== 'delivered' ? ` · ${d.lastError}` : ''} ·{' '}
                  {when(d.deliveredAt ?? d.createdAt)}
                </span>
                {canEdit && d.status !== 'pending' && (
                  <Button
                    variant="secondary"
                    busy={resend.isPending && resend.variables === d.id}
                    onClick={() => resend.mutate(d.id, { onError: (err) => toast.error(err) })}
                  >
                    {tx.resend}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Dialog
        open={secret !== null}
        onClose={() => setSecret(null)}
        title={tx.secretTitle}
        description={tx.secretBody}
        dismissLabel={tx.done}
      >
        <code
          className="break-all rounded-xl bg-brand-50 p-3 font-mono text-sm"
          dir="ltr"
          data-testid="webhook-secret"
        >
          {secret}
        </code>
      </Dialog>
      <Dialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={removing ? tx.removeTitle(removing.url) : ''}
        description={tx.removeBody}
        confirmLabel={tx.remove}
        confirmVariant="danger"
        busy={remove.isPending}
        onConfirm={() =>
          // the promise keeps the dialog from sending a second removal while this one is in flight
          removing
            ? remove.mutateAsync(removing.id).then(
                () => setRemoving(null),
                (err: unknown) => toast.error(err),
              )
            : undefined
        }
      />
    </>
  );
}
