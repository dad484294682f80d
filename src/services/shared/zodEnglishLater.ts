/**
 * The browser build's stand-in for zod's English messages (vite.config.ts `zodEnglishLater`, only where
 * shared/zod.ts imports 'zod/v4/locales/en.js'; issue 14: ≈ 0.8 KiB gz off every signed-in screen's first load).
 * The messages load right away, beside the screen's first reads; an issue raised before they are there reads
 * zod's own "Invalid input" (its code, path and the AppError's code are the same — only the English sentence in
 * the issue's details is missing). Tests, Node and the edge functions configure the real module synchronously.
 */
import type { z } from './zod';

type ErrorMap = z.core.$ZodErrorMap;

let english: ErrorMap | null = null;

/** Settles once the English messages are in place (never rejects: offline, the issues keep "Invalid input"). */
export const englishLoaded: Promise<void> = import('zod/v4/locales/en.js').then(
  (m) => {
    english = m.default().localeError;
  },
  () => undefined,
);

/** Same shape as zod's `en()`: the config's error map, English once loaded, zod's default until then. */
export default function englishLater(): { localeError: ErrorMap } {
  return { localeError: (issue) => english?.(issue) };
}
