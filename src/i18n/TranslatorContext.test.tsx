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
    // <html dir> follows the rendered language (a layout effect on it)
    await waitFor(() => {
      expect(document.documentElement.dir).toBe('rtl');
      expect(screen.getByRole('heading').textContent).toBe(ar.tracker.title);
    });
  });
});

describe('<html lang dir> follows the rendered language', () => {
  it('changes dir only once the screen shows the new language (no frame of right-to-left French)', async () => {
    const translations = createTranslations();
    await translations.ensure('ar');
    document.documentElement.dir = 'rtl';
    document.documentElement.lang = 'ar';
    // what the heading said at the moment <html dir> changed
    const seen: Array<{ dir: string; heading: string | null | undefined }> = [];
    const html = document.documentElement;
    const proto = Object.getPrototypeOf(html) as object;
    const dirProp = (() => {
      for (let p: object | null = proto; p; p = Object.getPrototypeOf(p) as object | null) {
        const d = Object.getOwnPropertyDescriptor(p, 'dir');
        if (d) return d;
      }
      throw new Error('no dir property');
    })();
    Object.defineProperty(html, 'dir', {
      configurable: true,
      get: () => dirProp.get!.call(html) as string,
      set: (v: string) => {
        seen.push({ dir: v, heading: document.querySelector('h1')?.textContent });
        dirProp.set!.call(html, v);
      },
    });
    try {
      render(
        <TranslatorProvider translations={translations} lng="ar">
          <LanguageSwitcher compact />
          <Title />
        </TranslatorProvider>,
      );
      seen.length = 0;
      fireEvent.click(screen.getByRole('button', { name: 'FR' }));
      await waitFor(() => expect(screen.getByRole('heading').textContent).toBe(fr.tracker.title));
      await waitFor(() => expect(html.dir).toBe('ltr'));
      expect(html.lang).toBe('fr');
      expect(seen.filter((s) => s.dir === 'ltr')).toEqual([{ dir: 'ltr', heading: fr.tracker.title }]);
      seen.length = 0;
      fireEvent.click(screen.getByRole('button', { name: 'AR' }));
      await waitFor(() => expect(html.dir).toBe('rtl'));
      expect(seen).toEqual([{ dir: 'rtl', heading: ar.tracker.title }]);
    } finally {
      delete (html as unknown as Record<string, unknown>).dir;
    }
  });
});
