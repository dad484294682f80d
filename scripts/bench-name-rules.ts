/**
 * `npm run bench:name-rules`: the CPU cost per name of the name rules P1 (private.person_name_no_contact) and N1
 * (private.clinic_name_allowed) beside their earlier bodies, on PGlite and on PostgreSQL — the three figures the db
 * suite printed until session 29 (fix23a: session 23's P1; fix26c: P1 and N1 before fix26c; names27: N1 before
 * names27), moved here because a suite asserts and a benchmark prints (issue 14, CI time: ≈ 13 s of every CI run).
 * Each earlier body is made again under another name in a transaction that is rolled back. CPU is the database's:
 * the PostgreSQL backend's utime+stime from /proc, PGlite's this process's (it runs in-thread).
 * Whether the rules are right is personNameP1.test.ts's (the shared table, test/fixtures/contracts/personNameCases.ts).
 * Env: BENCH_DB=pglite|postgres (default both). Only 127.0.0.1 is used.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  migrate,
  openPglite,
  openPostgres,
  startTempPostgres,
  type Db,
  type DbKind,
  type DbTx,
} from '../supabase/local/db/index.js';
import {
  N1_ALLOWED,
  N1_ALLOWED_NAMES27,
  N1_NOT_ALLOWED,
  N1_NOT_ALLOWED_NAMES27,
  P1_ALLOWED,
  P1_NOT_ALLOWED,
} from '../test/fixtures/contracts/personNameCases.js';

const same = (got: number, want: number, what: string): void => {
  if (got !== want) throw new Error(`${what}: ${got}, expected ${want} — see personNameP1.test.ts`);
};

/**
 * The database's CPU milliseconds so far, as a clock: the PostgreSQL backend's utime+stime from /proc (clock ticks,
 * 100 Hz), PGlite's this process's (it runs in-thread).
 */
const databaseCpu = async (tx: DbTx, kind: DbKind): Promise<() => number> => {
  if (kind !== 'postgres') {
    return () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
  }
  const pid = (await tx.query<{ p: number }>(`select pg_backend_pid() as p`)).rows[0]!.p;
  return () => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  };
};

/**
 * The rule `fn` judged on every name `rounds` times by one statement (every other round with a trailing space):
 * the database's CPU per name, and how many judgements passed.
 */
const costPerName = async (
  tx: DbTx,
  cpuMs: () => number,
  fn: string,
  names: readonly string[],
  rounds: number,
): Promise<{ ms: number; passed: number }> => {
  const c0 = cpuMs();
  const { rows } = await tx.query<{ n: number }>(
    `select count(*) filter (where ${fn}(n || repeat(' ', g % 2)))::int as n
     from unnest($1::text[]) as n, generate_series(1, $2) as g`,
    [names, rounds],
  );
  return { ms: (cpuMs() - c0) / (names.length * rounds), passed: rows[0]!.n };
};

class Rollback extends Error {}
const rolledBack = (db: Db, fn: (tx: DbTx) => Promise<void>): Promise<void> =>
  db
    .transaction(async (tx) => {
      await fn(tx);
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });

/** session 23's P1 beside today's */
const fix23a = (db: Db, kind: DbKind): Promise<void> =>
  rolledBack(db, async (tx) => {
    const names = [...P1_NOT_ALLOWED, ...P1_ALLOWED];
    const ROUNDS = 5; // sec24b: 20 rounds of both rules outran the test's minute on a loaded machine
    const RULE = /private\.(contact_fold|contact_free_folded|clinic_name_allowed|person_name_no_contact)\(/g;
    const old = readFileSync(
      fileURLToPath(
        new URL('../supabase/migrations/20261223600001_person_name_p1_m1_l5.sql', import.meta.url),
      ),
      'utf8',
    );
    for (const part of old.split(/^\$\$;$/m).slice(0, -1)) {
      const fn = part.slice(part.search(/create (or replace )?function/));
      if (
        !/^create (or replace )?function private\.(contact_fold|contact_free_folded|clinic_name_allowed|person_name_no_contact)\(/.test(
          fn,
        )
      )
        continue;
      await tx.query(
        `${fn.replace(RULE, 'private.s23_$1(').replace('create or replace function', 'create function')}$$;`,
      );
    }
    const cpuMs = await databaseCpu(tx, kind);
    const cost = (fn: string) => costPerName(tx, cpuMs, fn, names, ROUNDS);
    const before = await cost('private.s23_person_name_no_contact');
    const now = await cost('private.person_name_no_contact');
    console.log(
      `P1 CPU per name on ${kind}: session 23 ${before.ms.toFixed(3)} ms, now ${now.ms.toFixed(3)} ms ` +
        `(${names.length * ROUNDS} names each; load ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')})`,
    );
    same(now.passed, P1_ALLOWED.length * ROUNDS, 'P1 ALLOWED passed');
  });

/** P1 and N1 before fix26c beside today (alternated) */
const fix26c = (db: Db, kind: DbKind): Promise<void> =>
  rolledBack(db, async (tx) => {
    const previous = (file: string, fn: string): string => {
      const sql = readFileSync(
        fileURLToPath(new URL(`../supabase/migrations/${file}`, import.meta.url)),
        'utf8',
      );
      const start = sql.indexOf(`create or replace function private.${fn}(`);
      const end = sql.indexOf('\n$$;', start);
      return `${sql.slice(start, end)}\n$$;`.replace(`private.${fn}(`, `private.pre26c_${fn}(`);
    };
    await tx.query(previous('20261226200002_p1_tamazight_number_words.sql', 'person_name_no_contact'));
    await tx.query(previous('20261224600001_p1_name_rule_m3_l1.sql', 'clinic_name_allowed'));
    const cpuMs = await databaseCpu(tx, kind);
    // the N1 table is short: more rounds of it, so that PostgreSQL's 10 ms CPU ticks stay well under 5 %
    const cost = (fn: string, names: readonly string[]) =>
      costPerName(tx, cpuMs, fn, names, names.length > 100 ? 4 : 16);
    const p1 = [...P1_NOT_ALLOWED, ...P1_ALLOWED];
    const n1 = [...N1_NOT_ALLOWED, ...N1_ALLOWED];
    const sum = { p1Before: 0, p1Now: 0, n1Before: 0, n1Now: 0 };
    for (let i = 0; i < 2; i++) {
      sum.p1Before += (await cost('private.pre26c_person_name_no_contact', p1)).ms;
      const p = await cost('private.person_name_no_contact', p1);
      sum.p1Now += p.ms;
      same(p.passed, P1_ALLOWED.length * 4, 'P1 ALLOWED passed');
      sum.n1Before += (await cost('private.pre26c_clinic_name_allowed', n1)).ms;
      const n = await cost('private.clinic_name_allowed', n1);
      sum.n1Now += n.ms;
      same(n.passed, N1_ALLOWED.length * 16, 'N1 ALLOWED passed');
    }
    const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(0)} %`;
    console.log(
      `fix26c CPU per name on ${kind}: P1 before ${(sum.p1Before / 2).toFixed(3)} ms, now ` +
        `${(sum.p1Now / 2).toFixed(3)} ms (${pct(sum.p1Before, sum.p1Now)}); N1 before ` +
        `${(sum.n1Before / 2).toFixed(3)} ms, now ${(sum.n1Now / 2).toFixed(3)} ms ` +
        `(${pct(sum.n1Before, sum.n1Now)}) (${p1.length}/${n1.length} names × 4/16 × 2; load ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')})`,
    );
  });

/** N1 before names27 beside today (alternated, warm) */
const names27 = (db: Db, kind: DbKind): Promise<void> =>
  rolledBack(db, async (tx) => {
    const sql = readFileSync(
      fileURLToPath(
        new URL(
          '../supabase/migrations/20261226500001_name_rules_at_sign_spelled_contact.sql',
          import.meta.url,
        ),
      ),
      'utf8',
    );
    const start = sql.indexOf('create or replace function private.clinic_name_allowed(');
    await tx.query(
      `${sql.slice(start, sql.indexOf('\n$$;', start))}\n$$;`.replace(
        'private.clinic_name_allowed(',
        'private.pre27_clinic_name_allowed(',
      ),
    );
    const cpuMs = await databaseCpu(tx, kind);
    const cost = async (fn: string, names: readonly string[], rounds: number) =>
      (await costPerName(tx, cpuMs, fn, names, rounds)).ms;
    // main's table (without names27's cases) and names27's new cases, apart
    const added = new Set([...N1_NOT_ALLOWED_NAMES27, ...N1_ALLOWED_NAMES27]);
    const table = [...N1_NOT_ALLOWED, ...N1_ALLOWED].filter((n) => !added.has(n));
    const mainOk = N1_ALLOWED.filter((n) => !added.has(n));
    const fresh = [...added];
    const freshOk = [...N1_ALLOWED_NAMES27];
    const cold = { before: await cost('private.pre27_clinic_name_allowed', table, 1), now: 0 };
    cold.now = await cost('private.clinic_name_allowed', table, 1);
    await cost('private.pre27_clinic_name_allowed', fresh, 1);
    await cost('private.clinic_name_allowed', fresh, 1);
    const sum = { tBefore: 0, tNow: 0, okBefore: 0, okNow: 0, newBefore: 0, newNow: 0, nokB: 0, nokN: 0 };
    for (let i = 0; i < 2; i++) {
      sum.tBefore += await cost('private.pre27_clinic_name_allowed', table, 16);
      sum.tNow += await cost('private.clinic_name_allowed', table, 16);
      sum.okBefore += await cost('private.pre27_clinic_name_allowed', mainOk, 24);
      sum.okNow += await cost('private.clinic_name_allowed', mainOk, 24);
      sum.newBefore += await cost('private.pre27_clinic_name_allowed', fresh, 24);
      sum.newNow += await cost('private.clinic_name_allowed', fresh, 24);
      sum.nokB += await cost('private.pre27_clinic_name_allowed', freshOk, 24);
      sum.nokN += await cost('private.clinic_name_allowed', freshOk, 24);
    }
    const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(0)} %`;
    const ms = (a: number, b: number) => `${(a / 2).toFixed(3)} → ${(b / 2).toFixed(3)} ms (${pct(a, b)})`;
    console.log(
      `names27 N1 CPU per name on ${kind}: main's table ${ms(sum.tBefore, sum.tNow)}; its ALLOWED names ` +
        `${ms(sum.okBefore, sum.okNow)}; names27's new cases ${ms(sum.newBefore, sum.newNow)}, of which the ` +
        `ALLOWED ones (refused before) ${ms(sum.nokB, sum.nokN)}; first pass of ` +
        `main's table (patterns compiled) ${cold.before.toFixed(3)} → ${cold.now.toFixed(3)} ms ` +
        `(${table.length}/${mainOk.length}/${fresh.length}/${freshOk.length} names × 16/24/24/24 × 2; load ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')})`,
    );
  });

const only = process.env['BENCH_DB'];
const kinds: DbKind[] = only === 'pglite' || only === 'postgres' ? [only] : ['pglite', 'postgres'];
for (const kind of kinds) {
  const server = kind === 'postgres' ? await startTempPostgres() : null;
  const db = server ? await openPostgres({ url: server.url, max: 2 }) : await openPglite();
  try {
    await migrate(db, { seed: false });
    await fix23a(db, kind);
    await fix26c(db, kind);
    await names27(db, kind);
  } finally {
    await db.close();
    await server?.stop();
  }
}
