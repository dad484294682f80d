/**
 * Fills a stored template's `{variables}` (server side: the sweep). A value never re-expands, control
 * characters become spaces, and a variable without a value becomes empty (the database only stores
 * templates whose variables are known).
 */
export const renderTemplate = (
  body: string,
  values: Record<string, string | number | null | undefined>,
): string =>
  body
    .replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
      const v = values[name];
      return v === null || v === undefined
        ? ''
        : Array.from(String(v), (ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' ? ' ' : ch)).join('');
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/ ([,.،])/g, '$1')
    .trim();
