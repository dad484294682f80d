/**
 * The names of people this page has shown (patients, staff), so the browser's logger can mask them inside free
 * text — an error message quoting a row, a failed form's value — where no key says "name" (issue 19). Fed from
 * the data the hooks received (hooks/QueryRoot: every successful query's result); read by
 * composition/browserLogger. In memory only, never sent anywhere; the most recent `MAX_KNOWN_NAMES` are kept.
 */
import { collectNames } from './logSanitize';

export const MAX_KNOWN_NAMES = 2000;

const names = new Set<string>();
let version = 0;

/** Remembers the names inside `data` (strings under name-like keys, see logSanitize.collectNames). */
export function rememberNamesIn(data: unknown): void {
  const found = collectNames(data, new Set());
  let changed = false;
  for (const n of found) {
    if (names.has(n)) continue;
    names.add(n);
    changed = true;
    if (names.size > MAX_KNOWN_NAMES) names.delete(names.values().next().value as string);
  }
  if (changed) version += 1;
}

/** The names remembered so far, with a version that changes whenever they do (for a cached masker). */
export function knownNames(): { readonly version: number; readonly names: readonly string[] } {
  return { version, names: [...names] };
}

/** Forgets every name (sign-out; tests). */
export function forgetKnownNames(): void {
  if (names.size === 0) return;
  names.clear();
  version += 1;
}
