// Prints the normalised catalogue fingerprint (supabase/local/db/fingerprint.ts) of a fresh database built
// by the platform shim + a migrations folder, so two migration histories or two engines can be diffed:
//
//   node scripts/schema-fingerprint.mjs [--db pglite|postgres] [--migrations DIR | --git REV] [--summary]
//
//   --db          pglite (default; in memory) or postgres (a throw-away PostgreSQL 15 in a temp folder,
//                 or a fresh database on DATABASE_URL's server)
//   --migrations  folder of *.sql migrations (default supabase/migrations)
//   --git REV     use supabase/migrations as it was at git revision REV (e.g. a1df2fc, the last commit
//                 before the baseline), extracted into a temp folder
//   --summary     print one line per section (count + sha256) and the total sha256 instead of every line
//
// Example (the baseline proof): diff <(node scripts/schema-fingerprint.mjs --git a1df2fc) \
//                                    <(node scripts/schema-fingerprint.mjs --db postgres)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const kind = opt('--db') ?? 'pglite';
if (kind !== 'pglite' && kind !== 'postgres') throw new Error('--db is pglite or postgres');

let migrationsDir = opt('--migrations') ?? join(root, 'supabase/migrations');
let tempDir;
const rev = opt('--git');
if (rev !== undefined) {
  tempDir = mkdtempSync(join(tmpdir(), 'qm-migrations-'));
  const names = execFileSync('git', ['ls-tree', '--name-only', `${rev}:supabase/migrations`], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f.endsWith('.sql'));
  for (const f of names) {
    writeFileSync(
      join(tempDir, f),
      execFileSync('git', ['show', `${rev}:supabase/migrations/${f}`], { cwd: root }),
    );
  }
  migrationsDir = tempDir;
}

register();
const { openPglite, openPostgres, startTempPostgres, migrate } =
  await import('../supabase/local/db/index.ts');
const { schemaFingerprint } = await import('../supabase/local/db/fingerprint.ts');

let server;
let db;
try {
  if (kind === 'pglite') db = await openPglite();
  else {
    server = await startTempPostgres();
    db = await openPostgres({ url: server.url, max: 2 });
  }
  await migrate(db, { migrationsDir });
  const lines = await schemaFingerprint(db);
  if (args.includes('--summary')) {
    const sections = new Map();
    for (const l of lines) {
      const s = l.slice(0, l.indexOf(' | '));
      sections.set(s, [...(sections.get(s) ?? []), l]);
    }
    const sha = (ls) => createHash('sha256').update(ls.join('\n')).digest('hex').slice(0, 16);
    for (const [s, ls] of [...sections].sort())
      console.log(`${s.padEnd(12)} ${String(ls.length).padStart(4)}  ${sha(ls)}`);
    console.log(`${'total'.padEnd(12)} ${String(lines.length).padStart(4)}  ${sha(lines)}`);
  } else {
    process.stdout.write(lines.join('\n') + '\n');
  }
} finally {
  await db?.close();
  await server?.stop();
  if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
}
