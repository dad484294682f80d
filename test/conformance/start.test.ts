// `npm start` wiring (supabase/local/main.ts): first start creates keys and seeds; a restart keeps keys and data
// and applies nothing again; SIGINT-style shutdown closes cleanly; a data folder made before the migrations
// baseline is refused with a coded message that names the folder. The folders start from the run's PGlite
// templates (test/fixtures/dbTemplate.ts unpackPgliteTemplate, issue 14: an initdb is ≈ 5–7 CPU-s): PGlite's initdb
// and a first migration from scratch are driver.contract's subject, and every e2e run's `npm start` does both.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../supabase/local/db/pglite';
import { demoLoginsFromSeed, main } from '../../supabase/local/main';
import { unpackPgliteTemplate } from '../fixtures/dbTemplate';
import { call } from './harness';

describe('npm start wiring (PGlite in QUEUEMED_DATA_DIR)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qm-data-'));
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('persists keys and data across restarts and serves /health and /config.json', async () => {
    process.env.QUEUEMED_DATA_DIR = dir;
    process.env.LOG_LEVEL = 'silent';
    delete process.env.DATABASE_URL;
    delete process.env.VAPID_PUBLIC_KEY;
    delete process.env.VAPID_PRIVATE_KEY;
    // a data folder the migrations have run on, without keys, VAPID pair or seed: what main() adds is under test
    unpackPgliteTemplate('migrated', join(dir, 'pglite'));
    const first = await main({ port: 0, staticDir: null });
    const health = await call(first.stack, '/health', { apikey: null });
    expect(health.status).toBe(200);
    const config = await call(first.stack, '/config.json', { apikey: null });
    // web push (issue 20): no VAPID_* set → a throwaway pair made in the data folder, its public half handed out
    const vapid = JSON.parse(readFileSync(join(dir, 'vapid.json'), 'utf8')) as {
      publicKey: string;
      privateKey: string;
    };
    expect(vapid.publicKey).toMatch(/^B[A-Za-z0-9_-]{86}$/);
    expect(vapid.privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(config.json).toEqual({
      supabaseUrl: first.stack.url,
      supabaseAnonKey: first.stack.anonKey,
      clientLogsUrl: '/client-logs',
      vapidPublicKey: vapid.publicKey,
    });
    const keys = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as { anonKey: string };
    expect(keys.anonKey).toBe(first.stack.anonKey);
    const signup = await call(first.stack, '/auth/v1/signup', {
      method: 'POST',
      body: JSON.stringify({ email: 'persist@example.test', password: 'persist-pass' }),
    });
    expect(signup.status).toBe(200);
    await first.shutdown('SIGTERM');

    const second = await main({ port: 0, staticDir: null });
    expect(second.stack.anonKey).toBe(first.stack.anonKey);
    // the same VAPID pair after a restart: browsers subscribed before it still accept our pushes
    expect((await call(second.stack, '/config.json', { apikey: null })).json).toMatchObject({
      vapidPublicKey: vapid.publicKey,
    });
    const signin = await call(second.stack, '/auth/v1/token?grant_type=password', {
      method: 'POST',
      body: JSON.stringify({ email: 'persist@example.test', password: 'persist-pass' }),
    });
    expect(signin.status).toBe(200);
    await second.shutdown('SIGINT');
  }, 180_000); // two starts (the seed, two PGlite threads), slow on a busy 2-core machine

  it('prints the demo logins box documented in seed.sql', () => {
    const seed = [
      '-- intro',
      '-- ┌─ Demo logins (password: x) ─┐',
      '-- │ owner  a@b.c │',
      '-- └──────┘',
      'insert …',
    ].join('\n');
    expect(demoLoginsFromSeed(seed)).toEqual([
      '┌─ Demo logins (password: x) ─┐',
      '│ owner  a@b.c │',
      '└──────┘',
    ]);
    expect(demoLoginsFromSeed('select 1;')).toEqual([]);
  });
});

describe('npm start on a data folder made before the migrations baseline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qm-data-old-'));
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses with DB.PRE_BASELINE, names the folder and says to delete it, and changes nothing in it', async () => {
    // what an `npm start` before the baseline left behind: the old chain's migrations recorded as applied
    unpackPgliteTemplate('empty', join(dir, 'pglite'));
    const old = await openPglite({ dataDir: join(dir, 'pglite') });
    await old.exec(`
      create schema queuemed_local;
      create table queuemed_local.applied_files (kind text not null, name text not null, checksum text not null,
        applied_at timestamptz not null default now(), primary key (kind, name));
      insert into queuemed_local.applied_files (kind, name, checksum) values
        ('migration', '20261124000100_schema.sql', 'x'), ('migration', '20261130006002_kiosk_check_in.sql', 'y');`);
    await old.close();

    process.env.QUEUEMED_DATA_DIR = dir;
    process.env.LOG_LEVEL = 'silent';
    delete process.env.DATABASE_URL;
    const err = await main({ port: 0, staticDir: null }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(/^DB\.PRE_BASELINE: /);
    expect(message).toContain(`The data folder ${dir}`);
    expect(message).toContain('Delete that folder');
    expect(message).toContain('20261124000100_schema.sql');

    const after = await openPglite({ dataDir: join(dir, 'pglite') });
    try {
      const { rows } = await after.query<{ name: string }>(
        'select name from queuemed_local.applied_files order by name',
      );
      expect(rows.map((r) => r.name)).toEqual([
        '20261124000100_schema.sql',
        '20261130006002_kiosk_check_in.sql',
      ]);
    } finally {
      await after.close();
    }
  }, 180_000); // three PGlite opens of a data folder (one in the stack's worker thread), slow on a busy machine
});
