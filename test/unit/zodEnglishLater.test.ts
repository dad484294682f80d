/**
 * The browser build loads zod's English messages beside the first reads, not before the first render (vite.config.ts
 * `zodEnglishLater` → src/services/shared/zodEnglishLater.ts; size22, issue 14). The stand-in must give the very
 * messages zod's own `en()` gives once loaded, and the plugin must swap the import only where shared/zod.ts makes it.
 */
import { describe, expect, it } from 'vitest';
import type { Plugin } from 'vite';
import { z } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import viteConfig from '../../vite.config';
import englishLater, { englishLoaded } from '../../src/services/shared/zodEnglishLater';

const plugin = (viteConfig.plugins ?? [])
  .flat()
  .find(
    (p): p is Plugin =>
      !!p && typeof p === 'object' && 'name' in p && p.name === 'queuemed-zod-english-later',
  );
const resolve = (source: string, importer: string) =>
  (plugin?.resolveId as (s: string, i: string) => string | null)(source, importer);

describe('zod English messages, later (browser build)', () => {
  it('the build swaps the import of shared/zod.ts only', () => {
    expect(plugin).toBeDefined();
    expect(resolve('zod/v4/locales/en.js', '/app/src/services/shared/zod.ts')).toMatch(
      /src\/services\/shared\/zodEnglishLater\.ts$/,
    );
    expect(resolve('zod/v4/locales/en.js', '/app/src/services/shared/zodEnglishLater.ts')).toBeNull();
    expect(resolve('zod/mini', '/app/src/services/shared/zod.ts')).toBeNull();
  });

  it('once loaded, an issue reads as zod’s own English message says it', async () => {
    await englishLoaded;
    const schema = z.object({ name: z.string().check(z.minLength(2)), age: z.number() });
    const input = { name: 'a', age: 'x' };
    const later = schema.safeParse(input, { error: englishLater().localeError });
    const real = schema.safeParse(input, { error: en().localeError });
    expect(later.success).toBe(false);
    const messages = (r: typeof later) => (r.success ? [] : r.error.issues.map((i) => i.message));
    expect(messages(later)).toEqual(messages(real));
    expect(messages(later)[0]).toMatch(/^Too small/);
  });
});
