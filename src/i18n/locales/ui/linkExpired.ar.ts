/**
 * The tracker's "this link has expired" (links17; src/pages/tracker/TrackerUnavailable.tsx), ar — loaded only when a
 * link has expired, not with every screen's language bundle.
 */
import type { LinkExpiredStrings } from './linkExpired.en';

export const linkExpiredAr: LinkExpiredStrings = {
  title: 'انتهت صلاحية هذا الرابط',
  body: 'حفاظًا على خصوصيتك، يتوقف رابط المتابعة عن العمل بعد يوم من انتهاء الزيارة. لرؤية زياراتك، سجّل الدخول إلى حسابك أو اتصل بالعيادة.',
};
