/**
 * The local migrator: applies the platform shim (only off Supabase), then supabase/migrations/*.sql in
 * file-name order, then optionally supabase/seed.sql. Every applied file is recorded with a checksum in
 * `queuemed_local.applied_files`, so a later start applies only new files. Each file runs in its own
 * transaction (all or nothing). On PostgreSQL an advisory lock keeps two starting processes apart.
 *
 * Shim files are idempotent and re-applied when their content changes; a migration that changed after it
 * was applied is an error (migrations are append-only, as on Supabase).
 *
 * The migrations of 2026-11-24 … 2026-11-30 were folded into one baseline (20261201000000_* …, issue 11).
 * A database that recorded migrations which are no longer in the folder and sort before its first file
 * was built from that older history: the baseline cannot be applied on top of it, so the migrator
 * refuses it (PreBaselineDatabaseError, code DB.PRE_BASELINE) before applying anything.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './types';

export const SUPABASE_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface MigrateOptions {
  /** Apply supabase/seed.sql once (default false). */
  seed?: boolean;
  /** Apply the platform shim first (default true; false only against a real Supabase database). */
  shim?: boolean;
  migrationsDir?: string;
  shimDir?: string;
  seedFile?: string;
  /** Only apply migrations whose file name sorts <= this (tests of upgrades). */
  upTo?: string;
  log?: (line: string) => void;
}

export interface MigrateResult {
  applied: string[];
}

type Kind = 'shim' | 'migration' | 'seed';

const LOCK_KEY = 72_635_401;

const sqlFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.sql'))
        .sort()
    : [];

const checksum = (text: string) => createHash('sha256').update(text).digest('hex');

export class MigrationChangedError extends Error {
  constructor(readonly file: string) {
    super(
      `migration ${file} changed after it was applied; add a new migration instead ` +
        `(or delete the local data folder to start over)`,
    );
    this.name = 'MigrationChangedError';
  }
}

/**
 * The database was built from migrations that have since been folded into the baseline: they are recorded
 * as applied, are not in the migrations folder any more, and sort before its first file. Nothing was
 * applied; the way forward is a fresh database (the local stack's message names the data folder).
 */
export class PreBaselineDatabaseError extends Error {
  readonly code = 'DB.PRE_BASELINE';
  constructor(
    /** The applied migrations that are no longer in the folder (oldest first). */
    readonly folded: string[],
    /** The first migration of the folder (the baseline). */
    readonly baseline: string,
  ) {
    super(
      `DB.PRE_BASELINE: this database was created before the migrations were folded into the baseline ` +
        `${baseline} (it has ${folded.length} older migration(s) applied, e.g. ${folded[0]}) and cannot be ` +
        `upgraded; start from a fresh database`,
    );
    this.name = 'PreBaselineDatabaseError';
  }
}

export const migrate = async (db: Db, options: MigrateOptions = {}): Promise<MigrateResult> => {
  const migrationsDir = options.migrationsDir ?? join(SUPABASE_DIR, 'migrations');
  const shimDir = options.shimDir ?? join(SUPABASE_DIR, 'local', 'shim');
  const seedFile = options.seedFile ?? join(SUPABASE_DIR, 'seed.sql');
  const log = options.log ?? (() => {});

  await db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.exec(`
      create schema if not exists queuemed_local;
      create table if not exists queuemed_local.applied_files (
        kind text not null,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now(),
        primary key (kind, name)
      );`);
  });

  const files = sqlFiles(migrationsDir);
  const baseline = files[0];
  if (baseline !== undefined) {
    const { rows } = await db.query<{ name: string }>(
      `select name from queuemed_local.applied_files where kind = 'migration' and name < $1 order by name`,
      [baseline],
    );
    if (rows.length > 0)
      throw new PreBaselineDatabaseError(
        rows.map((r) => r.name),
        baseline,
      );
  }

  const plan: { kind: Kind; name: string; path: string }[] = [];
  if (options.shim ?? true)
    for (const f of sqlFiles(shimDir)) plan.push({ kind: 'shim', name: f, path: join(shimDir, f) });
  for (const f of files) {
    if (options.upTo !== undefined && f > options.upTo) continue;
    plan.push({ kind: 'migration', name: f, path: join(migrationsDir, f) });
  }
  if (options.seed && existsSync(seedFile)) plan.push({ kind: 'seed', name: 'seed.sql', path: seedFile });

  // What is applied already, in one read: a restart of an installed checkout (nothing new) then costs one
  // query instead of one locked transaction per file (npm start's readiness, issue 14). A file that is new
  // or changed still goes through the locked check below.
  const known = new Map(
    (
      await db.query<{ kind: string; name: string; checksum: string }>(
        'select kind, name, checksum from queuemed_local.applied_files',
      )
    ).rows.map((r) => [`${r.kind}:${r.name}`, r.checksum]),
  );
  const applied: string[] = [];
  for (const step of plan) {
    const text = readFileSync(step.path, 'utf8');
    const sum = checksum(text);
    if (known.get(`${step.kind}:${step.name}`) === sum) continue;
    const did = await db.transaction(async (tx) => {
      if (db.kind === 'postgres') await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const { rows } = await tx.query<{ checksum: string }>(
        'select checksum from queuemed_local.applied_files where kind = $1 and name = $2',
        [step.kind, step.name],
      );
      const prior = rows[0]?.checksum;
      if (prior === sum) return false;
      if (prior !== undefined && step.kind === 'migration') throw new MigrationChangedError(step.name);
      if (prior !== undefined && step.kind === 'seed') return false; // seed data is applied once
      await tx.exec(text);
      // The file may leave a role or search_path behind; record as the migrating user.
      await tx.exec('reset role');
      await tx.query(
        `insert into queuemed_local.applied_files (kind, name, checksum) values ($1, $2, $3)
         on conflict (kind, name) do update set checksum = excluded.checksum, applied_at = now()`,
        [step.kind, step.name, sum],
      );
      return true;
    });
    if (did) {
      applied.push(`${step.kind}:${step.name}`);
      log(`applied ${step.kind} ${step.name}`);
    }
  }
  return { applied };
};
