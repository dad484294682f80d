/**
 * Clinic admin: profile, working hours (split days) and closed dates, queue rules, visit types, team and
 * invitations, SMS templates per language with live preview + segment/cost count, SMS budget and log.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { StaffGate } from '../components/StaffGate';
import { useToast } from '../components/Toasts';
import {
  Badge,
  Button,
  Card,
  EmptyState,
  Field,
  Input,
  LoadingBlock,
  PageTitle,
  Select,
  TextArea,
  TextField,
  cx,
} from '../components/ui';
import type { Membership } from '../hooks/ui/auth';
import {
  TEMPLATE_KINDS,
  defaultTemplateText,
  messageCost,
  renderPreview,
  templateVariables,
  useBudget,
  useClinicSettings,
  useClosedDates,
  useCreateInvitation,
  useMembers,
  useMessageLog,
  useClosedDateActions,
  useSaveHours,
  useSaveTemplate,
  useSaveTypeDuration,
  useTemplates,
  useUpdateClinic,
  type HoursRange,
  type TemplateKind,
} from '../hooks/ui/admin';
import { usePublicClinic } from '../hooks/ui/patient';

const TABS = ['profile', 'hours', 'rules', 'types', 'members', 'templates', 'budget'] as const;
type Tab = (typeof TABS)[number];

/** One admin panel: a card headed by its title. */
function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <h2 className="mb-4 text-lg font-bold">{title}</h2>
      {children}
    </Card>
  );
}

/** A form's submit button ("Save") on its own row. */
function SaveRow({ busy, className }: { busy: boolean; className?: string }) {
  const { t } = useTranslation();
  return (
    <div className={className}>
      <Button type="submit" busy={busy}>
        {t('common.save')}
      </Button>
    </div>
  );
}

/** The patient languages, each named in itself. */
function LanguageOptions() {
  return (
    <>
      <option value="ar">العربية</option>
      <option value="fr">Français</option>
      <option value="en">English</option>
    </>
  );
}

/** A save's callbacks: "Saved" on success, the error otherwise. */
function useSaveToasts() {
  const { t } = useTranslation();
  const toast = useToast();
  return { onSuccess: () => toast.ok(t('admin.saved')), onError: (e: unknown) => toast.error(e) };
}

export default function AdminPage() {
  return <StaffGate>{(m) => <Admin member={m} />}</StaffGate>;
}

function Admin({ member }: { member: Membership }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('profile');
  const isAdmin = member.role === 'owner' || member.role === 'admin';
  return (
    <div>
      <PageTitle>{t('admin.title')}</PageTitle>
      {!isAdmin && <p className="mb-4 rounded-xl bg-warn-50 p-3 text-warn-700">{t('admin.ownerOnly')}</p>}
      <div className="grid gap-6 lg:grid-cols-[14rem_1fr]">
        <div
          role="tablist"
          aria-label={t('admin.title')}
          aria-orientation="vertical"
          className="flex gap-1 overflow-x-auto lg:flex-col"
        >
          {TABS.map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              id={`admin-tab-${k}`}
              aria-selected={tab === k}
              aria-controls={`admin-panel-${k}`}
              onClick={() => setTab(k)}
              className={cx(
                'whitespace-nowrap rounded-xl px-4 py-2.5 text-start text-sm font-semibold',
                tab === k ? 'bg-brand-700 text-white' : 'text-ink hover:bg-brand-50',
              )}
            >
              {t(`admin.tabs.${k}`)}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`admin-panel-${tab}`} aria-labelledby={`admin-tab-${tab}`}>
          {tab === 'profile' && <Profile clinicId={member.clinicId} canEdit={isAdmin} />}
          {tab === 'hours' && <Hours clinicId={member.clinicId} canEdit={isAdmin} />}
          {tab === 'rules' && <Rules clinicId={member.clinicId} canEdit={isAdmin} />}
          {tab === 'types' && <Types clinicId={member.clinicId} canEdit={isAdmin} />}
          {tab === 'members' && <Members clinicId={member.clinicId} canInvite={isAdmin} />}
          {tab === 'templates' && <Templates clinicId={member.clinicId} canEdit={isAdmin} />}
          {tab === 'budget' && <Budget clinicId={member.clinicId} />}
        </div>
      </div>
    </div>
  );
}

function Profile({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const saved = useSaveToasts();
  const c = useClinicSettings(clinicId);
  const save = useUpdateClinic(clinicId);
  const [form, setForm] = useState({ name: '', address: '', phone: '', default_language: 'fr' });
  useEffect(() => {
    if (c.data)
      setForm({
        name: c.data.name,
        address: c.data.address ?? '',
        phone: c.data.phone ?? '',
        default_language: c.data.default_language,
      });
  }, [c.data]);
  if (!c.data) return <LoadingBlock label={t('common.loading')} />;
  const field = (k: 'name' | 'address' | 'phone', label: string, dir?: 'ltr') => (
    <TextField
      label={label}
      dir={dir}
      readOnly={!canEdit}
      required={k === 'name'}
      value={form[k]}
      onValue={(v) => setForm({ ...form, [k]: v })}
    />
  );
  return (
    <Section title={t('admin.tabs.profile')}>
      <form
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(
            {
              name: form.name.trim(),
              address: form.address.trim() || null,
              phone: form.phone.trim() || null,
              default_language: form.default_language,
            },
            saved,
          );
        }}
      >
        {field('name', t('admin.name'))}
        {field('address', t('admin.address'))}
        {field('phone', t('admin.phone'), 'ltr')}
        <Field label={t('admin.language')}>
          {(id) => (
            <Select
              id={id}
              disabled={!canEdit}
              value={form.default_language}
              onChange={(e) => setForm({ ...form, default_language: e.target.value })}
            >
              <LanguageOptions />
            </Select>
          )}
        </Field>
        <div className="rounded-xl bg-slate-50 p-3 text-sm">
          <span className="text-muted">{t('admin.timeZone')}: </span>
          <span className="font-semibold">{c.data.time_zone}</span>
        </div>
        <div className="rounded-xl bg-slate-50 p-3 text-sm">
          <span className="text-muted">{t('admin.publicPage')}: </span>
          <code className="font-semibold" dir="ltr">{`/c/${c.data.slug}`}</code>
        </div>
        {canEdit && <SaveRow busy={save.isPending} />}
      </form>
    </Section>
  );
}

function Hours({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const pub = usePublicClinic(clinicId);
  const closed = useClosedDates(clinicId);
  const saveHours = useSaveHours(clinicId);
  const closedActions = useClosedDateActions(clinicId);
  const saved = useSaveToasts();
  const [ranges, setRanges] = useState<HoursRange[]>([]);
  const [newDay, setNewDay] = useState('');
  const [newReason, setNewReason] = useState('');
  useEffect(() => {
    if (pub.data) setRanges(pub.data.working_hours.map((w) => ({ ...w })));
  }, [pub.data]);
  if (!pub.data) return <LoadingBlock label={t('common.loading')} />;
  const setRange = (i: number, patch: Partial<HoursRange>) =>
    setRanges(ranges.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="flex flex-col gap-4">
      <Section title={t('admin.tabs.hours')}>
        <ul className="flex flex-col gap-2">
          {[1, 2, 3, 4, 5, 6, 0].map((d) => {
            const dayName = t(`booking.weekday.${d}` as 'booking.weekday.0');
            const items = ranges.map((r, i) => ({ r, i })).filter(({ r }) => r.weekday === d);
            return (
              <li
                key={d}
                className="flex flex-wrap items-center gap-3 rounded-xl border border-line p-3"
                data-testid={`hours-${d}`}
              >
                <span className="w-28 font-semibold">{dayName}</span>
                {items.length === 0 && <Badge>{t('booking.closedDay')}</Badge>}
                {items.map(({ r, i }) => (
                  <span
                    key={i}
                    className="flex items-center gap-1 rounded-lg bg-brand-50 px-2 py-1"
                    dir="ltr"
                  >
                    <input
                      type="time"
                      aria-label={`${dayName} ${t('admin.from')}`}
                      readOnly={!canEdit}
                      value={r.starts_at}
                      onChange={(e) => setRange(i, { starts_at: e.target.value })}
                      className="rounded bg-white px-1 font-mono text-sm"
                    />
                    –
                    <input
                      type="time"
                      aria-label={`${dayName} ${t('admin.to')}`}
                      readOnly={!canEdit}
                      value={r.ends_at}
                      onChange={(e) => setRange(i, { ends_at: e.target.value })}
                      className="rounded bg-white px-1 font-mono text-sm"
                    />
                    {canEdit && (
                      <button
                        type="button"
                        className="rounded px-1.5 text-danger-700 hover:bg-red-100"
                        aria-label={t('admin.removeRange', {
                          range: `${dayName} ${r.starts_at}–${r.ends_at}`,
                        })}
                        onClick={() => setRanges(ranges.filter((_, j) => j !== i))}
                      >
                        ×
                      </button>
                    )}
                  </span>
                ))}
                {canEdit && (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`${t('admin.addRange')} — ${dayName}`}
                    onClick={() =>
                      setRanges([
                        ...ranges,
                        {
                          weekday: d,
                          starts_at: items.length ? '15:00' : '09:00',
                          ends_at: items.length ? '19:00' : '13:00',
                        },
                      ])
                    }
                  >
                    + {t('admin.addRange')}
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
        {canEdit && (
          <Button className="mt-4" busy={saveHours.isPending} onClick={() => saveHours.mutate(ranges, saved)}>
            {t('common.save')}
          </Button>
        )}
      </Section>
      <Card>
        <h2 className="mb-3 text-lg font-bold">{t('admin.closedDates')}</h2>
        {closed.data && closed.data.length > 0 ? (
          <ul className="flex flex-col gap-2">
            {[...closed.data]
              .sort((a, b) => a.day.localeCompare(b.day))
              .map((c) => (
                <li key={c.day} className="flex items-center gap-3 rounded-xl bg-slate-50 p-3">
                  <span className="tabular font-mono" dir="ltr">
                    {c.day}
                  </span>
                  <span className="flex-1 text-muted">{c.reason}</span>
                  {canEdit && (
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`${t('admin.remove')} ${c.day}`}
                      onClick={() => closedActions.remove.mutate(c.day, { onError: (e) => toast.error(e) })}
                    >
                      {t('admin.remove')}
                    </Button>
                  )}
                </li>
              ))}
          </ul>
        ) : (
          <p className="text-muted">{t('admin.noClosedDates')}</p>
        )}
        {canEdit && (
          <form
            className="mt-4 flex flex-wrap items-end gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              closedActions.add.mutate(
                { day: newDay, reason: newReason.trim() },
                {
                  onSuccess: () => {
                    setNewDay('');
                    setNewReason('');
                  },
                  onError: (err) => toast.error(err),
                },
              );
            }}
          >
            <TextField
              label={t('admin.day')}
              type="date"
              required
              dir="ltr"
              value={newDay}
              onValue={setNewDay}
            />
            <TextField label={t('admin.reason')} value={newReason} onValue={setNewReason} />
            <Button type="submit" variant="secondary" busy={closedActions.add.isPending}>
              {t('admin.addClosed')}
            </Button>
          </form>
        )}
      </Card>
    </div>
  );
}

const RULE_DEFAULTS: Record<string, number | boolean | string> = {
  grace_period_minutes: 10,
  max_skips: 3,
  late_return_policy: 'after_next',
  late_return_offset: 1,
  on_time_tolerance_minutes: 10,
  min_booking_notice_minutes: 60,
  min_cancel_notice_minutes: 120,
  booking_horizon_days: 30,
  slot_capacity: 1,
  buffer_minutes: 5,
  board_show_names: false,
};

function Rules({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const saved = useSaveToasts();
  const c = useClinicSettings(clinicId);
  const save = useUpdateClinic(clinicId);
  const [values, setValues] = useState<Record<string, number | boolean | string>>(RULE_DEFAULTS);
  useEffect(() => {
    if (c.data)
      setValues({ ...RULE_DEFAULTS, ...(c.data.settings as Record<string, number | boolean | string>) });
  }, [c.data]);
  if (!c.data) return <LoadingBlock label={t('common.loading')} />;
  return (
    <Section title={t('admin.tabs.rules')}>
      <form
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ settings: { ...c.data!.settings, ...values } }, saved);
        }}
      >
        {Object.keys(RULE_DEFAULTS).map((k) => {
          const label = t(`admin.rules.${k}` as 'admin.rules.max_skips');
          const v = values[k];
          if (typeof RULE_DEFAULTS[k] === 'boolean')
            return (
              <label key={k} className="flex items-center gap-2 self-end text-sm font-semibold">
                <input
                  type="checkbox"
                  className="size-5 accent-teal-700"
                  disabled={!canEdit}
                  checked={v === true}
                  onChange={(e) => setValues({ ...values, [k]: e.target.checked })}
                />
                {label}
              </label>
            );
          if (k === 'late_return_policy')
            return (
              <Field key={k} label={label}>
                {(id) => (
                  <Select
                    id={id}
                    disabled={!canEdit}
                    value={String(v)}
                    onChange={(e) => setValues({ ...values, [k]: e.target.value })}
                  >
                    {(['after_next', 'front', 'end'] as const).map((p) => (
                      <option key={p} value={p}>
                        {t(`admin.policies.${p}`)}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            );
          return (
            <Field key={k} label={label}>
              {(id) => (
                <Input
                  id={id}
                  type="number"
                  min={0}
                  required
                  readOnly={!canEdit}
                  value={String(v)}
                  onChange={(e) => setValues({ ...values, [k]: Number(e.target.value) })}
                />
              )}
            </Field>
          );
        })}
        {canEdit && <SaveRow busy={save.isPending} className="sm:col-span-2" />}
      </form>
    </Section>
  );
}

function Types({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const saved = useSaveToasts();
  const pub = usePublicClinic(clinicId);
  const save = useSaveTypeDuration(clinicId);
  if (!pub.data) return <LoadingBlock label={t('common.loading')} />;
  return (
    <Section title={t('admin.tabs.types')}>
      <ul className="flex flex-col gap-2">
        {pub.data.appointment_types.map((ty) => (
          <li
            key={ty.id}
            className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-line p-3"
          >
            <span className="font-semibold">{ty.name}</span>
            {canEdit ? (
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="number"
                  min={5}
                  max={240}
                  step={5}
                  aria-label={`${ty.name} — ${t('admin.typeDuration', { m: '' }).trim()}`}
                  defaultValue={ty.duration_minutes}
                  className="w-20 rounded-lg border border-line px-2 py-1"
                  onBlur={(e) => {
                    const m = Number(e.target.value);
                    if (m !== ty.duration_minutes) save.mutate({ id: ty.id, duration_minutes: m }, saved);
                  }}
                />
                {t('admin.typeDuration', { m: '' }).trim()}
              </label>
            ) : (
              <Badge tone="brand">{t('admin.typeDuration', { m: ty.duration_minutes })}</Badge>
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}

function Members({ clinicId, canInvite }: { clinicId: string; canInvite: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const members = useMembers(clinicId);
  const invite = useCreateInvitation(clinicId);
  const [role, setRole] = useState('practitioner');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [room, setRoom] = useState('');
  const [link, setLink] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-4">
      <Section title={t('admin.members')}>
        {!members.data ? (
          <LoadingBlock label={t('common.loading')} rows={3} />
        ) : (
          <ul className="flex flex-col gap-2">
            {members.data.map((m) => (
              <li key={m.id} className="flex flex-wrap items-center gap-3 rounded-xl border border-line p-3">
                <span className="flex-1 font-semibold">{m.display_name}</span>
                <Badge tone="brand">{t(`home.roles.${m.role}` as 'home.roles.owner')}</Badge>
                {m.room && <Badge>{t('dash.room', { room: m.room })}</Badge>}
              </li>
            ))}
          </ul>
        )}
      </Section>
      {canInvite && (
        <Section title={t('admin.invite')}>
          <form
            className="grid gap-3 sm:grid-cols-2"
            onSubmit={(e) => {
              e.preventDefault();
              invite.mutate(
                {
                  role,
                  displayName: name.trim(),
                  email: email.trim() || null,
                  phone: phone.trim() || null,
                  room: room.trim() || null,
                },
                {
                  onSuccess: (r) => setLink(`${window.location.origin}/invite/${r.token}`),
                  onError: (err) => toast.error(err),
                },
              );
            }}
          >
            <Field label={t('admin.inviteRole')}>
              {(id) => (
                <Select id={id} value={role} onChange={(e) => setRole(e.target.value)}>
                  {(['practitioner', 'receptionist', 'admin'] as const).map((r) => (
                    <option key={r} value={r}>
                      {t(`home.roles.${r}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <TextField label={t('admin.inviteName')} required value={name} onValue={setName} />
            <TextField
              label={t('admin.inviteEmail')}
              type="email"
              dir="ltr"
              value={email}
              onValue={setEmail}
            />
            <TextField label={t('admin.invitePhone')} type="tel" dir="ltr" value={phone} onValue={setPhone} />
            <TextField label={t('admin.inviteRoom')} value={room} onValue={setRoom} />
            <div className="flex items-end">
              <Button type="submit" busy={invite.isPending}>
                {t('admin.inviteSend')}
              </Button>
            </div>
          </form>
          {link && (
            <p className="mt-4 rounded-xl bg-brand-50 p-3 text-sm">
              {t('admin.inviteLink')}{' '}
              <code className="break-all font-mono" dir="ltr" data-testid="invite-link">
                {link}
              </code>
            </p>
          )}
        </Section>
      )}
    </div>
  );
}

function Templates({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const saved = useSaveToasts();
  const templates = useTemplates(clinicId);
  const save = useSaveTemplate(clinicId);
  const [kind, setKind] = useState<TemplateKind>('your_turn');
  const [lang, setLang] = useState<'ar' | 'fr' | 'en'>('fr');
  const stored = templates.data?.find((x) => x.kind === kind && x.language === lang)?.body;
  const [body, setBody] = useState('');
  useEffect(() => setBody(stored ?? defaultTemplateText(kind, lang)), [stored, kind, lang]);
  const cost = messageCost(renderPreview(body));
  return (
    <Section title={t('admin.tabs.templates')}>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={t('admin.templateKind')}>
          {(id) => (
            <Select id={id} value={kind} onChange={(e) => setKind(e.target.value as TemplateKind)}>
              {TEMPLATE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`admin.kinds.${k}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t('admin.templateLang')}>
          {(id) => (
            <Select id={id} value={lang} onChange={(e) => setLang(e.target.value as 'ar' | 'fr' | 'en')}>
              <LanguageOptions />
            </Select>
          )}
        </Field>
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Field label={t('admin.templateBody')}>
          {(id) => (
            <TextArea
              id={id}
              dir={lang === 'ar' ? 'rtl' : 'ltr'}
              value={body}
              readOnly={!canEdit}
              onChange={(e) => setBody(e.target.value)}
            />
          )}
        </Field>
        <div>
          <p className="mb-1.5 text-sm font-semibold">{t('admin.templatePreview')}</p>
          <div
            className="rounded-2xl rounded-ss-sm bg-emerald-50 p-3 text-sm"
            dir={lang === 'ar' ? 'rtl' : 'ltr'}
            data-testid="template-preview"
          >
            {renderPreview(body)}
          </div>
          <p className="tabular mt-2 text-sm text-muted" data-testid="template-segments">
            {t('admin.segments', { chars: cost.chars, segments: cost.segments, encoding: cost.encoding })} ·{' '}
            {t('admin.cost', { cost: cost.cost })}
          </p>
        </div>
      </div>
      <p className="mt-3 text-xs text-muted">
        {t('admin.variables')}:{' '}
        {templateVariables(kind).map((v) => (
          <code key={v} className="me-1 rounded bg-slate-100 px-1" dir="ltr">{`{${v}}`}</code>
        ))}
      </p>
      {canEdit && (
        <Button
          className="mt-4"
          busy={save.isPending}
          onClick={() => save.mutate({ kind, language: lang, body }, saved)}
        >
          {t('common.save')}
        </Button>
      )}
    </Section>
  );
}

function Budget({ clinicId }: { clinicId: string }) {
  const { t, i18n } = useTranslation();
  const budget = useBudget(clinicId);
  const log = useMessageLog(clinicId);
  const b = budget.data;
  return (
    <div className="flex flex-col gap-4">
      <Section title={t('admin.tabs.budget')}>
        {!b ? (
          <LoadingBlock label={t('common.loading')} rows={2} />
        ) : (
          <div>
            <p className="tabular text-lg font-semibold">
              {t('admin.budgetUsed', {
                count: b.spent_count + b.reserved_count,
                limit: b.limit_count ?? '∞',
              })}
            </p>
            <p className="tabular text-muted">
              {t('admin.budgetAmount', { amount: b.spent_amount, limit: b.limit_amount ?? '∞' })}
            </p>
            <div
              className="mt-3 h-3 overflow-hidden rounded-full bg-slate-100"
              role="progressbar"
              aria-label={t('admin.tabs.budget')}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(b.used_ratio * 100)}
            >
              <div
                className={cx('h-full rounded-full', b.alert ? 'bg-warn-600' : 'bg-brand-500')}
                style={{ inlineSize: `${Math.min(100, b.used_ratio * 100)}%` }}
              />
            </div>
          </div>
        )}
      </Section>
      <Section title={t('admin.messageLog')}>
        {!log.data ? (
          <LoadingBlock label={t('common.loading')} rows={3} />
        ) : log.data.length === 0 ? (
          <EmptyState icon="✉️" title={t('admin.noMessages')} />
        ) : (
          <ul className="flex flex-col gap-2">
            {log.data.map((m) => (
              <li key={m.id} className="rounded-xl border border-line p-3 text-sm">
                <div className="mb-1 flex flex-wrap gap-2">
                  <Badge tone="brand">{t(`admin.kinds.${m.kind}` as 'admin.kinds.your_turn')}</Badge>
                  <Badge>{m.status}</Badge>
                  <span className="tabular text-muted">
                    {new Date(m.created_at).toLocaleString(i18n.language)}
                  </span>
                </div>
                <p dir="auto">{m.body}</p>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
