/**
 * How a test file's PGlite starts from the run's migrated template (issue 14, CI time): openPglite({ loadDataDir })
 * fills PGlite's data folder itself (supabase/local/db/pgliteTemplateFs.ts), each file a view of a buffer of that
 * open's own, instead of PGlite's JavaScript untar. Kept honest here:
 * - it is the template's database: the same catalogue and migration ledger as PGlite's own loader builds, and
 *   migrate() finds nothing to apply;
 * - every copy is its own: what one copy writes, no other copy of the same tarball sees — opened before or
 *   after the write — and the tarball is unchanged (the isolation the db and stack files rely on);
 * - a tarball it cannot read exactly (links, paths leaving the folder, cut short) is refused, not guessed at;
 * - bytes on a SharedArrayBuffer (pgliteTemplateBytes: one read per process, s32) are never written: each copy
 *   moves a file into memory of its own before its first write;
 * - a start makes no WAL segment ahead of need (s32: the template's WAL starts a fresh segment).
 */
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../local/db/migrate';
import { openPglite, type PgliteDb } from '../local/db/pglite';
import { openPgliteWorker } from '../local/db/pgliteWorker';
import { ownBytes, parseTar, PGLITE_PGDATA } from '../local/db/pgliteTemplateFs';
import { pgliteTemplate, pgliteTemplateBytes, pgliteThread } from '../../test/fixtures/dbTemplate';
import { WAL_SEGMENT } from '../../test/setup/dbTemplates';

const CATALOGUE = `
  select (select count(*) from pg_proc)::int as procs,
         (select count(*) from pg_class)::int as relations,
         (select string_agg(kind || ':' || name, ',' order by kind, name) from queuemed_local.applied_files) as applied`;

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

describe('a PGlite from the migrated template, loaded by openPglite', () => {
  const opened: { close(): Promise<void> }[] = [];
  let tarball: Blob;
  let a: PgliteDb;
  let b: PgliteDb;
  beforeAll(async () => {
    tarball = pgliteTemplate('migrated');
    a = await openPglite({ loadDataDir: tarball });
    b = await openPglite({ loadDataDir: tarball });
    opened.push(a, b);
  });
  afterAll(async () => {
    for (const db of opened) await db.close();
  });

  it("holds the template's database: the catalogue and ledger PGlite's own loader builds, nothing to migrate", async () => {
    const own = await PGlite.create({ loadDataDir: tarball, extensions: { pgcrypto } });
    opened.push(own);
    const theirs = (await own.query(CATALOGUE)).rows[0];
    const ours = (await a.query(CATALOGUE)).rows[0];
    expect(ours).toEqual(theirs);
    expect((ours as { applied: string }).applied.split(',').length).toBeGreaterThan(40);
    expect((await a.query<{ d: string }>('show data_directory')).rows[0]).toEqual({
      data_directory: PGLITE_PGDATA,
    });
    expect((await migrate(a)).applied).toEqual([]);
  });

  it('gives every copy its own data: a write in one is in no other copy, opened before or after it', async () => {
    const before = await bytesOf(tarball);
    await a.exec(`create table leak_probe (n int); insert into leak_probe values (1), (2)`);
    await a.exec(`update queuemed_local.applied_files set name = name || '-leaked'`);
    await a.exec('checkpoint'); // the write is in a's files now, not only in its buffers
    expect((await a.query('select count(*)::int n from leak_probe')).rows).toEqual([{ n: 2 }]);

    const probe = `select to_regclass('public.leak_probe') is not null as has_table,
      (select count(*) from queuemed_local.applied_files where name like '%-leaked')::int as leaked`;
    // opened before the write
    expect((await b.query(probe)).rows).toEqual([{ has_table: false, leaked: 0 }]);
    // opened after it, from the same tarball
    const c = await openPglite({ loadDataDir: tarball });
    opened.push(c);
    expect((await c.query(probe)).rows).toEqual([{ has_table: false, leaked: 0 }]);
    // and the tarball itself is byte for byte what it was
    expect(Buffer.compare(Buffer.from(await bytesOf(tarball)), Buffer.from(before))).toBe(0);
  });

  it('holds only the WAL a start reads, and a copy makes the next segments when its WAL gets there (s31)', async () => {
    const segments = parseTar(await bytesOf(tarball))
      .map((e) => WAL_SEGMENT.exec(e.path)?.[1])
      .filter((s) => s !== undefined)
      .sort();
    const at = async (db: PgliteDb) =>
      (await db.query<{ insert: string }>(`select pg_walfile_name(pg_current_wal_insert_lsn()) as insert`))
        .rows[0]!;
    // a fresh copy's WAL goes on in the last segment the tarball holds: none was made ahead of need
    const c = await openPglite({ loadDataDir: tarball });
    opened.push(c);
    expect(segments.length).toBeGreaterThan(0);
    expect(segments.at(-1)).toBe((await at(c)).insert);
    // nor by the start itself (s32): the dump's WAL starts a segment, far from the end where PostgreSQL makes the
    // next one at once (16 MB written in 8 kB steps into a growing in-memory file, every open)
    expect(
      (await c.query<{ name: string }>('select name from pg_ls_waldir() order by name')).rows.map(
        (r) => r.name,
      ),
    ).toEqual(segments);
    // WAL written until the copy is past every segment the tarball holds (≈ 1.5 MB a round), then all read back
    await c.exec('create table wal_probe (g int, v text)');
    let rounds = 0;
    while ((await at(c)).insert <= segments.at(-1)! && rounds < 20) {
      await c.exec(
        `insert into wal_probe select g, repeat(md5(g::text), 24) from generate_series(${rounds * 2000 + 1}, ${(rounds + 1) * 2000}) g`,
      );
      rounds++;
    }
    await c.exec('checkpoint');
    expect((await at(c)).insert > segments.at(-1)!).toBe(true);
    expect(
      (await c.query('select count(*)::int as n, sum(length(v))::int as len from wal_probe')).rows,
    ).toEqual([{ n: rounds * 2000, len: rounds * 2000 * 768 }]);
  });
});

describe('PGlite copies from the shared bytes of the migrated template (one read per process, s32)', () => {
  const opened: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
  });
  const probe = `select to_regclass('public.shared_probe') is not null as has_table,
    (select count(*) from queuemed_local.applied_files where name like '%-shared')::int as leaked`;

  it('are read once: the same SharedArrayBuffer every time, byte for byte the tarball', async () => {
    const bytes = pgliteTemplateBytes('migrated');
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(pgliteTemplateBytes('migrated').buffer).toBe(bytes.buffer);
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(await bytesOf(pgliteTemplate('migrated'))))).toBe(
      0,
    );
  });

  it('are never written: each copy sees only its own writes, in the same thread or in a worker thread', async () => {
    const bytes = pgliteTemplateBytes('migrated');
    const before = Buffer.from(bytes); // a copy of what they hold now
    const a = await openPglite({ loadDataDir: bytes });
    const b = await openPgliteWorker({ loadDataDir: bytes }, pgliteThread());
    opened.push(a, b);
    // rows, a catalogue change, a ledger update and WAL, all into files the copies started from
    await a.exec(`create table shared_probe (n int, v text)`);
    await a.exec(`insert into shared_probe select g, repeat('x', 500) from generate_series(1, 20000) g`);
    await a.exec(`update queuemed_local.applied_files set name = name || '-shared'`);
    await a.exec('checkpoint');
    await b.exec(`create table shared_probe (n int)`);
    await b.exec('checkpoint');
    expect((await a.query('select count(*)::int n from shared_probe')).rows).toEqual([{ n: 20000 }]);
    expect((await b.query('select count(*)::int n from shared_probe')).rows).toEqual([{ n: 0 }]);
    expect((await b.query(probe)).rows).toEqual([{ has_table: true, leaked: 0 }]);
    const c = await openPglite({ loadDataDir: bytes });
    opened.push(c);
    expect((await c.query(probe)).rows).toEqual([{ has_table: false, leaked: 0 }]);
    expect(Buffer.compare(Buffer.from(bytes), before)).toBe(0);
  });
});

/** One ustar header + data, as PGlite's dumpDataDir writes them. */
const entry = (name: string, type: string, data = new Uint8Array(0)): Uint8Array => {
  const header = new Uint8Array(512);
  const put = (at: number, s: string) => header.set(new TextEncoder().encode(s), at);
  put(0, name);
  put(124, `${data.length.toString(8).padStart(11, '0')}\0`);
  header[156] = type.charCodeAt(0);
  put(257, 'ustar\0');
  const out = new Uint8Array(512 + Math.ceil(data.length / 512) * 512);
  out.set(header);
  out.set(data, 512);
  return out;
};
const tarOf = (...parts: Uint8Array[]): Uint8Array => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0) + 1024);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
};

describe('the data-folder tarball reader', () => {
  it('reads files and folders exactly, as views of the buffer', () => {
    const text = new TextEncoder().encode('15\n');
    const buf = tarOf(entry('/base/', '5'), entry('/PG_VERSION', '0', text));
    const entries = parseTar(buf);
    expect(entries.map((e) => [e.path, e.kind, new TextDecoder().decode(e.data)])).toEqual([
      ['base', 'dir', ''],
      ['PG_VERSION', 'file', '15\n'],
    ]);
    expect(entries[1]!.data.buffer).toBe(buf.buffer); // no copy
    // each entry's blocks, header and padded data (what the run's templates are re-cut from, dbTemplates.ts)
    expect(entries.map((e) => [e.start, e.end])).toEqual([
      [0, 512],
      [512, 1536],
    ]);
  });

  it('copies a shared file before its first write: every byte it holds, in memory of its own (s32)', () => {
    const shared = new SharedArrayBuffer(64);
    const view = new Uint8Array(shared);
    view.set([0, 7, 0, 0, 9, 0, 0, 0, 0, 5, 0, 0, 0], 12); // a file at byte 12 of the tarball, 13 bytes long
    for (const [bytes, used] of [
      [view.subarray(12, 25), 13], // its tail of zeros is not a whole word
      [view.subarray(12, 24), 12], // ends on a word, zeros after its last 5
      [view.subarray(16, 28), 12], // starts a word after the first: its own bytes 0, 9, 0, 0, 0 … 5
      [view.subarray(13, 25), 12], // starts off a word boundary: bytes one by one
      [view.subarray(40, 56), 16], // all zeros
    ] as const) {
      const expected = Array.from(bytes.subarray(0, used));
      const node = { contents: bytes as Uint8Array | null, usedBytes: used };
      ownBytes(node, shared);
      expect(node.contents!.buffer).not.toBe(shared);
      expect(Array.from(node.contents!)).toEqual(expected);
    }
    // already its own, or empty: left as it is
    const own = new Uint8Array([1, 2, 3]);
    const mine = { contents: own as Uint8Array | null, usedBytes: 3 };
    ownBytes(mine, shared);
    expect(mine.contents).toBe(own);
    const none = { contents: null, usedBytes: 0 };
    ownBytes(none, shared);
    expect(none.contents).toBeNull();
  });

  it('refuses links, paths that leave the folder, and a file cut short', () => {
    expect(() => parseTar(tarOf(entry('/pg_wal', '2')))).toThrow(/type '2'/);
    expect(() => parseTar(tarOf(entry('/../../etc/passwd', '0')))).toThrow(/leaves the folder/);
    const whole = entry('/PG_VERSION', '0', new Uint8Array(600));
    expect(() => parseTar(whole.subarray(0, 700))).toThrow(/runs past the end/);
  });
});
