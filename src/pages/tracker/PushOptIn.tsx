import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Button } from '../../components/ui';
import { useTrackerPush } from '../../hooks/useTrackerPush';

/** Web push (issue 20): asked only when pressed; the browser code loads then. */
export default function PushOptIn({ token }: { token: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const push = useTrackerPush(token);
  if (!push.available) return null;
  const on = push.state === 'on';
  return (
    <section
      className="rounded-2xl bg-white p-4 text-center text-sm shadow-[var(--shadow-card)]"
      data-testid="tracker-push"
      data-state={push.state}
    >
      <p role="status" className={on ? 'font-semibold' : 'text-muted'}>
        {t(
          on
            ? 'tracker.push.on'
            : push.state === 'denied'
              ? 'tracker.push.denied'
              : push.state === 'failed'
                ? 'tracker.push.failed'
                : 'tracker.push.hint',
        )}
      </p>
      <Button
        className="mt-2"
        variant={on ? 'secondary' : 'primary'}
        busy={push.state === 'busy'}
        onClick={() => {
          void (on ? push.disable() : push.enable()).then((e) => {
            if (e) toast.error(e);
          });
        }}
      >
        {t(on ? 'tracker.push.off' : 'tracker.push.enable')}
      </Button>
    </section>
  );
}
