/** Pieces shared by the admin tabs: a titled section, a save row, language options, save toasts. */
import type { ReactNode } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Button, Card } from '../../components/ui';

/** One admin panel: a card headed by its title (`headingId` lets a form inside be named by it). */
export function Section({
  title,
  headingId,
  children,
}: {
  title: string;
  headingId?: string;
  children: ReactNode;
}) {
  return (
    <Card>
      <h2 id={headingId} className="mb-4 text-lg font-bold">
        {title}
      </h2>
      {children}
    </Card>
  );
}

/** A form's submit button ("Save") on its own row. */
export function SaveRow({ busy, className }: { busy: boolean; className?: string }) {
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
export function LanguageOptions() {
  return (
    <>
      <option value="ar">العربية</option>
      <option value="fr">Français</option>
      <option value="en">English</option>
    </>
  );
}

/** A save's callbacks: "Saved" on success, the error otherwise. */
export function useSaveToasts() {
  const { t } = useTranslation();
  const toast = useToast();
  return { onSuccess: () => toast.ok(t('admin.saved')), onError: (e: unknown) => toast.error(e) };
}
