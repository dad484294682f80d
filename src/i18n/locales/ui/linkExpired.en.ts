/**
 * The tracker's "this link has expired" (links17; src/pages/tracker/TrackerUnavailable.tsx), en — loaded only when a
 * link has expired, not with every screen's language bundle.
 */
export const linkExpiredEn = {
  title: 'This link has expired',
  body: 'For your privacy, a tracking link stops working a day after the visit ends. To see your visits, sign in to your account or contact the clinic.',
};

export type LinkExpiredStrings = typeof linkExpiredEn;
