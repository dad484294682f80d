/**
 * A PGlite in memory that starts from a data-folder tarball (the tests' migrated template, issue 14) without
 * PGlite's own `loadDataDir` loader. That loader untars in JavaScript, then for each of the ~1,250 entries looks up
 * every parent folder, copies the file into a growing MEMFS node and sets its times: ~0.5 CPU-s per open of the
 * 44 MB template, paid by every db/stack test file. Here the tarball is read once into a buffer of this open's
 * own, its headers parsed (ustar: what PGlite's `dumpDataDir` writes), and each file handed to MEMFS as a view of
 * that buffer (`canOwn`: no copy). The database writes into its own buffer only — every open gets a fresh one.
 *
 * The files go into PGlite's data folder before PGlite looks for it, so PGlite finds a database and resumes it
 * (the same start as a persisted folder), instead of running initdb.
 */
import { MemoryFS, type PGlite } from '@electric-sql/pglite';

/** PGlite's data folder inside its virtual file system (PGDATA; `show data_directory` answers it). */
export const PGLITE_PGDATA = '/pglite/data';

export interface TarEntry {
  /** Path below the data folder, without a leading or trailing slash. */
  path: string;
  kind: 'file' | 'dir';
  data: Uint8Array;
  /** The entry's blocks in the tarball (header and data, padded): [start, end) byte offsets into `buf`. */
  start: number;
  end: number;
}

const text = (buf: Uint8Array, at: number, length: number): string => {
  let end = at;
  while (end < at + length && buf[end] !== 0) end++;
  return new TextDecoder().decode(buf.subarray(at, end));
};

const octal = (buf: Uint8Array, at: number, length: number): number => {
  const s = text(buf, at, length).trim();
  const n = s === '' ? 0 : parseInt(s, 8);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`tarball: bad number "${s}" at byte ${at}`);
  return n;
};

/**
 * The entries of a ustar tarball, as views of `buf` (no copy). Only regular files and folders — what a data
 * folder holds; anything else (links, GNU long names, pax headers) is refused rather than guessed at.
 */
export const parseTar = (buf: Uint8Array): TarEntry[] => {
  const entries: TarEntry[] = [];
  let at = 0;
  while (at + 512 <= buf.length && buf[at] !== 0) {
    const name = text(buf, at, 100);
    const prefix = text(buf, at + 345, 155);
    const size = octal(buf, at + 124, 12);
    const type = buf[at + 156] ?? 0;
    const full = (prefix === '' ? name : `${prefix}/${name}`).replace(/^\/+|\/+$/g, '');
    const start = at;
    at += 512;
    if (at + size > buf.length) throw new Error(`tarball: ${full} runs past the end`);
    if (full.split('/').some((part) => part === '..')) throw new Error(`tarball: ${full} leaves the folder`);
    const end = Math.min(at + Math.ceil(size / 512) * 512, buf.length);
    if (type === 0x35) entries.push({ path: full, kind: 'dir', data: new Uint8Array(0), start, end });
    else if (type === 0x30 || type === 0)
      entries.push({ path: full, kind: 'file', data: buf.subarray(at, at + size), start, end });
    else throw new Error(`tarball: ${full} has type '${String.fromCharCode(type)}' (only files and folders)`);
    at = end;
  }
  return entries;
};

interface EmscriptenFs {
  analyzePath(path: string): { exists: boolean };
  mkdirTree(path: string, mode?: number): void;
  writeFile(path: string, data: Uint8Array, options: { mode: number; canOwn: boolean }): void;
}

/** PGlite's in-memory file system, with the data folder filled from `tarball` before PGlite looks at it. */
export class TemplateMemoryFS extends MemoryFS {
  readonly #tarball: Blob | Uint8Array;

  /**
   * `tarball`: a Blob (read into a buffer of this open's own), or bytes this open takes over — the database then
   * writes into them, so the caller hands each open a fresh copy (pgliteTemplateBytes: a file read per open). The
   * bytes skip Node's Blob reader, which gathers a 63 MB template in chunks: ~0.25 CPU-s per open (ci21).
   */
  constructor(tarball: Blob | Uint8Array) {
    super();
    this.#tarball = tarball;
  }

  override async initialSyncFs(): Promise<void> {
    await super.initialSyncFs();
    const FS = (this.pg as unknown as { Module: { FS: EmscriptenFs } } | undefined)?.Module.FS;
    if (!FS) throw new Error('TemplateMemoryFS: PGlite has no file system yet');
    if (FS.analyzePath(`${PGLITE_PGDATA}/PG_VERSION`).exists)
      throw new Error('TemplateMemoryFS: the data folder is not empty');
    // a buffer of this open's own: the database writes into the views handed to MEMFS
    const t = this.#tarball;
    const buf =
      t instanceof Uint8Array
        ? new Uint8Array(t.buffer, t.byteOffset, t.byteLength)
        : new Uint8Array(await t.arrayBuffer());
    FS.mkdirTree(PGLITE_PGDATA, 0o700);
    const made = new Set<string>([PGLITE_PGDATA]);
    const folder = (path: string) => {
      if (made.has(path)) return;
      FS.mkdirTree(path, 0o700);
      made.add(path);
    };
    for (const e of parseTar(buf)) {
      const path = `${PGLITE_PGDATA}/${e.path}`;
      if (e.kind === 'dir') folder(path);
      else {
        folder(path.slice(0, path.lastIndexOf('/')));
        FS.writeFile(path, e.data, { mode: 0o600, canOwn: true });
      }
    }
    if (!FS.analyzePath(`${PGLITE_PGDATA}/PG_VERSION`).exists)
      throw new Error('TemplateMemoryFS: the tarball holds no data folder (no PG_VERSION)');
  }
}

/** The PGlite the caller got from a TemplateMemoryFS really runs on the folder it filled. */
export const checkTemplateDataDir = async (pg: Pick<PGlite, 'query'>): Promise<void> => {
  const r = await pg.query<{ data_directory: string }>('show data_directory');
  const dir = r.rows[0]?.data_directory;
  if (dir !== PGLITE_PGDATA)
    throw new Error(`PGlite runs on ${String(dir)}, not on the template's folder ${PGLITE_PGDATA}`);
};
