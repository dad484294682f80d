/**
 * Screens' own strings travel with their page, not in every screen's language bundle (issue 14: the
 * patient's tracker and the waiting-room board never show the clinic settings or the kiosk). A page calls
 * `usePageStrings('admin' | 'kiosk' | 'records' | 'landing' | 'visits' | 'join' | 'dash' | 'myName' | 'booking')`, which adds the reader's language (and the next one when they
 * switch) to the app's translator (translator.ts) before the page renders.
 */
import { useEffect, useState } from 'react';
import type { Language } from './languages';
import { useT } from './TranslatorContext';
import { errorText, type Translations } from './translator';

type Section =
  | 'admin'
  | 'kiosk'
  | 'kioskMore'
  | 'records'
  | 'landing'
  | 'visits'
  | 'join'
  | 'dash'
  | 'myName'
  | 'booking'
  | 'doctors';

const loaders: Record<Section, Record<Language, () => Promise<object>>> = {
  admin: {
    ar: () => import('./locales/ui/admin.ar').then((m) => m.adminAr),
    fr: () => import('./locales/ui/admin.fr').then((m) => m.adminFr),
    en: () => import('./locales/ui/admin.en').then((m) => m.adminEn),
  },
  kiosk: {
    ar: () => import('./locales/ui/kiosk.ar').then((m) => m.kioskAr),
    fr: () => import('./locales/ui/kiosk.fr').then((m) => m.kioskFr),
    en: () => import('./locales/ui/kiosk.en').then((m) => m.kioskEn),
  },
  // the kiosk's walk-in form, printed ticket and pairing by code (kiosk17f): with those lazy screens only
  kioskMore: {
    ar: () => import('./locales/ui/kioskMore.ar').then((m) => m.kioskMoreAr),
    fr: () => import('./locales/ui/kioskMore.fr').then((m) => m.kioskMoreFr),
    en: () => import('./locales/ui/kioskMore.en').then((m) => m.kioskMoreEn),
  },
  // the home page (its role names stay in the main bundle: staff screens use them)
  landing: {
    ar: () => import('./locales/ui/landing.ar').then((m) => m.landingAr),
    fr: () => import('./locales/ui/landing.fr').then((m) => m.landingFr),
    en: () => import('./locales/ui/landing.en').then((m) => m.landingEn),
  },
  // the patient's "My visits" page
  visits: {
    ar: () => import('./locales/ui/visits.ar').then((m) => m.visitsAr),
    fr: () => import('./locales/ui/visits.fr').then((m) => m.visitsFr),
    en: () => import('./locales/ui/visits.en').then((m) => m.visitsEn),
  },
  // "Your name at {clinic}" on My visits (issue 12): loaded with its lazy card
  myName: {
    ar: () => import('./locales/ui/myName.ar').then((m) => m.myNameAr),
    fr: () => import('./locales/ui/myName.fr').then((m) => m.myNameFr),
    en: () => import('./locales/ui/myName.en').then((m) => m.myNameEn),
  },
  // "join today's queue from my phone" on a clinic's page (issue 17)
  join: {
    ar: () => import('./locales/ui/join.ar').then((m) => m.joinAr),
    fr: () => import('./locales/ui/join.fr').then((m) => m.joinFr),
    en: () => import('./locales/ui/join.en').then((m) => m.joinEn),
  },
  // the staff desk (`dash.*`): with the dashboard, and the admin and My visits pages that use a few
  dash: {
    ar: () => import('./locales/ui/dash.ar').then((m) => m.dashAr),
    fr: () => import('./locales/ui/dash.fr').then((m) => m.dashFr),
    en: () => import('./locales/ui/dash.en').then((m) => m.dashEn),
  },
  // booking (`booking.*`: visit types, days, slots, weekdays): a clinic's page, the booking and reschedule
  // dialogs, the admin's hours tab — not the tracker, the board or the desk's first render (issue 14)
  booking: {
    ar: () => import('./locales/ui/booking.ar').then((m) => m.bookingAr),
    fr: () => import('./locales/ui/booking.fr').then((m) => m.bookingFr),
    en: () => import('./locales/ui/booking.en').then((m) => m.bookingEn),
  },
  // the admin's doctor hours and leave (hours19): loaded with its lazy section of the hours tab
  doctors: {
    ar: () => import('./locales/ui/doctors.ar').then((m) => m.doctorsAr),
    fr: () => import('./locales/ui/doctors.fr').then((m) => m.doctorsFr),
    en: () => import('./locales/ui/doctors.en').then((m) => m.doctorsEn),
  },
  // the desk's patient search and staff notes (issue 17): loaded with their lazy panels
  records: {
    ar: () => import('./locales/ui/records.ar').then((m) => m.recordsAr),
    fr: () => import('./locales/ui/records.fr').then((m) => m.recordsFr),
    en: () => import('./locales/ui/records.en').then((m) => m.recordsEn),
  },
};

/** A section's strings in one language, as its module exports them. */
export const pageStringsOf = (section: Section, lng: Language): Promise<object> => loaders[section][lng]();

export async function ensurePageStrings(tr: Translations, section: Section, lng: Language): Promise<void> {
  if (!tr.hasKey(lng, section)) tr.add(lng, { [section]: await pageStringsOf(section, lng) });
}

/**
 * True once the section's strings in the reader's current language are in place. `screen`: the whole screen
 * needs them — when they cannot be loaded (offline, or a deploy removed the old chunk) the error is thrown at
 * render, as a failed lazy page is: the error boundary says so in the reader's language with a Reload button,
 * instead of "Loading…" for ever. A panel's or card's strings (not `screen`) keep their loading state: the rest
 * of the screen (the desk's queue) stays usable.
 */
export function usePageStrings(section: Section, screen = false): boolean {
  const { lng, translations } = useT();
  const [ready, setReady] = useState<string | null>(() => (translations.hasKey(lng, section) ? lng : null));
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    ensurePageStrings(translations, section, lng).then(
      () => live && setReady(lng),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [translations, section, lng]);
  if (failed && screen) throw new Error(`the ${section} strings could not be loaded`);
  return ready === lng || translations.hasKey(lng, section);
}

/**
 * The translated message of a coded error, for a component that shows one inline (a toast needs nothing:
 * Toasts waits for the messages). Starts loading the reader's error messages when the component mounts
 * (src/i18n/README.md) and re-renders once they are there; until then "Loading…", never a wrong message.
 */
export function useErrorText(): (
  code: string | undefined,
  params?: Readonly<Record<string, unknown>>,
) => string {
  const { lng, t, translations } = useT();
  const [ready, setReady] = useState<string | null>(() => (translations.hasErrors(lng) ? lng : null));
  useEffect(() => {
    let live = true;
    void translations.ensureErrors(lng).then(
      () => live && setReady(lng),
      () => live && setReady(lng), // offline: the core's generic message
    );
    return () => {
      live = false;
    };
  }, [translations, lng]);
  return (code, params) =>
    ready === lng || translations.hasErrors(lng)
      ? errorText(translations, lng, code, params)
      : t('common.loading');
}
