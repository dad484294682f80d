export type Manifest = Record<
  string,
  { file: string; name?: string; src?: string; isEntry?: boolean; imports?: string[] }
>;
export function localeKeys(manifest: Manifest): string[];
export function closure(manifest: Manifest, keys: string[]): Set<string>;
export function routeSizes(
  manifest: Manifest,
  sizeOf: (file: string) => number,
  noQuery?: Set<string>,
): Record<string, { bytes: number; files: string[] }>;
export const FIRST_RENDER_DYNAMIC: Record<string, string[]>;
export const FIRST_RENDER_STRINGS: Record<string, string[]>;
export const GROUPED: Record<string, string>;
