// npm start loads the local stack from a prebuilt bundle (scripts/serverBundle.mjs, issue 14): rebuilt exactly
// when a source it was built from changes, paths from import.meta.url unchanged, and the real stack's
// bundle opens PGlite in its bundled worker thread.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleIsFresh, serverBundle } from '../../scripts/serverBundle.mjs';
import type { Db } from '../../supabase/local/db/types';
import { unpackPgliteTemplate } from '../fixtures/dbTemplate';

const write = (root: string, file: string, text: string) => {
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, file), text);
};

describe("npm start's server bundle", () => {
  it('is rebuilt only when a source it was built from changes, and keeps each file its own import.meta.url', async () => {
    const root = mkdtempSync(join(tmpdir(), 'qm-bundle-'));
    const out = join(root, 'out');
    try {
      write(root, 'tsconfig.json', '{}');
      write(root, 'supabase/local/fakeClock.ts', 'export const offset: number = 0;');
      write(root, 'supabase/local/startEarly.ts', "export { offset } from './fakeClock.js';");
      write(root, 'supabase/local/db/pgliteThread.ts', 'export const thread = import.meta.url;');
      write(root, 'supabase/local/util/where.ts', 'export const where = (): string => import.meta.url;');
      write(
        root,
        'supabase/local/main.ts',
        "import { where } from './util/where.js';\nexport const main = import.meta.url;\nexport const util = where();\nexport const version = 1;",
      );
      const first = await serverBundle(root, out);
      expect(first?.built).toBe(true);
      const again = await serverBundle(root, out);
      expect(again?.built).toBe(false); // nothing changed: reused
      const m = (await import(`${new URL('main.mjs', first!.url).href}?v=1`)) as Record<string, unknown>;
      expect(m.main).toBe(pathToFileURL(join(root, 'supabase/local/main.ts')).href);
      expect(m.util).toBe(pathToFileURL(join(root, 'supabase/local/util/where.ts')).href);

      write(root, 'supabase/local/util/where.ts', "export const where = (): string => 'edited';");
      expect(bundleIsFresh(root, out)).toBe(false); // an imported file, not only an entry
      expect((await serverBundle(root, out))?.built).toBe(true);
      const edited = (await import(`${new URL('main.mjs', first!.url).href}?v=2`)) as Record<string, unknown>;
      expect(edited.util).toBe('edited');

      write(root, 'tsconfig.json', '{"compilerOptions":{}}');
      expect(bundleIsFresh(root, out)).toBe(false);
      expect((await serverBundle(root, out))?.built).toBe(true);
      rmSync(join(out, 'main.mjs'));
      expect(bundleIsFresh(root, out)).toBe(false); // a missing output
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('builds the real stack, whose bundled PGlite thread (no tsx) opens the database', async () => {
    const root = join(import.meta.dirname, '..', '..');
    // next to the real one, so that its packages resolve from the checkout's node_modules
    mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
    const out = mkdtempSync(join(root, 'node_modules', '.cache', 'qm-bundle-test-'));
    const data = mkdtempSync(join(tmpdir(), 'qm-bundle-data-'));
    try {
      const bundle = await serverBundle(root, out);
      expect(bundle?.built).toBe(true);
      const { openDbEarly } = (await import(new URL('startEarly.mjs', bundle!.url).href)) as {
        openDbEarly(env: NodeJS.ProcessEnv, thread?: URL): Promise<Db>;
      };
      // a data folder from the run's empty template: the bundled thread's open is under test, not an initdb
      unpackPgliteTemplate('empty', join(data, 'pglite'));
      const db = await openDbEarly({ QUEUEMED_DATA_DIR: data }, new URL('pgliteThread.mjs', bundle!.url))!;
      try {
        expect((await db.query<{ n: number }>('select 41 + 1 as n')).rows[0]?.n).toBe(42);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(data, { recursive: true, force: true });
    }
  }, 300_000);
});
