/**
 * The tracker's "too many requests from this network, trying again" (sec25: get_tracker_view counted per address,
 * 429 RATE.LIMITED; src/pages/tracker/TrackerUnavailable.tsx), en — loaded only then, in the tracker's lazy chunk.
 */
export const trackerBusyEn = {
  title: 'Your visit is safe — just a moment',
  body: 'Many phones on this network are checking their visits right now. We will try again in a few seconds.',
  retry: 'Try again now',
};

export type TrackerBusyStrings = typeof trackerBusyEn;
