// @vitest-environment jsdom
/**
 * links17: a tracking link past its end (the database answers 410 VISIT.LINK_EXPIRED a day after the visit ended,
 * or once its day passed unfinished) shows "this link has expired" in the patient's language — right to left in
 * Arabic — never an error or the "not valid" message; an unknown token still says the link is not valid.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nTestRoot } from '../../test/fixtures/I18nTestRoot';
import { PublicScreensProvider, type LoadPublicScreens } from '../hooks/PublicScreensContext';
import { createAppI18n } from '../i18n/lazy';
import { appError, ErrorCodes, type ErrorCode } from '../services/shared/AppError';
import { err } from '../services/shared/Result';
import TrackerPage from './TrackerPage';

afterEach(cleanup);

type PublicScreensRepository = Awaited<ReturnType<LoadPublicScreens>>;

/** A port whose visit read answers the given refusal (nothing else is reached on an error screen). */
const refusingPort = (code: ErrorCode): PublicScreensRepository =>
  new Proxy({} as PublicScreensRepository, {
    get: (_t, name) =>
      name === 'then' // not a promise: the loader resolves to the port itself
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
