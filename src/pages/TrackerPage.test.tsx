// @vitest-environment jsdom
/**
 * links17: a tracking link past its end (the database answers 410 VISIT.LINK_EXPIRED a day after the visit ended,
 * or once its day passed unfinished) shows "this link has expired" in the patient's language — right to left in
 * Arabic — never an error or the "not valid" message; an unknown token still says the link is not valid.
 */
import { BackendConfigProvider } from '../hooks/BackendConfig';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nTestRoot } from '../../test/fixtures/I18nTestRoot';
import { PublicScreensProvider, type LoadPublicScreens } from '../hooks/PublicScreensContext';
import { createAppI18n } from '../i18n/lazy';
import { appError, ErrorCodes, type ErrorCode } from '../services/shared/AppError';
import { err, ok } from '../services/shared/Result';
import type { TrackedVisit } from '../services/queue/api/publicScreens';
import { ToastProvider } from '../components/Toasts';
import TrackerPage from './TrackerPage';

afterEach(cleanup);

type PublicScreensRepository = Awaited<ReturnType<LoadPublicScreens>>;

/** A port whose visit read answers the given refusal (nothing else is reached on an error screen). */
const refusingPort = (code: ErrorCode): PublicScreensRepository =>
  new Proxy({} as PublicScreensRepository, {
    get: (_t, name) =>
      // not a promise: the loader resolves to the port itself; no push feed (trk25's visitFeed is optional)
      name === 'then' || name === 'visitFeed'
        ? undefined
        : name === 'visit'
          ? async () => err(appError(code, 'refused'))
          : name === 'signedIn'
            ? async () => false
            : () => {
                throw new Error(`unexpected call ${String(name)}`);
              },
  });

const renderTracker = async (lng: 'ar' | 'fr' | 'en', code: ErrorCode) => {
  const i18n = await createAppI18n(lng);
  const port = refusingPort(code);
  render(
    <I18nTestRoot i18n={i18n}>
      <PublicScreensProvider load={async () => port}>
        <TrackerPage params={{ token: 'old-link' }} />
      </PublicScreensProvider>
    </I18nTestRoot>,
  );
  return screen.findByRole('alert');
};

describe('TrackerPage: an expired tracking link', () => {
  it.each([
    ['en', 'This link has expired', 'a day after the visit ends'],
    ['fr', 'Ce lien a expiré', 'un jour après la fin de la visite'],
    ['ar', 'انتهت صلاحية هذا الرابط', 'بعد يوم من انتهاء الزيارة'],
  ] as const)('%s: says the link has expired and why, not that it is invalid', async (lng, title, why) => {
    const alert = await renderTracker(lng, ErrorCodes.VISIT_LINK_EXPIRED);
    expect(await screen.findByRole('heading', { level: 1, name: title })).toBeTruthy();
    expect(alert.textContent).toContain(why);
    expect(alert.textContent).not.toContain('VISIT.LINK_EXPIRED');
    expect(document.documentElement.dir).toBe(lng === 'ar' ? 'rtl' : 'ltr');
  });

  it('an unknown link still says it is not valid', async () => {
    const alert = await renderTracker('en', ErrorCodes.NOT_FOUND);
    expect(alert.textContent).toBe('This tracking link is not valid.');
  });
});

/** A port that answers one visit (a quiet feed: nothing changes while the test reads the screen). */
const visitPort = (v: TrackedVisit): PublicScreensRepository =>
  new Proxy({} as PublicScreensRepository, {
    get: (_t, name) =>
      name === 'then' || name === 'visitFeed' // no push feed (trk25's visitFeed is optional)
        ? undefined
        : name === 'visit'
          ? async () => ok(v)
          : name === 'signedIn'
            ? async () => false
            : name === 'queueVersion'
              ? async () => ok(v.queue_version ?? 0)
              : name === 'feed'
                ? { subscribe: () => () => {} }
                : () => {
                    throw new Error(`unexpected call ${String(name)}`);
                  },
  });

const VISIT: TrackedVisit = {
  entry_id: 'e1',
  clinic: {
    id: 'c1',
    name: 'Clinique A',
    slug: 'clinic-a',
    default_language: 'fr',
    time_zone: 'Africa/Casablanca',
  },
  day: '2026-12-03',
  ticket: 'A-007',
  status: 'waiting',
  slot_start: null,
  room: null,
  grace_ends_at: null,
  late: false,
  position: 2,
  queue_version: 4,
  clock: {
    time_zone: 'Africa/Casablanca',
    now: '2026-12-03T09:00:00Z',
    today: '2026-12-03',
    offsets: [{ from: '2026-01-01T00:00:00Z', offset_minutes: 60 }],
  },
};

const renderVisit = async (lng: 'ar' | 'fr' | 'en', v: TrackedVisit) => {
  const i18n = await createAppI18n(lng);
  const port = visitPort(v);
  render(
    <I18nTestRoot i18n={i18n}>
      <ToastProvider>
        {/* as main.tsx provides it (the push offer reads whether the server has a push key: lcp23) */}
        <BackendConfigProvider config={{ supabaseUrl: 'http://test', supabaseAnonKey: 'anon' }}>
          <PublicScreensProvider load={async () => port}>
            <TrackerPage params={{ token: 'a-link' }} />
          </PublicScreensProvider>
        </BackendConfigProvider>
      </ToastProvider>
    </I18nTestRoot>,
  );
  await screen.findByTestId('tracker');
};

describe('TrackerPage: which doctor (issue 17, feat21a)', () => {
  it.each([
    ['en', 'Doctor: \u2068د. فاطمة\u2069', 'Doctor: any doctor'],
    ['fr', 'Médecin : \u2068د. فاطمة\u2069', 'Médecin : tout médecin'],
    ['ar', 'الطبيب: \u2068د. فاطمة\u2069', 'الطبيب: أي طبيب'],
  ] as const)(
    'trackerDoctor (%s): the doctor’s name, set apart from the text around it; "any doctor" without one',
    async (lng, named, any) => {
      await renderVisit(lng, { ...VISIT, doctor_name: 'د. فاطمة' });
      expect(screen.getByTestId('tracker-doctor').textContent).toBe(named);
      expect(document.documentElement.dir).toBe(lng === 'ar' ? 'rtl' : 'ltr');
      cleanup();
      await renderVisit(lng, { ...VISIT, status: 'scheduled', position: null, doctor_name: null });
      expect(screen.getByTestId('tracker-doctor').textContent).toBe(any);
    },
  );

  it('trackerDoctor: a finished visit, or a server without the field, shows no doctor line', async () => {
    await renderVisit('en', { ...VISIT, status: 'completed', position: null, doctor_name: 'Dr Alami' });
    expect(screen.queryByTestId('tracker-doctor')).toBeNull();
    cleanup();
    await renderVisit('en', VISIT);
    expect(screen.queryByTestId('tracker-doctor')).toBeNull();
  });
});

// mend22: a booked patient checked in before their slot whose doctor serves nobody today (a solo owner on leave:
// the estimate is stored "not known") read "from 10:30, your appointment time" — a time nobody keeps. The
// tracker says "not known yet" in their language; with an estimate it still says from when.
describe('TrackerPage: the estimate is not known although the slot is ahead (an owner on leave)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T09:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const booked: TrackedVisit = { ...VISIT, slot_start: '2026-12-03T09:30:00Z' };

  it.each([
    ['en', 'not known yet'],
    ['fr', 'pas encore connue'],
    ['ar', 'غير معروفة بعد'],
  ] as const)('trackerUnknown (%s): "not known yet", never the slot time', async (lng, unknown) => {
    await renderVisit(lng, { ...booked, estimate: { display: { kind: 'unknown' } } });
    expect(screen.getByTestId('tracker-eta').textContent).toBe(unknown);
  });

  it('an estimate before the slot still says from when (issue 15.6)', async () => {
    await renderVisit('en', {
      ...booked,
      estimate: { display: { kind: 'minutes', minutes: 5, low: 3, high: 8 } },
    });
    expect(screen.getByTestId('tracker-eta').textContent).toBe('from 10:30, your appointment time');
  });
});

// sec25: get_tracker_view is counted per client address; a waiting room's network past its allowance gets 429
// RATE.LIMITED. Before, the tracker said "This tracking link is not valid." — a patient holding a good link was
// told it was wrong. Now it says calmly that it tries again (role status, not alert), and the visit shows once a
// read passes (the button here; the page also retries by itself after the stack's Retry-After).
describe('TrackerPage: too many reads from the patient’s network', () => {
  /** A port whose first visit read is refused 429 RATE.LIMITED, and every later one answers the visit. */
  const limitedOncePort = (v: TrackedVisit): PublicScreensRepository => {
    const base = visitPort(v);
    let reads = 0;
    return new Proxy({} as PublicScreensRepository, {
      get: (_t, name) =>
        name === 'visit'
          ? async () =>
              ++reads === 1
                ? err(
                    appError(ErrorCodes.RATE_LIMITED, 'RATE.LIMITED', {
                      reason: 'tracker_address',
                      retryAfterSeconds: 30,
                    }),
                  )
                : ok(v)
          : (base as unknown as Record<string | symbol, unknown>)[name],
    });
  };

  it.each([
    ['en', 'Your visit is safe — just a moment', 'Try again now'],
    ['fr', 'Votre visite est bien enregistrée — un instant', 'Réessayer maintenant'],
    ['ar', 'زيارتك مسجّلة — لحظة من فضلك', 'أعد المحاولة الآن'],
  ] as const)(
    '%s: a calm "trying again", not "link not valid"; the visit once a read passes',
    async (lng, title, retry) => {
      const i18n = await createAppI18n(lng);
      const port = limitedOncePort(VISIT);
      render(
        <I18nTestRoot i18n={i18n}>
          <ToastProvider>
            <BackendConfigProvider config={{ supabaseUrl: 'http://test', supabaseAnonKey: 'anon' }}>
              <PublicScreensProvider load={async () => port}>
                <TrackerPage params={{ token: 'a-link' }} />
              </PublicScreensProvider>
            </BackendConfigProvider>
          </ToastProvider>
        </I18nTestRoot>,
      );
      const busy = await screen.findByTestId('tracker-busy');
      expect(busy.getAttribute('role')).toBe('status');
      expect(await screen.findByRole('heading', { level: 1, name: title })).toBeTruthy();
      expect(busy.textContent).not.toContain('RATE.LIMITED');
      expect(screen.queryByRole('alert')).toBeNull();
      expect(document.documentElement.dir).toBe(lng === 'ar' ? 'rtl' : 'ltr');
      screen.getByRole('button', { name: retry }).click();
      expect(await screen.findByTestId('tracker')).toBeTruthy();
      expect(screen.queryByTestId('tracker-busy')).toBeNull();
    },
  );
});
