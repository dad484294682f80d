/**
 * The browser build replaces @supabase/storage-js with an inert stand-in (vite.config.ts →
 * src/services/composition/noStorage.ts; issue 14). That is safe only while no browser code uses Supabase
 * Storage: this fails when a source file reaches for `<client>.storage`, and checks that the build still
 * aliases the package (else the 7 KiB come back unnoticed until the size budget trips).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import viteConfig from '../../vite.config';
import { StorageApiError, StorageClient } from '../../src/services/composition/noStorage';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) && !/\.test\.tsx?$/.test(n) ? [p] : [];
  });

describe('the browser build without Supabase Storage', () => {
  // auth-js's own session storage option (`options.storage`, read by composition/lazyAuth.ts) is not Supabase
  // Storage either
  const usesStorage = (code: string) =>
    /\.storage\b(?!Key)/.test(code.replace(/\b(local|session)Storage\b|\boptions\.storage\b/g, ''));

  it('no browser source uses a client’s storage (localStorage and sessionStorage are the browser’s own)', () => {
    // the check itself sees a use, and not the browser's storages
    expect(usesStorage("await this.client.storage.from('x').upload(p, f)")).toBe(true);
    expect(usesStorage("const { storage } = supabase; supabase\n  .storage.from('x')")).toBe(true);
    expect(usesStorage('window.localStorage.getItem(k); sessionStorage.clear(); o.storageKey')).toBe(false);
    expect(usesStorage('const s = this.options.storage ?? globalThis.localStorage')).toBe(false);
    expect(usesStorage('this.options.client.storage.from(b)')).toBe(true);
    const users = files('src').filter(
      (f) => !f.endsWith('noStorage.ts') && usesStorage(readFileSync(f, 'utf8')),
    );
    expect(users).toEqual([]);
  });

  it('the build aliases @supabase/storage-js to the stand-in', () => {
    const alias = (viteConfig as { resolve?: { alias?: { find: RegExp; replacement: string }[] } }).resolve
      ?.alias;
    const entry = alias?.find((a) => a.find.test('@supabase/storage-js'));
    expect(entry?.replacement).toMatch(/src\/services\/composition\/noStorage\.ts$/);
    expect(entry?.find.test('@supabase/storage-js/dist/x')).toBe(false);
  });

  it('the stand-in refuses to be used instead of failing silently', () => {
    expect(() => new StorageClient().from()).toThrow(StorageApiError);
  });
});
