/** QueueMed's small design system: buttons, cards, badges, fields, skeletons and empty states. */
import type {
  ButtonHTMLAttributes,
  ComponentProps,
  ReactNode,
  SelectHTMLAttributes,
  TextareaHTMLAttributes,
} from 'react';
import { useId } from 'react';

const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(' ');
export { cx };

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger' | 'warn';
const variants: Record<Variant, string> = {
  primary: 'bg-brand-700 text-white hover:bg-brand-800 shadow-sm disabled:bg-brand-700/50',
  secondary: 'bg-white text-ink border border-line hover:bg-brand-50 disabled:text-muted',
  ghost: 'text-brand-800 hover:bg-brand-50',
  danger: 'bg-danger-600 text-white hover:bg-danger-700 disabled:bg-danger-600/50',
  warn: 'bg-warn-50 text-warn-700 border border-warn-600/30 hover:bg-amber-100',
};

export function Button({
  variant = 'primary',
  size = 'md',
  className,
  busy,
  children,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: Variant;
  size?: 'sm' | 'md' | 'lg';
  busy?: boolean;
}) {
  return (
    <button
      type="button"
      {...rest}
      disabled={rest.disabled || busy}
      aria-busy={busy || undefined}
      className={cx(
        'inline-flex items-center justify-center gap-2 rounded-xl font-semibold transition-colors disabled:cursor-not-allowed',
        size === 'sm' && 'min-h-9 px-3 text-sm',
        size === 'md' && 'min-h-11 px-4 text-[0.95rem]',
        size === 'lg' && 'min-h-14 px-6 text-lg',
        variants[variant],
        className,
      )}
    >
      {busy && (
        <span
          aria-hidden
          className="size-4 animate-spin rounded-full border-2 border-current border-e-transparent"
        />
      )}
      {children}
    </button>
  );
}

export function Card({
  children,
  className,
  as: As = 'section',
  ...rest
}: {
  children: ReactNode;
  className?: string;
  as?: 'section' | 'div' | 'article';
  'aria-labelledby'?: string;
  'aria-label'?: string;
}) {
  return (
    <As
      {...rest}
      className={cx(
        'rounded-[var(--radius-card)] border border-line bg-white p-5 shadow-[var(--shadow-card)]',
        className,
      )}
    >
      {children}
    </As>
  );
}

type Tone = 'neutral' | 'brand' | 'warn' | 'danger' | 'ok' | 'info';
const tones: Record<Tone, string> = {
  neutral: 'bg-slate-100 text-slate-700',
  brand: 'bg-brand-100 text-brand-900',
  warn: 'bg-amber-100 text-amber-900',
  danger: 'bg-red-100 text-red-800',
  ok: 'bg-emerald-100 text-emerald-900',
  info: 'bg-sky-100 text-sky-900',
};
export function Badge({
  tone = 'neutral',
  children,
  className,
}: {
  tone?: Tone;
  children: ReactNode;
  className?: string;
}) {
  return (
    <span
      className={cx(
        'inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap',
        tones[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}

export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: string;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-semibold text-ink">
        {label}
      </label>
      {children(id, hintId)}
      {hint && (
        <p id={hintId} className="text-xs text-muted">
          {hint}
        </p>
      )}
    </div>
  );
}

const control =
  'min-h-11 w-full rounded-xl border border-line bg-white px-3 text-base text-ink placeholder:text-slate-500 focus:border-brand-500';
export function Input(props: ComponentProps<'input'>) {
  return <input {...props} className={cx(control, props.className)} />;
}
export function Select(props: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select {...props} className={cx(control, props.className)} />;
}
export function TextArea(props: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea {...props} className={cx(control, 'min-h-28 py-2', props.className)} />;
}

/** A labelled text input bound to one string of form state: `Field` + `Input`, `onValue` gets the new text. */
export function TextField({
  label,
  value,
  onValue,
  ...input
}: Omit<ComponentProps<'input'>, 'id' | 'value' | 'onChange'> & {
  label: string;
  value: string;
  onValue: (value: string) => void;
}) {
  return (
    <Field label={label}>
      {(id) => <Input id={id} {...input} value={value} onChange={(e) => onValue(e.target.value)} />}
    </Field>
  );
}

export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cx('qm-skeleton rounded-lg', className)} />;
}

export function LoadingBlock({ rows = 4, label }: { rows?: number; label: string }) {
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-3">
      <span className="sr-only">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-12 w-full" />
      ))}
    </div>
  );
}

export function EmptyState({
  title,
  hint,
  icon = '🗂️',
  action,
}: {
  title: string;
  hint?: string;
  icon?: string;
  action?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-2xl border border-dashed border-line bg-white/60 px-6 py-12 text-center">
      <svg aria-hidden data-icon={icon} viewBox="0 0 48 48" className="size-12 text-brand-500">
        <rect x="6" y="10" width="36" height="28" rx="6" fill="currentColor" opacity="0.15" />
        <path d="M14 20h20M14 26h12" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
      </svg>
      <p className="text-lg font-semibold">{title}</p>
      {hint && <p className="max-w-md text-muted">{hint}</p>}
      {action}
    </div>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-5 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-bold tracking-tight text-ink sm:text-3xl">{children}</h1>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  );
}
