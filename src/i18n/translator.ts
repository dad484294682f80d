/**
 * The light screens' translator (issue 14): the tracker and the board render with this instead of i18next
 * (≈ 17 KiB gzipped less on a patient's phone). It reads the SAME locale files and follows i18next's rules for
 * what those files use — `a.b` paths (a key may itself hold dots: `errors.PHONE.INVALID`), plurals by
 * Intl.PluralRules with i18next's `_zero/_one/_two/_few/_many/_other` suffixes (and `_zero` first for a count of
 * 0), `{{name}}` interpolation (a value missing from the params stays as written, as i18next's skipOnVariables
 * does; no escaping: React escapes), a missing key answers the key. translator.test.ts compares it with
 * i18next on every key of every bundle in ar/fr/en. The whole app uses it (TranslatorContext); i18next stays
 * only as the tests' reference (src/i18n/index.ts, lazy.ts).
 */
import type { Resources } from './locales/en';
import type { ErrorResources } from './locales/errors.en';
import type { Language } from './languages';

export type TParams = Readonly<Record<string, unknown>>;
export type TFunction = (key: string, params?: TParams) => string;
type Tree = { [k: string]: unknown };

const coreLoaders: Record<Language, () => Promise<Resources>> = {
  ar: () => import('./locales/ar').then((m) => m.ar),
  fr: () => import('./locales/fr').then((m) => m.fr),
  en: () => import('./locales/en').then((m) => m.en),
};
const errorLoaders: Record<Language, () => Promise<ErrorResources>> = {
  ar: () => import('./locales/errors.ar').then((m) => m.errorsAr),
  fr: () => import('./locales/errors.fr').then((m) => m.errorsFr),
  en: () => import('./locales/errors.en').then((m) => m.errorsEn),
};

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A deep merge into `into` (i18next's addResourceBundle(…, deep, overwrite)). */
function merge(into: Tree, from: object): void {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (isTree(v) && isTree(cur)) merge(cur, v);
    else into[k] = isTree(v) ? merge2(v) : v;
  }
}
const merge2 = (v: Tree): Tree => {
  const copy: Tree = {};
  merge(copy, v);
  return copy;
};

/** i18next's deepFind: `a.b.c`, where a segment that is not a key is joined with the next ones (`PHONE.INVALID`). */
function find(tree: unknown, parts: readonly string[]): unknown {
  if (parts.length === 0) return tree;
  if (!isTree(tree)) return undefined;
  for (let j = 1; j <= parts.length; j++) {
    const k = parts.slice(0, j).join('.');
    if (Object.prototype.hasOwnProperty.call(tree, k)) {
      const found = find(tree[k], parts.slice(j));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const rules = new Map<string, Intl.PluralRules>();
const pluralOf = (lng: string, n: number) => {
  let r = rules.get(lng);
  if (!r) rules.set(lng, (r = new Intl.PluralRules(lng)));
  return r.select(n);
};

export interface Translations {
  /** The languages whose core bundle is in place. */
  has(lng: Language): boolean;
  /** Loads a language's core bundle (once). */
  ensure(lng: Language): Promise<void>;
  /** The language's core bundle as its module exports it (for an i18next instance to copy). */
  core(lng: Language): Resources | undefined;
  /** True once the coded errors' messages of `lng` are in place (they load on demand: src/i18n/README.md). */
  hasErrors(lng: Language): boolean;
  ensureErrors(lng: Language): Promise<void>;
  /** True when `path` (`a.b`) names a string or a branch in `lng`. */
  hasKey(lng: Language, path: string): boolean;
  /** Adds strings to a language (deep merge), e.g. a page's own section. */
  add(lng: Language, bundle: object): void;
  /** The string a key resolves to in `lng` (plural form by `params.count`), uninterpolated; undefined if none. */
  raw(lng: Language, key: string, params?: TParams): string | undefined;
  t(lng: Language, key: string, params?: TParams): string;
}

export function createTranslations(initial?: Partial<Record<Language, object>>): Translations {
  const store: Partial<Record<Language, Tree>> = {};
  const cores: Partial<Record<Language, Resources>> = {};
  const add = (lng: Language, bundle: object) => merge((store[lng] ??= {}), bundle);
  for (const [l, b] of Object.entries(initial ?? {})) add(l as Language, b);

  const raw = (lng: Language, key: string, params?: TParams): string | undefined => {
    const tree = store[lng];
    const count = params?.count;
    const keys = [key];
    if (count !== undefined && typeof count !== 'string') {
      keys.push(`${key}_${pluralOf(lng, Number(count))}`);
      if (count === 0) keys.push(`${key}_zero`);
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const v = find(tree, keys[i]!.split('.'));
      if (typeof v === 'string') return v;
    }
    return undefined;
  };

  return {
    has: (lng) => !!store[lng],
    async ensure(lng) {
      if (this.has(lng)) return;
      const core = await coreLoaders[lng]();
      cores[lng] = core;
      add(lng, core);
    },
    core: (lng) => cores[lng],
    hasErrors: (lng) => isTree(store[lng]?.errorHints),
    async ensureErrors(lng) {
      if (!this.hasErrors(lng)) add(lng, await errorLoaders[lng]());
    },
    hasKey: (lng, path) => find(store[lng], path.split('.')) !== undefined,
    add,
    raw,
    t(lng, key, params) {
      const s = raw(lng, key, params);
      if (s === undefined) return key;
      return params ? interpolate(s, params) : s;
    },
  };
}

/** `{{name}}` / `{{- name}}` / `{{a.b}}` → the param; one pass (a value's own braces stay as they are). */
export function interpolate(s: string, params: TParams): string {
  return s.replace(/\{\{(-?)\s*([^{}]+?)\s*\}\}/g, (m, _u: string, name: string) => {
    const v = find(params, name.split('.'));
    if (v === undefined) return Object.prototype.hasOwnProperty.call(params, name) ? '' : m;
    return v === null ? '' : String(v);
  });
}

/**
 * The translated message for a coded error (lazy.ts's translateError on this store): an unknown code gets the
 * generic message, never a raw error; with `params`, the hint that says what to do (`errorHints.<code>|<variant>`
 * or `errorHints.<code>`) when every {{placeholder}} of it is given.
 */
export function errorText(
  tr: Translations,
  lng: Language,
  code: string | undefined,
  params?: TParams,
): string {
  if (code && params) {
    const variant = params.variant ?? params.reason;
    const opts = 'count' in params ? { count: Number(params.count) } : {};
    for (const key of [
      ...(typeof variant === 'string' ? [`errorHints.${code}|${variant}`] : []),
      `errorHints.${code}`,
    ]) {
      const s = tr.raw(lng, key, opts);
      if (s === undefined) continue;
      const needed = [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!);
      if (needed.every((n) => n === 'count' || (params[n] !== undefined && params[n] !== null)))
        return tr.t(lng, key, { ...params, ...opts });
    }
  }
  const key = `errors.${code ?? 'unknown'}`;
  return tr.raw(lng, key) !== undefined ? tr.t(lng, key) : tr.t(lng, 'errors.unknown');
}
