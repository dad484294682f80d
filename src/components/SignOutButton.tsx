import { useTranslation } from '../i18n/TranslatorContext';
import { useSignOut } from '../hooks/useAuth';
import { navigate } from './router';
import { Button } from './ui';

export function SignOutButton({ name }: { name: string }) {
  const { t } = useTranslation();
  const signOut = useSignOut();
  return (
    <div className="flex items-center gap-2">
      <span className="hidden text-sm text-muted lg:inline" data-testid="signed-in-as">
        {t('auth.signedInAs', { name: `\u2068${name}\u2069` })}
      </span>
      <Button
        size="sm"
        variant="ghost"
        onClick={() =>
          signOut.mutate(undefined, {
            onSuccess: () => navigate('/'),
          })
        }
      >
        {t('nav.signOut')}
      </Button>
    </div>
  );
}
