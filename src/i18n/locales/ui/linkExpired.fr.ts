/**
 * The tracker's "this link has expired" (links17; src/pages/tracker/TrackerUnavailable.tsx), fr — loaded only when a
 * link has expired, not with every screen's language bundle.
 */
import type { LinkExpiredStrings } from './linkExpired.en';

export const linkExpiredFr: LinkExpiredStrings = {
  title: 'Ce lien a expiré',
  body: 'Pour protéger votre vie privée, un lien de suivi ne fonctionne plus un jour après la fin de la visite. Pour voir vos visites, connectez-vous à votre compte ou contactez le cabinet.',
};
