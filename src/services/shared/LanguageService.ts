/**
 * LanguageService — the reader's language: the one in the link (?lang=), else the one they chose before,
 * else the browser's, else French; remembered when they change it. Arabic reads right to left.
 */
export type Language = 'ar' | 'fr' | 'en';

export const isLanguage = (v: unknown): v is Language => v === 'ar' || v === 'fr' || v === 'en';
export const directionOf = (lng: Language): 'rtl' | 'ltr' => (lng === 'ar' ? 'rtl' : 'ltr');

/** Where the choice is remembered (the browser's storage in the app; a Map in tests). */
export interface PreferenceStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/** What the runtime says about the reader: the link's `lang`, the browser's language. */
export interface LanguageEnvironment {
  linkLanguage(): string | null;
  browserLanguage(): string;
}

export const LANGUAGE_STORAGE_KEY = 'queuemed.language';

export class LanguageService {
  constructor(
    private readonly store: PreferenceStore,
    private readonly env: LanguageEnvironment,
  ) {}

  initial(): Language {
    const fromLink = this.env.linkLanguage();
    if (isLanguage(fromLink)) return fromLink;
    const stored = this.store.get(LANGUAGE_STORAGE_KEY);
    if (isLanguage(stored)) return stored;
    const nav = (this.env.browserLanguage() || 'fr').slice(0, 2);
    return isLanguage(nav) ? nav : 'fr';
  }

  remember(lng: Language): void {
    this.store.set(LANGUAGE_STORAGE_KEY, lng);
  }
}
