// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { LanguageSwitcher } from '../components/AppShell';
import { TranslatorProvider, useT } from './TranslatorContext';
import { createTranslations } from './translator';
import { ar } from './locales/ar';
import { fr } from './locales/fr';

afterEach(cleanup);

function Title() {
  const { t } = useT();
  return <h1>{t('tracker.title')}</h1>;
}

describe('the light screens switch language (tracker, board)', () => {
  it('loads the chosen language, re-renders in it and mirrors <html lang dir>', async () => {
    const translations = createTranslations();
    await translations.ensure('ar');
    render(
      <TranslatorProvider translations={translations} lng="ar">
        <LanguageSwitcher compact />
        <Title />
      </TranslatorProvider>,
    );
    expect(screen.getByRole('heading').textContent).toBe(ar.tracker.title);
    fireEvent.click(screen.getByRole('button', { name: 'FR' }));
    await waitFor(() => expect(screen.getByRole('heading').textContent).toBe(fr.tracker.title));
    expect(document.documentElement.dir).toBe('ltr');
    expect(document.documentElement.lang).toBe('fr');
    fireEvent.click(screen.getByRole('button', { name: 'AR' }));
    // <html dir> is set in the same tick as the state change; the heading shows it once React has rendered
    await waitFor(() => {
      expect(document.documentElement.dir).toBe('rtl');
      expect(screen.getByRole('heading').textContent).toBe(ar.tracker.title);
    });
  });
});
