/**
 * Plural keys: English needs `x_one`/`x_other`; French also `x_many`, Arabic `x_zero`, `x_two`, `x_few`, `x_many`
 * (Intl.PluralRules). English is the reference type, so it declares the other forms as optional.
 */
type MorePlurals<K extends string> = Partial<Record<`${K}_${'zero' | 'two' | 'few' | 'many'}`, string>>;

export const withPlurals = <T extends object, K extends string>(o: T, ..._keys: K[]) =>
  o as T & MorePlurals<K>;
