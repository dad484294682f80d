/**
 * The tracker's "too many requests from this network, trying again" (sec25; src/pages/tracker/TrackerUnavailable.tsx),
 * ar — loaded only then, in the tracker's lazy chunk.
 */
import type { TrackerBusyStrings } from './trackerBusy.en';

export const trackerBusyAr: TrackerBusyStrings = {
  title: 'زيارتك مسجّلة — لحظة من فضلك',
  body: 'هواتف كثيرة على هذه الشبكة تتابع زياراتها الآن. سنعيد المحاولة بعد بضع ثوانٍ.',
  retry: 'أعد المحاولة الآن',
};
