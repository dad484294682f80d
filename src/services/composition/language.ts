/**
 * The reader's language service in the browser. Light on purpose (no supabase-js): every screen, the
 * tracker included, needs it before its first render.
 */
import { LanguageService } from '../shared/LanguageService';
import {
  browserLanguageEnvironment,
  browserPreferenceStore,
} from '../shared/repositories/BrowserPreferences';

export const browserLanguageService = new LanguageService(browserPreferenceStore, browserLanguageEnvironment);
