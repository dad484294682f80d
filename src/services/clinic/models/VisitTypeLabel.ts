/**
 * A visit type's name in the reader's language (issue 17, types19). Pure.
 * `names` holds the languages the clinic filled in; a missing one falls back to the type's name (the default).
 */
import { z } from '../../shared/zod';

export const VISIT_TYPE_LANGUAGES = ['ar', 'fr', 'en'] as const;
export type VisitTypeLanguage = (typeof VISIT_TYPE_LANGUAGES)[number];
export type VisitTypeNames = Readonly<Partial<Record<VisitTypeLanguage, string>>>;
/**
 * A names object as the database sends it. Its keys and lengths are the table's CHECK (20261219400001); only
 * the shape is read here (this ships on every screen that lists types).
 */
export const VisitTypeNamesSchema = z.record(z.string(), z.string());

/** The type's name in `language`, else its default name. */
export function visitTypeLabel(
  type: { readonly name: string; readonly names?: VisitTypeNames | null },
  language: string,
): string {
  return type.names?.[language as VisitTypeLanguage]?.trim() || type.name;
}
