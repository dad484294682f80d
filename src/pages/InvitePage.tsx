/** A staff invitation link: sign in (as the invited email/phone), then accept. */
import { useTranslation } from '../i18n/TranslatorContext';
import { AppShell } from '../components/AppShell';
import { useToast } from '../components/Toasts';
import { Link, navigate } from '../components/router';
import { Button, Card } from '../components/ui';
import { useSession } from '../hooks/useAuth';
import { useAcceptInvitation } from '../hooks/useStaffService';
import { useSingleFlight } from '../hooks/useSingleFlight';

export default function InvitePage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation();
  const user = useSession();
  const accept = useSingleFlight(useAcceptInvitation());
  const toast = useToast();
  const token = params.token ?? '';
  return (
    <AppShell narrow>
      <Card className="mx-auto max-w-md">
        <h1 className="mb-2 text-2xl font-bold">{t('auth.inviteTitle')}</h1>
        <p className="mb-5 text-muted">{t('auth.inviteBody')}</p>
        {user ? (
          <Button
            size="lg"
            busy={accept.isPending}
            onClick={() =>
              accept.mutate(token, {
                onSuccess: () => {
                  toast.ok(t('auth.accepted'));
                  navigate('/staff');
                },
                onError: (e) => toast.error(e),
              })
            }
          >
            {t('auth.accept')}
          </Button>
        ) : (
          <Link
            className="inline-flex min-h-11 items-center rounded-xl bg-brand-700 px-4 font-semibold text-white"
            to={`/sign-in?next=${encodeURIComponent(`/invite/${token}`)}`}
          >
            {t('nav.signIn')}
          </Link>
        )}
      </Card>
    </AppShell>
  );
}
