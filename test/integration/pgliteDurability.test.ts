// Issue 12 item 6: a persisted PGlite runs with PostgreSQL's fsync on (PGlite's own default is `-F`,
// fsync off); in memory there is nothing to sync. The cost is printed by scripts/bench-fsync.mjs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../supabase/local/db';
import { unpackPgliteTemplate } from '../fixtures/dbTemplate';

describe('PGlite durability settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qm-fsync-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns fsync on for a data folder, and leaves it to the caller to opt out', async () => {
    // two data folders from the run's empty template (an initdb apiece was ≈ 5–7 CPU-s, issue 14)
    unpackPgliteTemplate('empty', join(dir, 'on'));
    unpackPgliteTemplate('empty', join(dir, 'off'));
    const persisted = await openPglite({ dataDir: join(dir, 'on') });
    expect((await persisted.query<{ fsync: string }>('show fsync')).rows[0]?.fsync).toBe('on');
    await persisted.close();
    const optedOut = await openPglite({ dataDir: join(dir, 'off'), fsync: false });
    expect((await optedOut.query<{ fsync: string }>('show fsync')).rows[0]?.fsync).toBe('off');
    await optedOut.close();
  });
});
